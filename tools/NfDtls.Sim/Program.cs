// Stand-in until the fleet simulator exists: a crypto self-test of the portable core. Runs published known-answer
// vectors through PortableCryptoProvider (and the portable PRF and DRBG), prints PASS/FAIL for each and the time
// taken, and exits 0 when all pass, 1 otherwise. Replaced by the simulator issue.
using System.Diagnostics;
using NfDtls.Crypto;

var checks = new List<(string Name, Func<bool> Run)>
{
    ("SHA-256 \"abc\" (FIPS 180-4)", () =>
        Sha256Of(Ascii("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("SHA-256 one million 'a' (FIPS 180-4)", () =>
        Sha256Of(Enumerable.Repeat((byte)'a', 1_000_000).ToArray()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ("HMAC-SHA256 RFC 4231 case 2", () =>
    {
        IHmacSha256 hmac = PortableCryptoProvider.Instance.CreateHmacSha256();
        byte[] key = Ascii("Jefe");
        byte[] data = Ascii("what do ya want for nothing?");
        hmac.SetKey(key, 0, key.Length);
        hmac.Update(data, 0, data.Length);
        byte[] mac = new byte[32];
        hmac.Finish(mac, 0);
        return Hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    }),
    ("AES-128-CCM-8 RFC 3610 packet vector #1", () =>
    {
        IAesCcm ccm = PortableCryptoProvider.Instance.CreateAesCcm(8);
        ccm.SetKey(Convert.FromHexString("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF"), 0);
        byte[] nonce = Convert.FromHexString("00000003020100A0A1A2A3A4A5");
        byte[] aad = Convert.FromHexString("0001020304050607");
        byte[] plain = Convert.FromHexString("08090A0B0C0D0E0F101112131415161718191A1B1C1D1E");
        byte[] record = new byte[plain.Length + 8];
        Array.Copy(plain, record, plain.Length);
        bool sealedOk = ccm.Seal(nonce, 0, nonce.Length, aad, 0, aad.Length, record, 0, plain.Length, record, 0)
                        && Hex(record) == "588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0";
        bool openedOk = ccm.Open(nonce, 0, nonce.Length, aad, 0, aad.Length, record, 0, record.Length, record, 0)
                        && record.AsSpan(0, plain.Length).SequenceEqual(plain);
        record[0] ^= 1; // and a tampered record is refused
        return sealedOk && openedOk && !ccm.Open(nonce, 0, nonce.Length, aad, 0, aad.Length, record, 0, record.Length, record, 0);
    }),
    ("TLS 1.2 PRF (P_SHA256) published vector", () =>
    {
        byte[] secret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
        byte[] seed = Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c");
        byte[] label = Ascii("test label");
        byte[] output = new byte[100];
        new TlsPrf().Derive(secret, 0, secret.Length, label, 0, label.Length, seed, 0, seed.Length, output, 0, 100);
        return Hex(output).StartsWith("e3f229ba727be17b8d122620557cd453", StringComparison.Ordinal)
               && Hex(output).EndsWith("87347b66", StringComparison.Ordinal);
    }),
    ("HMAC_DRBG SHA-256 NIST CAVP no-reseed COUNT 0", () =>
    {
        var drbg = new HmacDrbg(new FixedEntropy(Convert.FromHexString(
            "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488659ba96c601dc69fc902940805ec0ca8")));
        byte[] output = new byte[128];
        drbg.GetBytes(output, 0, 128);
        drbg.GetBytes(output, 0, 128);
        return Hex(output).StartsWith("e528e9abf2dece54d47c7e75e5fe3021", StringComparison.Ordinal)
               && Hex(output).EndsWith("aa0458bdaba806f48be9dcb8", StringComparison.Ordinal);
    }),
};

Console.WriteLine("nf-dtls: portable crypto self-test (the fleet simulator replaces this)");
int failed = 0;
var total = Stopwatch.StartNew();
foreach (var (name, run) in checks)
{
    var watch = Stopwatch.StartNew();
    bool ok;
    try
    {
        ok = run();
    }
    catch (Exception e)
    {
        Console.WriteLine("  threw " + e.GetType().Name + ": " + e.Message);
        ok = false;
    }
    Console.WriteLine("{0}  {1,-48} {2,8:0.00} ms", ok ? "PASS" : "FAIL", name, watch.Elapsed.TotalMilliseconds);
    failed += ok ? 0 : 1;
}
Console.WriteLine("{0} of {1} passed in {2:0.0} ms", checks.Count - failed, checks.Count, total.Elapsed.TotalMilliseconds);
return failed == 0 ? 0 : 1;

static byte[] Ascii(string s) => System.Text.Encoding.ASCII.GetBytes(s);

static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

static string Sha256Of(byte[] data)
{
    ISha256 sha = PortableCryptoProvider.Instance.CreateSha256();
    sha.Update(data, 0, data.Length);
    byte[] digest = new byte[32];
    sha.Finish(digest, 0);
    return Hex(digest);
}

sealed class FixedEntropy(byte[] bytes) : IEntropySource
{
    private int _position;

    public void GetEntropy(byte[] buffer, int offset, int count)
    {
        Array.Copy(bytes, _position, buffer, offset, count);
        _position += count;
    }
}
