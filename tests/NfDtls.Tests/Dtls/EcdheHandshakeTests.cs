using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using NfDtls.Tests.Pki;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>Fixed calendar time for certificate checks.</summary>
public sealed class FixedClock(long seconds) : IWallClock
{
    public long UnixSeconds { get; set; } = seconds;
}

/// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 handshakes in memory: raw public keys and X.509, server-only and mutual.</summary>
public class EcdheHandshakeTests
{
    private static readonly X509Certificate2 Root = TestPki.Make("DTLS Root", TestPki.CaOptions(), null);
    private static readonly X509Certificate2 Intermediate = TestPki.Make("DTLS Intermediate", TestPki.CaOptions(), Root);
    private static readonly X509Certificate2 ServerCert = TestPki.Make("server", TestPki.LeafOptions(dns: "server.example"), Intermediate);
    private static readonly X509Certificate2 ClientCert = TestPki.Make("client", TestPki.LeafOptions(dns: "client.example"), Intermediate);

    private static byte[] PrivateKey(X509Certificate2 cert)
    {
        using ECDsa key = cert.GetECDsaPrivateKey()!;
        byte[] d = key.ExportParameters(true).D!;
        byte[] r = new byte[32];
        d.CopyTo(r, 32 - d.Length);
        return r;
    }

    internal static byte[] PrivateKeyOf(X509Certificate2 cert) => PrivateKey(cert);

    private static byte[] NewKey(int seed)
    {
        var rng = new Random(seed);
        byte[] k = new byte[32];
        byte[] pub = new byte[65];
        do
        {
            rng.NextBytes(k);
        }
        while (!PortableCryptoProvider.Instance.CreateEcdsaP256().DerivePublicKey(k, 0, pub, 0));
        return k;
    }

    private static byte[] SpkiOf(byte[] privateKey)
    {
        byte[] pub = new byte[65];
        Assert.True(PortableCryptoProvider.Instance.CreateEcdsaP256().DerivePublicKey(privateKey, 0, pub, 0));
        byte[] spki = new byte[P256Spki.Length];
        P256Spki.Encode(pub, 0, spki, 0);
        return spki;
    }

    private static TrustAnchorStore Anchors(X509Certificate2 root)
    {
        var store = new TrustAnchorStore(2);
        Assert.Equal(CertificateError.None, store.AddCertificate(root.RawData, 0, root.RawData.Length));
        return store;
    }

    private static RpkAllowList Allow(params byte[][] privateKeys)
    {
        var list = new RpkAllowList(4);
        foreach (byte[] k in privateKeys)
        {
            byte[] spki = SpkiOf(k);
            Assert.True(list.AddSpki(spki, 0, spki.Length));
        }
        return list;
    }

    private sealed class Rig
    {
        public readonly QueueSink ToServer = new();
        public readonly QueueSink ToClient = new();
        public readonly RecordingEvents ClientEvents = new();
        public readonly RecordingEvents ServerEvents = new();
        public readonly DtlsClient Client;
        public readonly DtlsServer Server;
        public Func<byte[], byte[]>? TamperToServer;

        public Rig(EcdheCredentials server, EcdheCredentials client, ICryptoProvider? crypto = null, int clientHandshakeBuffer = 1536)
        {
            var sc = DtlsRig.Config(7, c =>
            {
                c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                c.Ecdhe = server;
                c.FlightBufferSize = 16384;
                c.HandshakeBufferSize = 4096;
            }, crypto);
            var cc = DtlsRig.Config(8, c =>
            {
                c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                c.Ecdhe = client;
                c.FlightBufferSize = 4096;
                c.HandshakeBufferSize = clientHandshakeBuffer;
            }, crypto);
            Server = new DtlsServer(sc, ToClient, new PskTable(1), ServerEvents);
            Client = new DtlsClient(cc, ToServer, DtlsRig.ServerAddress, null!, null!, ClientEvents);
        }

        public void Handshake()
        {
            Client.Connect(0);
            for (int i = 0; i < 100 && (ToServer.Queue.Count > 0 || ToClient.Queue.Count > 0); i++)
            {
                while (ToServer.Queue.Count > 0)
                {
                    byte[] d = ToServer.Queue.Dequeue();
                    if (TamperToServer != null)
                    {
                        d = TamperToServer(d);
                    }
                    Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
                }
                while (ToClient.Queue.Count > 0)
                {
                    byte[] d = ToClient.Queue.Dequeue();
                    Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
                }
            }
        }

        public void AssertConnectedAndTalking()
        {
            Assert.True(Client.IsConnected, "client not connected: " + Client.Session.Failure + " alert " + Client.Session.AlertDescription);
            DtlsSession s = Server.FindSession(DtlsRig.ClientAddress)!;
            Assert.NotNull(s);
            Assert.True(s.IsConnected);
            Assert.Equal(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, s.CipherSuite);
            Assert.Equal(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, Client.Session.CipherSuite);
            Assert.True(Client.Send("ping"u8.ToArray(), 0, 4, 0));
            Assert.True(Server.Send(DtlsRig.ClientAddress, "pong!"u8.ToArray(), 0, 5, 0));
            Handshake2();
            Assert.Equal("ping"u8.ToArray(), Assert.Single(ServerEvents.Data));
            Assert.Equal("pong!"u8.ToArray(), Assert.Single(ClientEvents.Data));
        }

        private void Handshake2()
        {
            while (ToServer.Queue.Count > 0 || ToClient.Queue.Count > 0)
            {
                while (ToServer.Queue.Count > 0)
                {
                    byte[] d = ToServer.Queue.Dequeue();
                    Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
                }
                while (ToClient.Queue.Count > 0)
                {
                    byte[] d = ToClient.Queue.Dequeue();
                    Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
                }
            }
        }

        /// <summary>Asserts that the handshake failed on both sides and that <paramref name="sender"/> sent the alert.</summary>
        public void AssertRefused(bool clientSends, int alert)
        {
            Assert.False(Client.IsConnected);
            Assert.Equal(0, Server.SessionCount);
            Assert.Equal(0, ClientEvents.Connected);
            Assert.Equal(0, ServerEvents.Connected);
            RecordingEvents receiver = clientSends ? ServerEvents : ClientEvents;
            Assert.Contains((AlertDescription.LevelFatal, alert), receiver.Alerts);
        }
    }

    internal static readonly byte[] ServerKey = NewKey(1);
    internal static readonly byte[] ClientKey = NewKey(2);
    private static readonly long Now = TestPki.NowSeconds;

    internal static EcdheCredentials RpkServer(bool requireClient, params byte[][] trusted) => new()
    {
        RawPublicKeys = true, PrivateKey = ServerKey, TrustedKeys = Allow(trusted),
        RequestClientCertificate = requireClient, RequireClientCertificate = requireClient,
    };

    internal static EcdheCredentials RpkClient(byte[]? key, params byte[][] trusted) => new()
    {
        RawPublicKeys = true, PrivateKey = key, TrustedKeys = Allow(trusted),
    };

    internal static EcdheCredentials X509Server(bool requireClient, X509Certificate2? cert = null, byte[]? key = null) => new()
    {
        PrivateKey = key ?? PrivateKey(cert ?? ServerCert),
        CertificateChain = new[] { (cert ?? ServerCert).RawData, Intermediate.RawData },
        TrustAnchors = Anchors(Root), Clock = new FixedClock(Now),
        RequestClientCertificate = requireClient, RequireClientCertificate = requireClient,
    };

    internal static EcdheCredentials X509Client(bool withCert, string name = "server.example", X509Certificate2? anchor = null, long? now = null) => new()
    {
        PrivateKey = withCert ? PrivateKey(ClientCert) : null,
        CertificateChain = withCert ? new[] { ClientCert.RawData, Intermediate.RawData } : null,
        TrustAnchors = Anchors(anchor ?? Root), Clock = new FixedClock(now ?? Now),
        ExpectedServerName = System.Text.Encoding.ASCII.GetBytes(name),
    };

    [Theory]
    [InlineData("portable")]
    [InlineData("desktop")]
    public void RawPublicKeysServerOnlyAndMutual(string provider)
    {
        ICryptoProvider crypto = provider == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;
        var serverOnly = new Rig(RpkServer(false), RpkClient(null, ServerKey), crypto);
        serverOnly.Handshake();
        serverOnly.AssertConnectedAndTalking();

        var mutual = new Rig(RpkServer(true, ClientKey), RpkClient(ClientKey, ServerKey), crypto);
        mutual.Handshake();
        mutual.AssertConnectedAndTalking();
    }

    [Theory]
    [InlineData("portable")]
    [InlineData("desktop")]
    public void X509ServerOnlyAndMutual(string provider)
    {
        ICryptoProvider crypto = provider == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;
        var serverOnly = new Rig(X509Server(false), X509Client(false), crypto);
        serverOnly.Handshake();
        serverOnly.AssertConnectedAndTalking();

        var mutual = new Rig(X509Server(true), X509Client(true), crypto);
        mutual.Handshake();
        mutual.AssertConnectedAndTalking();
    }

    [Fact]
    public void UnknownRawPublicKeyIsRefused()
    {
        var rig = new Rig(RpkServer(false), RpkClient(null, ClientKey)); // the client trusts some other key
        rig.Handshake();
        rig.AssertRefused(true, AlertDescription.UnknownCa);

        var rig2 = new Rig(RpkServer(true, ServerKey), RpkClient(ClientKey, ServerKey)); // the server does not know the client
        rig2.Handshake();
        rig2.AssertRefused(false, AlertDescription.UnknownCa);
    }

    [Fact]
    public void UntrustedCaExpiredAndWrongNameAreRefused()
    {
        X509Certificate2 otherRoot = TestPki.Make("Other Root", TestPki.CaOptions(), null);
        var untrusted = new Rig(X509Server(false), X509Client(false, anchor: otherRoot));
        untrusted.Handshake();
        untrusted.AssertRefused(true, AlertDescription.UnknownCa);

        var expired = new Rig(X509Server(false), X509Client(false, now: TestPki.Now.AddYears(2).ToUnixTimeSeconds()));
        expired.Handshake();
        expired.AssertRefused(true, AlertDescription.CertificateExpired);

        var wrongName = new Rig(X509Server(false), X509Client(false, name: "other.example"));
        wrongName.Handshake();
        wrongName.AssertRefused(true, AlertDescription.BadCertificate);
    }

    [Fact]
    public void BadServerKeyExchangeSignatureIsRefused()
    {
        // the server signs with a key that is not its certificate's: the signature over the ECDHE parameters fails
        var rig = new Rig(X509Server(false, key: NewKey(9)), X509Client(false));
        rig.Handshake();
        rig.AssertRefused(true, AlertDescription.DecryptError);
    }

    [Fact]
    public void OffCurveClientKeyExchangePointIsRefused()
    {
        var rig = new Rig(RpkServer(false), RpkClient(null, ServerKey));
        rig.TamperToServer = d =>
        {
            // the ClientKeyExchange travels in epoch 0: record header 13, handshake header 12, point length 1, 0x04
            for (int at = 0; at + 13 <= d.Length;)
            {
                int length = (d[at + 11] << 8) | d[at + 12];
                if (d[at] == 22 && d[at + 4] == 0 && d[at + 13] == HandshakeType.ClientKeyExchange)
                {
                    d[at + 13 + 12 + 1 + 40] ^= 0x01; // a y-coordinate bit: off the curve
                }
                at += 13 + length;
            }
            return d;
        };
        rig.Handshake();
        rig.AssertRefused(false, AlertDescription.IllegalParameter);
    }

    [Fact]
    public void MissingClientCertificateIsRefusedWhenRequired()
    {
        var rig = new Rig(X509Server(true), X509Client(false));
        rig.Handshake();
        rig.AssertRefused(false, AlertDescription.HandshakeFailure);
    }

    /// <summary>A server with a certificate chain and raw public keys (the gateway with rpk and x509 nodes).</summary>
    private static EcdheCredentials BothKindsServer()
    {
        EcdheCredentials c = X509Server(true);
        c.RawPublicKeys = true;
        c.TrustedKeys = Allow(ClientKey);
        return c;
    }

    [Fact]
    public void ServerWithChainAndRawKeysServesEachClientItsKind()
    {
        // An X.509 client (no certificate-type extensions): the server presents its chain and checks the client's.
        var x509 = new Rig(BothKindsServer(), X509Client(true));
        x509.Handshake();
        x509.AssertConnectedAndTalking();

        // An RPK client (RFC 7250 §4.1 lists raw keys only): the server presents its raw key, pins the client's.
        var rpk = new Rig(BothKindsServer(), RpkClient(ClientKey, PrivateKey(ServerCert))); // its raw key is its certificate's
        rpk.Handshake();
        rpk.AssertConnectedAndTalking();

        // Still refused: a raw key not on the list, and an X.509 client that sends no certificate.
        var stranger = new Rig(BothKindsServer(), RpkClient(NewKey(9), PrivateKey(ServerCert)));
        stranger.Handshake();
        stranger.AssertRefused(false, AlertDescription.UnknownCa);

        var anonymous = new Rig(BothKindsServer(), X509Client(false));
        anonymous.Handshake();
        Assert.False(anonymous.Client.IsConnected);
        Assert.Equal(0, anonymous.ServerEvents.Connected);
    }

    internal static X509Certificate2 BigServerCertificate()
    {
        var big = TestPki.LeafOptions(dns: "server.example");
        big.Extra.Add(new X509Extension("1.3.6.1.4.1.55555.1", new byte[] { 0x04, 0x82, 0x08, 0x00 }.Concat(new byte[2048]).ToArray(), false));
        return TestPki.Make("server", big, Intermediate);
    }

    [Theory]
    [InlineData("portable")]
    [InlineData("desktop")]
    public void ChainLargerThanTheHandshakeBufferIsStreamedThroughTheParser(string provider)
    {
        ICryptoProvider crypto = provider == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;
        X509Certificate2 bigCert = BigServerCertificate();
        Assert.True(bigCert.RawData.Length + Intermediate.RawData.Length > 1536 + 1000);
        // a 1536-byte reassembly buffer, a chain of ~2.8 KB: the client never holds the whole message
        var rig = new Rig(X509Server(true, bigCert), X509Client(true), crypto, clientHandshakeBuffer: 1536);
        rig.Handshake();
        rig.AssertConnectedAndTalking();
        Assert.True(rig.ToClient.Sent.All(d => d.Length <= 1232)); // the big flight went out in MTU-sized datagrams
    }

    [Fact]
    public void ChainLargerThanAllowedIsRefused()
    {
        X509Certificate2 bigCert = BigServerCertificate();
        EcdheCredentials client = X509Client(false);
        client.MaxCertificateMessageLength = 2048;
        var tooBig = new Rig(X509Server(false, bigCert), client, clientHandshakeBuffer: 1536);
        tooBig.Handshake();
        tooBig.AssertRefused(true, AlertDescription.BadCertificate);

        EcdheCredentials shortChains = X509Client(false);
        shortChains.MaxChainLength = 1; // the server sends end entity + intermediate
        var tooLong = new Rig(X509Server(false), shortChains);
        tooLong.Handshake();
        tooLong.AssertRefused(true, AlertDescription.BadCertificate);

        // a bad certificate inside a streamed chain is refused as it streams by
        var expired = new Rig(X509Server(false, bigCert), X509Client(false, now: TestPki.Now.AddYears(2).ToUnixTimeSeconds()), clientHandshakeBuffer: 1536);
        expired.Handshake();
        expired.AssertRefused(true, AlertDescription.CertificateExpired);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ClientOffersBothSuitesAndTheServerPicksByItsConfiguration(bool serverPrefersEcdhe)
    {
        var toServer = new QueueSink();
        var toClient = new QueueSink();
        var serverEvents = new RecordingEvents();
        var clientEvents = new RecordingEvents();
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var server = new DtlsServer(DtlsRig.Config(21, c =>
        {
            c.CipherSuites = serverPrefersEcdhe
                ? new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, CipherSuite.TlsPskWithAes128Ccm8 }
                : new[] { CipherSuite.TlsPskWithAes128Ccm8, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            c.Ecdhe = RpkServer(false);
        }), toClient, keys, serverEvents);
        var client = new DtlsClient(DtlsRig.Config(22, c =>
        {
            c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, CipherSuite.TlsPskWithAes128Ccm8 };
            c.Ecdhe = RpkClient(null, ServerKey);
        }), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, clientEvents);
        client.Connect(0);
        for (int i = 0; i < 50 && (toServer.Queue.Count > 0 || toClient.Queue.Count > 0); i++)
        {
            while (toServer.Queue.Count > 0)
            {
                byte[] d = toServer.Queue.Dequeue();
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
            }
            while (toClient.Queue.Count > 0)
            {
                byte[] d = toClient.Queue.Dequeue();
                client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
            }
        }
        Assert.True(client.IsConnected);
        int expected = serverPrefersEcdhe ? CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 : CipherSuite.TlsPskWithAes128Ccm8;
        Assert.Equal(expected, client.Session.CipherSuite);
        Assert.Equal(expected, server.FindSession(DtlsRig.ClientAddress)!.CipherSuite);
    }
}
