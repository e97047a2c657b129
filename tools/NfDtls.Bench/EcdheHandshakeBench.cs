using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Bench;
using NfDtls.Bench.Interp;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Pki;

/// <summary>
/// Whole TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 handshakes in one process: a client and a server engine back to back in
/// memory (<see cref="HandshakePair"/>, cookie exchange included), all crypto from the provider under test. One
/// operation = one handshake from ClientHello to both sides connected (the client reconnecting from the same address
/// replaces its server session).
/// </summary>
internal static class EcdheHandshakeBench
{
    private sealed class Clock : IWallClock
    {
        public long UnixSeconds => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);

    private static byte[] Key(ECDsa key)
    {
        byte[] d = key.ExportParameters(true).D!;
        byte[] r = new byte[32];
        d.CopyTo(r, 32 - d.Length);
        return r;
    }

    internal static (EcdheCredentials Server, EcdheCredentials Client) Credentials(bool x509)
    {
        var now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(10));
        X509Certificate2 Leaf(ECDsa key, string name)
        {
            var r = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            r.CertificateExtensions.Add(san.Build());
            return r.Create(ca, now.AddDays(-1), now.AddDays(5), RandomNumberGenerator.GetBytes(8));
        }
        var anchors = new TrustAnchorStore(1);
        anchors.AddCertificate(ca.RawData, 0, ca.RawData.Length);
        var trusted = new RpkAllowList(2);
        byte[] s = serverKey.ExportSubjectPublicKeyInfo();
        byte[] c = clientKey.ExportSubjectPublicKeyInfo();
        trusted.AddSpki(s, 0, s.Length);
        trusted.AddSpki(c, 0, c.Length);
        var server = new EcdheCredentials
        {
            PrivateKey = Key(serverKey), RawPublicKeys = !x509, TrustAnchors = anchors, TrustedKeys = trusted, Clock = new Clock(),
            CertificateChain = x509 ? new[] { Leaf(serverKey, "server.bench").RawData } : null,
            RequestClientCertificate = x509, RequireClientCertificate = x509,
        };
        var client = new EcdheCredentials
        {
            PrivateKey = Key(clientKey), RawPublicKeys = !x509, TrustAnchors = anchors, TrustedKeys = trusted, Clock = new Clock(),
            CertificateChain = x509 ? new[] { Leaf(clientKey, "client.bench").RawData } : null,
            ExpectedServerName = x509 ? "server.bench"u8.ToArray() : null,
        };
        return (server, client);
    }

    private static DtlsConfig Config(ICryptoProvider p, EcdheCredentials credentials, int sessions) => new()
    {
        Crypto = p,
        Random = new HmacDrbg(DesktopEntropySource.Instance),
        CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 },
        Ecdhe = credentials,
        SessionCapacity = sessions,
        HandshakeBufferSize = 2048,
        FlightBufferSize = 2048,
    };

    /// <summary>Server-only raw public keys (x509 = false) or mutual X.509 with one-certificate chains (x509 = true).</summary>
    public static Action Handshake(ICryptoProvider p, bool x509)
    {
        var (serverCredentials, clientCredentials) = Credentials(x509);
        if (!x509)
        {
            clientCredentials.PrivateKey = null; // server-only authentication
        }
        var pair = new HandshakePair(Config(p, serverCredentials, 1), new PskTable(1), Config(p, clientCredentials, 1), null, null);
        return () => pair.Handshake(false);
    }

    /// <summary>Bytes the engines allocate at construction (all their buffers): what a board must budget.</summary>
    public static void PrintFootprint()
    {
        var (serverCredentials, clientCredentials) = Credentials(true);
        foreach (ICryptoProvider p in new ICryptoProvider[] { PortableCryptoProvider.Instance, DesktopCryptoProvider.Instance })
        {
            DtlsConfig cc = Config(p, clientCredentials, 1);
            cc.HandshakeBufferSize = 1536;
            cc.FlightBufferSize = 1536;
            var sink = new DatagramQueue();
            var events = new ConnectionCounter();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var client = new DtlsClient(cc, sink, ServerAddress, null!, null!, events);
            long clientBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            DtlsConfig sc = Config(p, serverCredentials, 1);
            before = GC.GetAllocatedBytesForCurrentThread();
            var server = new DtlsServer(sc, sink, new PskTable(1), events);
            long serverBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            DtlsConfig sc16 = Config(p, serverCredentials, 16);
            before = GC.GetAllocatedBytesForCurrentThread();
            var server16 = new DtlsServer(sc16, sink, new PskTable(1), events);
            long server16Bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine("ECDHE server with 16 sessions [" + p.Name + "]: " + server16Bytes + " B (" + (server16Bytes - serverBytes) / 15 + " B per extra session)");
            GC.KeepAlive(server16);
            DtlsConfig pc = Config(p, clientCredentials, 1);
            pc.CipherSuites = new[] { CipherSuite.TlsPskWithAes128Ccm8 };
            pc.Ecdhe = null;
            pc.HandshakeBufferSize = 1536;
            pc.FlightBufferSize = 1536;
            before = GC.GetAllocatedBytesForCurrentThread();
            var pskClient = new DtlsClient(pc, sink, ServerAddress, "id"u8.ToArray(), new byte[16], events);
            long pskBytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Console.WriteLine("PSK-only client footprint [" + p.Name + "]: " + pskBytes + " B (ECDHE adds " + (clientBytes - pskBytes) + " B)");
            GC.KeepAlive(client);
            GC.KeepAlive(server);
            GC.KeepAlive(pskClient);
            Console.WriteLine("ECDHE engine footprint [" + p.Name + "]: client " + clientBytes + " B (1536 B handshake + flight buffers), "
                              + "server with 1 session " + serverBytes + " B (2048 B buffers), allocated once at construction");
        }
    }
}
