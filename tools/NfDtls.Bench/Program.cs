// nf-dtls crypto benchmark: the portable managed crypto (what the boards run) against the desktop provider
// (System.Security.Cryptography / OpenSSL), side by side. A plain Stopwatch harness: each cell runs its operation
// for a fixed time after a short warm-up and reports operations per second and bytes allocated per operation.
//
//   dotnet run -c Release --project tools/NfDtls.Bench [-- --quick | --duration <seconds>]
//   dotnet run -c Release --project tools/NfDtls.Bench -- dtls [--quick]     (DTLS: DtlsBench.cs)
//   dotnet run -c Release --project tools/NfDtls.Bench -- memory              (board figures: BoardMemoryBench.cs)
//   dotnet run -c Release --project tools/NfDtls.Bench -- interp [--quick]   (under an IL interpreter: Interp/InterpBench.cs)
//
// Desktop JIT numbers say nothing absolute about a board (nanoFramework interprets IL, ~240x slower than the JIT for
// integer code); the portable/desktop ratio and the relative cost of the operations are what carry over.
using System.Diagnostics;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;

if (args.Length > 0 && args[0] == "dtls")
{
    return NfDtls.Bench.DtlsBench.Run(args[1..]); // DTLS handshakes and records (DtlsBench.cs)
}
if (args.Length > 0 && args[0] == "memory")
{
    return NfDtls.Bench.BoardMemoryBench.Run(args[1..]); // board-heap figures (BoardMemoryBench.cs)
}
if (args.Length > 0 && args[0] == "interp")
{
    return NfDtls.Bench.Interp.InterpBench.Run(args[1..]); // Mono's IL interpreter, nanoCLR estimate (Interp/InterpBench.cs)
}

double seconds = 0.5;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick")
    {
        seconds = 0.1;
    }
    else if (args[i] == "--duration" && i + 1 < args.Length && double.TryParse(args[i + 1], out double d) && d > 0)
    {
        seconds = d;
        i++;
    }
    else
    {
        Console.Error.WriteLine("usage: NfDtls.Bench [--quick | --duration <seconds>]");
        return 2;
    }
}

ICryptoProvider[] providers = { PortableCryptoProvider.Instance, DesktopCryptoProvider.Instance };

// One row per operation. A row's factory gets a provider and returns the operation to time (set up once, outside
// the timing); a provider that lacks the primitive throws NotImplementedException and the cell prints "n/a".
// ADDING A ROW IS ONE LINE here.
var rows = new List<(string Name, Func<ICryptoProvider, Action> Setup)>
{
    ("AES-128-CCM-8 seal+open 64 B", p => CcmSealOpen(p, 8, 64)),
    ("AES-128-CCM-8 seal+open 1024 B", p => CcmSealOpen(p, 8, 1024)),
    ("AES-128-CCM-16 seal+open 1024 B", p => CcmSealOpen(p, 16, 1024)),
    ("SHA-256 1 KiB", Sha256Of1KiB),
    ("HMAC-SHA256 1 KiB", HmacOf1KiB),
    ("TLS 1.2 PRF key block (40 B)", PrfKeyBlock),
    // P-256 (ECDHE_ECDSA handshakes). k·G is one fixed-base multiplication (comb); the ECDH shared secret alone is one
    // variable-point multiplication; keygen + shared secret is both, as one ECDHE side costs.
    ("P-256 k*G (public key of a scalar)", FixedBaseMultiply),
    ("ECDH P-256 shared secret", EcdhDerive),
    ("ECDH P-256 keygen + shared secret", EcdhKeyGenAndDerive),
    ("ECDSA P-256 sign", EcdsaSign),
    ("ECDSA P-256 verify", EcdsaVerify),
    // Whole ECDHE_ECDSA handshakes, client and server engines in one process (both sides' crypto counted).
    ("ECDHE handshake, RPK, server auth", p => EcdheHandshakeBench.Handshake(p, false)),
    ("ECDHE handshake, X.509, mutual", p => EcdheHandshakeBench.Handshake(p, true)),
};

Console.WriteLine("nf-dtls crypto bench: " + seconds.ToString("0.0##") + " s per cell, .NET " + Environment.Version
                  + ", " + Environment.ProcessorCount + " CPU(s)" + (Debugger.IsAttached ? ", DEBUGGER ATTACHED" : ""));
Console.WriteLine();
Console.WriteLine("{0,-34} {1,16} {2,16} {3,12} {4,14}", "operation", "portable ops/s", "desktop ops/s", "port/desk", "port B/op");
Console.WriteLine(new string('-', 96));
foreach (var (name, setup) in rows)
{
    var results = new (double OpsPerSecond, double BytesPerOp)?[providers.Length];
    for (int p = 0; p < providers.Length; p++)
    {
        results[p] = Run(providers[p], setup, seconds);
    }
    string ratio = results[0] is { } a && results[1] is { } b ? (a.OpsPerSecond / b.OpsPerSecond).ToString("0.000") + "x" : "-";
    Console.WriteLine("{0,-34} {1,16} {2,16} {3,12} {4,14}", name, Cell(results[0]), Cell(results[1]), ratio,
                      results[0] is { } r ? r.BytesPerOp.ToString("0") : "-");
}
Console.WriteLine();
// BouncyCastle's managed P-256 on the same operations (ops/s, bytes allocated per operation).
foreach (var (name, op) in new (string, Func<Action>)[]
{
    ("BouncyCastle 2.7.0 P-256 k*G", BouncyP256Bench.FixedBaseMultiply),
    ("BouncyCastle 2.7.0 ECDH shared secret", BouncyP256Bench.EcdhDerive),
    ("BouncyCastle 2.7.0 ECDSA sign (RFC 6979)", BouncyP256Bench.Sign),
    ("BouncyCastle 2.7.0 ECDSA verify", BouncyP256Bench.Verify),
})
{
    var r = Run(PortableCryptoProvider.Instance, _ => op(), seconds);
    Console.WriteLine("{0,-42} {1,8} ops/s {2,10} B/op", name, Cell(r), r is { } v ? v.BytesPerOp.ToString("0") : "-");
}
Console.WriteLine();
EcdheHandshakeBench.PrintFootprint();
Console.WriteLine("port B/op of a handshake row = bytes allocated per handshake (both engines), after construction.");
Console.WriteLine("port/desk = portable throughput / desktop throughput (1.000x = equal; 0.100x = portable 10x slower).");
return 0;

static string Cell((double OpsPerSecond, double BytesPerOp)? r) => r is { } v ? v.OpsPerSecond.ToString("N0") : "n/a";

static (double OpsPerSecond, double BytesPerOp)? Run(ICryptoProvider provider, Func<ICryptoProvider, Action> setup, double seconds)
{
    Action op;
    try
    {
        op = setup(provider);
    }
    catch (NotImplementedException)
    {
        return null;
    }

    // Warm-up: type initializers and the JIT's tiering (methods reach optimized tier 1 only after ~30 calls and a
    // background recompile), so at least 0.25 s whatever the measuring time; --quick would measure tier 0 otherwise.
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < Math.Max(0.25, seconds / 5))
    {
        op();
    }

    long ops = 0;
    int batch = 1;
    long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    watch.Restart();
    while (true)
    {
        for (int i = 0; i < batch; i++)
        {
            op();
        }
        ops += batch;
        double elapsed = watch.Elapsed.TotalSeconds;
        if (elapsed >= seconds)
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            return (ops / elapsed, (double)allocated / ops);
        }
        if (elapsed < seconds / 20)
        {
            batch *= 2; // keep the clock reads rare for fast operations
        }
    }
}

static Action CcmSealOpen(ICryptoProvider p, int tagLength, int length)
{
    IAesCcm ccm = p.CreateAesCcm(tagLength);
    byte[] key = new byte[16];
    Random.Shared.NextBytes(key);
    ccm.SetKey(key, 0);
    byte[] nonce = new byte[12];    // DTLS 1.2 CCM: 4-byte implicit IV + 8-byte explicit nonce (RFC 6655 §3)
    byte[] aad = new byte[13];      // DTLS 1.2 additional data (RFC 6347 §4.1.2.1)
    byte[] record = new byte[length + tagLength];
    Random.Shared.NextBytes(record);
    return () =>
    {
        ccm.Seal(nonce, 0, 12, aad, 0, 13, record, 0, length, record, 0);
        if (!ccm.Open(nonce, 0, 12, aad, 0, 13, record, 0, length + tagLength, record, 0))
        {
            throw new InvalidOperationException("CCM round trip failed");
        }
    };
}

static Action Sha256Of1KiB(ICryptoProvider p)
{
    ISha256 sha = p.CreateSha256();
    byte[] data = new byte[1024];
    byte[] digest = new byte[32];
    return () =>
    {
        sha.Update(data, 0, data.Length);
        sha.Finish(digest, 0);
    };
}

static Action HmacOf1KiB(ICryptoProvider p)
{
    IHmacSha256 hmac = p.CreateHmacSha256();
    byte[] data = new byte[1024];
    byte[] mac = new byte[32];
    hmac.SetKey(data, 0, 32);
    return () =>
    {
        hmac.Update(data, 0, data.Length);
        hmac.Finish(mac, 0);
    };
}

static Action PrfKeyBlock(ICryptoProvider p)
{
    // key_block for AES-128-CCM-8: 2 x 16-byte keys + 2 x 4-byte implicit IVs (RFC 6655 §3).
    var prf = new TlsPrf(p.CreateHmacSha256());
    byte[] master = new byte[48];
    byte[] serverRandom = new byte[32];
    byte[] clientRandom = new byte[32];
    byte[] keyBlock = new byte[40];
    byte[] label = TlsLabels.KeyExpansion;
    return () => prf.Derive(master, 0, 48, label, 0, label.Length, serverRandom, 0, 32, clientRandom, 0, 32, keyBlock, 0, 40);
}

static Action EcdhKeyGenAndDerive(ICryptoProvider p)
{
    // The peer's public key comes from the desktop provider, so the portable row measures only portable code.
    IRandom random = new HmacDrbg(DesktopEntropySource.Instance);
    IEcdhP256 peer = DesktopCryptoProvider.Instance.CreateEcdhP256();
    byte[] peerPublic = new byte[65];
    if (!peer.GenerateKeyPair(random) || !peer.ExportPublicKey(peerPublic, 0))
    {
        throw new InvalidOperationException("desktop P-256 key generation failed");
    }
    IEcdhP256 ecdh = p.CreateEcdhP256();
    byte[] shared = new byte[32];
    return () =>
    {
        if (!ecdh.GenerateKeyPair(random) || !ecdh.DeriveSharedSecret(peerPublic, 0, 65, shared, 0))
        {
            throw new InvalidOperationException("ECDH failed");
        }
    };
}

static Action FixedBaseMultiply(ICryptoProvider p)
{
    IEcdsaP256 ecdsa = p.CreateEcdsaP256();
    var (privateKey, _, _) = SigningKey();
    byte[] publicKey = new byte[65];
    return () =>
    {
        if (!ecdsa.DerivePublicKey(privateKey, 0, publicKey, 0))
        {
            throw new InvalidOperationException("k*G failed");
        }
    };
}

static Action EcdhDerive(ICryptoProvider p)
{
    IRandom random = new HmacDrbg(DesktopEntropySource.Instance);
    IEcdhP256 peer = DesktopCryptoProvider.Instance.CreateEcdhP256();
    byte[] peerPublic = new byte[65];
    if (!peer.GenerateKeyPair(random) || !peer.ExportPublicKey(peerPublic, 0))
    {
        throw new InvalidOperationException("desktop P-256 key generation failed");
    }
    IEcdhP256 ecdh = p.CreateEcdhP256();
    if (!ecdh.GenerateKeyPair(random))
    {
        throw new InvalidOperationException("P-256 key generation failed");
    }
    byte[] shared = new byte[32];
    return () =>
    {
        if (!ecdh.DeriveSharedSecret(peerPublic, 0, 65, shared, 0))
        {
            throw new InvalidOperationException("ECDH failed");
        }
    };
}

static (byte[] PrivateKey, byte[] PublicKey, byte[] Hash) SigningKey()
{
    IRandom random = new HmacDrbg(DesktopEntropySource.Instance);
    IEcdsaP256 desktop = DesktopCryptoProvider.Instance.CreateEcdsaP256();
    byte[] privateKey = new byte[32];
    byte[] publicKey = new byte[65];
    do
    {
        random.GetBytes(privateKey, 0, 32);
    }
    while (!desktop.DerivePublicKey(privateKey, 0, publicKey, 0)); // retried only if the scalar was 0 or >= n
    byte[] hash = new byte[32];
    random.GetBytes(hash, 0, 32);
    return (privateKey, publicKey, hash);
}

static Action EcdsaSign(ICryptoProvider p)
{
    IEcdsaP256 ecdsa = p.CreateEcdsaP256();
    var (privateKey, _, hash) = SigningKey();
    byte[] signature = new byte[64];
    return () =>
    {
        if (!ecdsa.Sign(privateKey, 0, hash, 0, signature, 0))
        {
            throw new InvalidOperationException("ECDSA sign failed");
        }
    };
}

static Action EcdsaVerify(ICryptoProvider p)
{
    IEcdsaP256 ecdsa = p.CreateEcdsaP256();
    var (privateKey, publicKey, hash) = SigningKey();
    byte[] signature = new byte[64];
    if (!DesktopCryptoProvider.Instance.CreateEcdsaP256().Sign(privateKey, 0, hash, 0, signature, 0))
    {
        throw new InvalidOperationException("desktop ECDSA sign failed");
    }
    return () =>
    {
        if (!ecdsa.Verify(publicKey, 0, 65, hash, 0, signature, 0))
        {
            throw new InvalidOperationException("ECDSA verify failed");
        }
    };
}
