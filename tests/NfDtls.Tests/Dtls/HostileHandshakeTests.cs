using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Pki;
using NfDtls.Tests.Pki;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Issue 16, findings 1, 2, 3, 4, 5, 5b, 13 and 14 (the handshake state), reproduced as the attack pass described them,
/// through the public sans-IO engines only: datagrams in, datagrams and events out, spoofed records built byte by byte.
/// Every test here failed on 0bb2224 (the lead hands them to the handshake redesign).
/// </summary>
public class HostileHandshakeTests
{
    // ================================================================ wire helpers

    private const int Handshake = 22;
    private const int ChangeCipherSpec = 20;

    private sealed record Rec(int Type, int Epoch, long Sequence, byte[] Bytes)
    {
        /// <summary>Handshake type of the first fragment of an epoch-0 handshake record, -1 otherwise.</summary>
        public int HandshakeType => Type == Handshake && Epoch == 0 && Bytes.Length > 13 ? Bytes[13] : -1;
    }

    private static List<Rec> Records(byte[] datagram)
    {
        var list = new List<Rec>();
        for (int at = 0; at + 13 <= datagram.Length;)
        {
            int length = (datagram[at + 11] << 8) | datagram[at + 12];
            int epoch = (datagram[at + 3] << 8) | datagram[at + 4];
            long seq = 0;
            for (int i = 5; i < 11; i++)
            {
                seq = (seq << 8) | datagram[at + i];
            }
            list.Add(new Rec(datagram[at], epoch, seq, datagram.AsSpan(at, 13 + length).ToArray()));
            at += 13 + length;
        }
        return list;
    }

    private static byte[] Join(IEnumerable<Rec> records) => records.SelectMany(r => r.Bytes).ToArray();

    private static byte[] Record(int type, int epoch, long sequence, byte[] fragment)
    {
        var r = new byte[13 + fragment.Length];
        r[0] = (byte)type;
        r[1] = 0xFE;
        r[2] = 0xFD;
        r[3] = (byte)(epoch >> 8);
        r[4] = (byte)epoch;
        for (int i = 0; i < 6; i++)
        {
            r[5 + i] = (byte)(sequence >> (8 * (5 - i)));
        }
        r[11] = (byte)(fragment.Length >> 8);
        r[12] = (byte)fragment.Length;
        fragment.CopyTo(r, 13);
        return r;
    }

    /// <summary>One handshake message (unfragmented): the 12-byte DTLS header and the body.</summary>
    private static byte[] Message(int type, int messageSeq, byte[] body)
    {
        var m = new byte[12 + body.Length];
        m[0] = (byte)type;
        m[1] = (byte)(body.Length >> 16);
        m[2] = (byte)(body.Length >> 8);
        m[3] = (byte)body.Length;
        m[4] = (byte)(messageSeq >> 8);
        m[5] = (byte)messageSeq;
        m[9] = m[1];
        m[10] = m[2];
        m[11] = m[3];
        body.CopyTo(m, 12);
        return m;
    }

    /// <summary>Whole epoch-0 handshake messages of some datagrams, reassembled from their fragments: (type, seq, body).</summary>
    private static List<(int Type, int Seq, byte[] Body)> Messages(IEnumerable<byte[]> datagrams)
    {
        var bodies = new Dictionary<int, (int Type, byte[] Body)>();
        foreach (byte[] d in datagrams)
        {
            foreach (Rec r in Records(d).Where(r => r.Type == Handshake && r.Epoch == 0))
            {
                for (int at = 13; at + 12 <= r.Bytes.Length;)
                {
                    byte[] b = r.Bytes;
                    int length = (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
                    int seq = (b[at + 4] << 8) | b[at + 5];
                    int offset = (b[at + 6] << 16) | (b[at + 7] << 8) | b[at + 8];
                    int fragment = (b[at + 9] << 16) | (b[at + 10] << 8) | b[at + 11];
                    if (!bodies.TryGetValue(seq, out var m))
                    {
                        m = (b[at], new byte[length]);
                        bodies[seq] = m;
                    }
                    Array.Copy(b, at + 12, m.Body, offset, fragment);
                    at += 12 + fragment;
                }
            }
        }
        return bodies.OrderBy(kv => kv.Key).Select(kv => (kv.Value.Type, kv.Key, kv.Value.Body)).ToList();
    }

    // ================================================================ a server and many clients in memory

    private sealed class Peer
    {
        public PeerAddress Address = null!;
        public DtlsClient Client = null!;
        public readonly QueueSink Out = new();
        public readonly Queue<byte[]> In = new();
        public readonly List<byte[]> Received = new();
        public readonly RecordingEvents Events = new();

        /// <summary>Delivers a datagram to the client as if it came from the server.</summary>
        public void Inject(byte[] d, long now) => Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, now);
    }

    private sealed class Net : IDatagramSink
    {
        public readonly DtlsServer Server;
        public readonly RecordingEvents ServerEvents = new();
        public readonly List<Peer> Peers = new();
        public readonly List<(PeerAddress To, byte[] Data)> ServerSent = new();
        public long Now;
        /// <summary>Sees every datagram a client sends before the server does; null drops it.</summary>
        public Func<Peer, byte[], byte[]?>? ToServer;
        /// <summary>Sees every datagram the server sends before its client does; null drops it.</summary>
        public Func<Peer, byte[], byte[]?>? ToClient;

        public Net(DtlsConfig serverConfig, IPskStore? keys = null)
        {
            Server = new DtlsServer(serverConfig, this, keys ?? PskKeys(), ServerEvents);
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            byte[] copy = buffer.AsSpan(offset, count).ToArray();
            var to = new PeerAddress();
            to.CopyFrom(destination);
            ServerSent.Add((to, copy));
            Peer? p = Peers.FirstOrDefault(x => x.Address.SameAs(destination));
            if (p != null)
            {
                p.In.Enqueue(copy);
            }
        }

        public Peer AddClient(DtlsConfig config, byte[]? identity = null, byte[]? key = null)
        {
            int n = Peers.Count + 2;
            var p = new Peer { Address = PeerAddress.FromIPv4(10, 0, n >> 8, n & 0xFF, 40000 + n) };
            p.Client = new DtlsClient(config, p.Out, DtlsRig.ServerAddress, identity!, key!, p.Events);
            Peers.Add(p);
            return p;
        }

        public Peer AddPskClient(int seed) => AddClient(DtlsRig.Config(seed), DtlsRig.Identity, DtlsRig.Key);

        /// <summary>Delivers a datagram to the server as if <paramref name="from"/> sent it.</summary>
        public void Inject(PeerAddress from, byte[] d) => Server.Receive(d, 0, d.Length, from, Now);

        /// <summary>Delivers queued datagrams both ways until nothing moves.</summary>
        public void Pump(int rounds = 200)
        {
            for (int i = 0; i < rounds; i++)
            {
                bool moved = false;
                foreach (Peer p in Peers)
                {
                    while (p.Out.Queue.Count > 0)
                    {
                        byte[]? d = p.Out.Queue.Dequeue();
                        moved = true;
                        d = ToServer != null ? ToServer(p, d) : d;
                        if (d != null)
                        {
                            Server.Receive(d, 0, d.Length, p.Address, Now);
                        }
                    }
                }
                foreach (Peer p in Peers)
                {
                    while (p.In.Count > 0)
                    {
                        byte[]? d = p.In.Dequeue();
                        moved = true;
                        d = ToClient != null ? ToClient(p, d) : d;
                        if (d != null)
                        {
                            p.Received.Add(d);
                            p.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, Now);
                        }
                    }
                }
                if (!moved)
                {
                    return;
                }
            }
        }

        /// <summary>Pumps and, when nothing moves, advances time to the next deadline (up to <paramref name="untilMs"/>) and ticks.</summary>
        public void Run(Func<bool> done, long untilMs)
        {
            for (int i = 0; i < 1000 && !done(); i++)
            {
                Pump();
                if (done())
                {
                    return;
                }
                long next = Server.NextDeadline;
                foreach (Peer p in Peers)
                {
                    next = Math.Min(next, p.Client.NextDeadline);
                }
                if (next > untilMs)
                {
                    return;
                }
                Now = Math.Max(Now, next);
                Server.Tick(Now);
                foreach (Peer p in Peers)
                {
                    p.Client.Tick(Now);
                }
            }
        }

        /// <summary>Runs the client's handshake until the server has sent it flight 4 (the client has not answered it yet).</summary>
        public List<byte[]> UntilFlight4(Peer p)
        {
            var flight4 = new List<byte[]>();
            p.Client.Connect(Now);
            Pump(1); // ClientHello → HelloVerifyRequest → ClientHello with cookie
            for (int i = 0; i < 4 && p.Out.Queue.Count > 0; i++)
            {
                while (p.Out.Queue.Count > 0)
                {
                    byte[] d = p.Out.Queue.Dequeue();
                    Server.Receive(d, 0, d.Length, p.Address, Now);
                }
                while (p.In.Count > 0)
                {
                    byte[] d = p.In.Dequeue();
                    if (Records(d).Any(r => r.HandshakeType == HandshakeType.ServerHello))
                    {
                        flight4.Add(d);
                        while (p.In.Count > 0)
                        {
                            flight4.Add(p.In.Dequeue());
                        }
                        return flight4;
                    }
                    p.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, Now);
                }
            }
            Assert.Fail("no flight 4");
            return flight4;
        }
    }

    private static PskTable PskKeys()
    {
        var keys = new PskTable(2);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        return keys;
    }

    // ================================================================ ECDHE credentials (a chain of our own, so a client's can be made 8 KB)

    private static readonly X509Certificate2 Root = TestPki.Make("Hostile Root", TestPki.CaOptions(), null);
    private static readonly X509Certificate2 Intermediate = TestPki.Make("Hostile Intermediate", TestPki.CaOptions(), Root);
    private static readonly X509Certificate2 ServerCert = TestPki.Make("server", TestPki.LeafOptions(dns: "server.example"), Intermediate);
    private static readonly X509Certificate2 ClientCert = TestPki.Make("client", TestPki.LeafOptions(dns: "client.example"), Intermediate);
    private static readonly X509Certificate2 BigClientCert = MakeBig();

    /// <summary>A client certificate padded with an 8,000-byte non-critical extension: an 8 KB+ chain, streamed (issue 4).</summary>
    private static X509Certificate2 MakeBig()
    {
        TestPki.Options o = TestPki.LeafOptions(dns: "big.example");
        byte[] padding = new byte[4 + 8000];
        padding[0] = 0x04; // OCTET STRING, 8000 bytes
        padding[1] = 0x82;
        padding[2] = 8000 >> 8;
        padding[3] = 8000 & 0xFF;
        o.Extra.Add(new X509Extension("1.3.6.1.4.1.55555.1", padding, false));
        return TestPki.Make("big client", o, Intermediate);
    }

    private static byte[] KeyOf(X509Certificate2 cert)
    {
        using ECDsa key = cert.GetECDsaPrivateKey()!;
        byte[] d = key.ExportParameters(true).D!;
        byte[] r = new byte[32];
        d.CopyTo(r, 32 - d.Length);
        return r;
    }

    private static TrustAnchorStore Anchors()
    {
        var store = new TrustAnchorStore(2);
        Assert.Equal(CertificateError.None, store.AddCertificate(Root.RawData, 0, Root.RawData.Length));
        return store;
    }

    private static DtlsConfig EcdheServerConfig(int seed, EcdheCredentials credentials, Action<DtlsConfig>? more = null) => DtlsRig.Config(seed, c =>
    {
        c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
        c.Ecdhe = credentials;
        c.FlightBufferSize = 16384;
        c.HandshakeBufferSize = 4096;
        more?.Invoke(c);
    });

    private static DtlsConfig EcdheClientConfig(int seed, EcdheCredentials credentials, Action<DtlsConfig>? more = null) => DtlsRig.Config(seed, c =>
    {
        c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
        c.Ecdhe = credentials;
        c.FlightBufferSize = 16384;
        c.HandshakeBufferSize = 4096;
        more?.Invoke(c);
    });

    private static EcdheCredentials MutualServer() => new()
    {
        PrivateKey = KeyOf(ServerCert),
        CertificateChain = new[] { ServerCert.RawData, Intermediate.RawData },
        TrustAnchors = Anchors(), Clock = new FixedClock(TestPki.NowSeconds),
        RequestClientCertificate = true, RequireClientCertificate = true,
    };

    private static EcdheCredentials ClientWith(X509Certificate2 cert) => new()
    {
        PrivateKey = KeyOf(cert),
        CertificateChain = new[] { cert.RawData, Intermediate.RawData },
        TrustAnchors = Anchors(), Clock = new FixedClock(TestPki.NowSeconds),
        ExpectedServerName = "server.example"u8.ToArray(),
    };

    private static EcdheCredentials RpkServer() => EcdheHandshakeTests.RpkServer(false);

    private static EcdheCredentials RpkClient() => EcdheHandshakeTests.RpkClient(null, EcdheHandshakeTests.ServerKey);

    // ================================================================ 1. one bad client certificate poisons the next ones

    [Fact]
    public void Finding1_AMalformedClientCertificateDoesNotPoisonTheNextClients()
    {
        var net = new Net(EcdheServerConfig(11, MutualServer()));
        Peer attacker = net.AddClient(EcdheClientConfig(12, ClientWith(ClientCert)));
        net.UntilFlight4(attacker);
        attacker.Out.Queue.Clear();
        // Its flight 5 never leaves; instead one Certificate message (message_seq 2) with body 000006 007f01 300000:
        // a list of 6 bytes whose first certificate claims 0x7f01 bytes.
        byte[] body = Convert.FromHexString("000006007f01300000");
        net.Inject(attacker.Address, Record(Handshake, 0, 10, Message(HandshakeType.Certificate, 2, body)));

        for (int i = 0; i < 2; i++)
        {
            Peer honest = net.AddClient(EcdheClientConfig(20 + i, ClientWith(ClientCert)));
            honest.Client.Connect(net.Now);
            net.Pump();
            Assert.True(honest.Client.IsConnected, "legitimate client " + (i + 1) + " after the bad certificate: "
                + honest.Client.Session.Failure + " alert " + honest.Client.Session.AlertDescription);
        }
    }

    private static EcdheEcdsaKeyExchange ServerKx(Net net) =>
        (EcdheEcdsaKeyExchange)net.Server.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);

    /// <summary>
    /// Both clients' flight 5 (an 8 KB chain each, streamed) reach the server interleaved datagram by datagram. With one
    /// certificate verifier (the default) the first Certificate to start takes it and the other's fragments are dropped
    /// as if lost, so that client connects after retransmitting its flight; with two verifiers both connect at once.
    /// Either way each chain is read by a clean verifier of its own (issue 16, finding 1).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Finding1_TwoClientsWhose8KbChainsArriveInterleavedBothConnect(int chains)
    {
        Assert.True(BigClientCert.RawData.Length + Intermediate.RawData.Length > 8192);
        var net = new Net(EcdheServerConfig(13, MutualServer(), c =>
        {
            c.SessionCapacity = 4;
            c.ConcurrentCertificateChains = chains;
        }));
        Assert.Equal(chains, ServerKx(net).CertificateVerifiers);
        Peer a = net.AddClient(EcdheClientConfig(14, ClientWith(BigClientCert)));
        Peer b = net.AddClient(EcdheClientConfig(15, ClientWith(BigClientCert)));
        List<byte[]> fa = net.UntilFlight4(a);
        List<byte[]> fb = net.UntilFlight4(b);
        foreach (byte[] d in fa)
        {
            a.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, net.Now);
        }
        foreach (byte[] d in fb)
        {
            b.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, net.Now);
        }
        byte[][] flightA = a.Out.Queue.ToArray();
        byte[][] flightB = b.Out.Queue.ToArray();
        a.Out.Queue.Clear();
        b.Out.Queue.Clear();
        Assert.True(flightA.Length >= 4 && flightB.Length >= 4, "flight 5 should take several datagrams");
        for (int i = 0; i < Math.Max(flightA.Length, flightB.Length); i++)
        {
            if (i < flightA.Length)
            {
                net.Inject(a.Address, flightA[i]);
            }
            if (i < flightB.Length)
            {
                net.Inject(b.Address, flightB[i]);
            }
        }
        net.Pump();
        Assert.True(a.Client.IsConnected, "client A: " + a.Client.Session.Failure + " alert " + a.Client.Session.AlertDescription);
        Assert.Equal(chains, ServerKx(net).FreeCertificateVerifiers); // A's verifier is back, wiped
        if (chains == 1)
        {
            // B's Certificate found the only verifier lent to A: dropped without an alert, B still handshaking.
            Assert.False(b.Client.IsConnected);
            Assert.True(b.Client.Session.IsActive, "client B must not have failed: " + b.Client.Session.Failure);
            net.Run(() => b.Client.IsConnected, net.Now + 20_000);
        }
        Assert.True(b.Client.IsConnected, "client B: " + b.Client.Session.Failure + " alert " + b.Client.Session.AlertDescription);
        Assert.Equal(chains, ServerKx(net).FreeCertificateVerifiers);
    }

    /// <summary>
    /// A client that goes silent in the middle of its 8 KB Certificate holds the only verifier until its handshake
    /// times out; then the verifier is back (wiped) and the next client's chain is read.
    /// </summary>
    [Fact]
    public void Finding1_AHandshakeAbandonedInItsCertificateReturnsTheVerifierWhenItTimesOut()
    {
        var net = new Net(EcdheServerConfig(16, MutualServer(), c => c.SessionCapacity = 4));
        EcdheEcdsaKeyExchange kx = ServerKx(net);
        Assert.Equal(1, kx.CertificateVerifiers);
        Peer quitter = net.AddClient(EcdheClientConfig(17, ClientWith(BigClientCert)));
        foreach (byte[] d in net.UntilFlight4(quitter))
        {
            quitter.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, net.Now);
        }
        byte[][] flight = quitter.Out.Queue.ToArray();
        quitter.Out.Queue.Clear();
        Assert.True(flight.Length >= 4);
        net.Inject(quitter.Address, flight[0]); // the start of its Certificate, then nothing more
        net.Inject(quitter.Address, flight[1]);
        Assert.Equal(0, kx.FreeCertificateVerifiers);
        net.ToServer = (p, d) => p == quitter ? null : d; // it never speaks again
        // 100 s later (the server's timer keeps resending flight 4 to the quitter meanwhile), the next client: its
        // handshake outlives the quitter's by as much, so one of its retransmissions comes after the verifier is back.
        net.Run(() => false, net.Now + 100_000);
        Assert.Equal(0, kx.FreeCertificateVerifiers);

        Peer next = net.AddClient(EcdheClientConfig(18, ClientWith(BigClientCert)));
        next.Client.Connect(net.Now);
        net.Pump();
        Assert.False(next.Client.IsConnected); // its Certificate waits for the verifier
        Assert.True(next.Client.Session.IsActive, "the waiting client must not fail: " + next.Client.Session.Failure);
        Assert.Equal(2, net.Server.HandshakesInProgress);
        net.Run(() => next.Client.IsConnected, net.Now + 600_000);
        Assert.True(next.Client.IsConnected, "next client: " + next.Client.Session.Failure + " alert " + next.Client.Session.AlertDescription
            + " now " + net.Now + " free " + kx.FreeCertificateVerifiers + " hs " + net.Server.HandshakesInProgress + " received " + next.Received.Count);
        Assert.Equal(1, kx.FreeCertificateVerifiers);
        Assert.Equal(0, net.Server.HandshakesInProgress); // the quitter's timed out, the next one's completed
    }

    // ================================================================ 2. half-open handshakes evict established sessions

    [Fact]
    public void Finding2_HalfOpenHandshakesDoNotEvictEstablishedSessions()
    {
        var net = new Net(DtlsRig.Config(21, c => c.SessionCapacity = 16));
        var honest = new List<Peer>();
        for (int i = 0; i < 16; i++)
        {
            Peer p = net.AddPskClient(100 + i);
            p.Client.Connect(net.Now);
            net.Pump();
            Assert.True(p.Client.IsConnected);
            honest.Add(p);
        }
        // 16 attackers complete only the cookie exchange (two datagrams each, no key needed).
        for (int i = 0; i < 16; i++)
        {
            // A second apart: the server's handshake pool (2) lets the oldest half-open handshake make way once it has
            // waited an initial retransmission timeout, so every attacker gets its flight 4 — and still no
            // established session may be touched.
            net.Now += 1000;
            Peer attacker = net.AddPskClient(200 + i);
            net.UntilFlight4(attacker);
            attacker.Out.Queue.Clear();
        }
        foreach (Peer p in honest)
        {
            DtlsSession? s = net.Server.FindSession(p.Address);
            Assert.True(s != null && s.IsConnected, "an established session was evicted for a half-open handshake");
        }
        // And they still talk.
        foreach (Peer p in honest)
        {
            Assert.True(p.Client.Send("up"u8.ToArray(), 0, 2, net.Now));
        }
        net.Pump();
        Assert.Equal(16, net.ServerEvents.Data.Count);
    }

    // ================================================================ 3. amplification through epoch-0 records

    /// <summary>48 × the 25-byte record of the report, message_seq <paramref name="messageSeq"/>: 1,200 bytes.</summary>
    private static byte[] AmplifierDatagram(int messageSeq)
    {
        byte[] record = Convert.FromHexString("16fefd00000000000003e8000c10000000" + messageSeq.ToString("x4") + "000000000000");
        Assert.Equal(25, record.Length);
        return Enumerable.Repeat(record, 48).SelectMany(r => r).ToArray();
    }

    private static long BytesTo(Net net, PeerAddress to, int fromIndex) =>
        net.ServerSent.Skip(fromIndex).Where(s => s.To.SameAs(to)).Sum(s => (long)s.Data.Length);

    [Fact]
    public void Finding3_AConnectedPskSessionDoesNotResendItsFlightForForeignRecords()
    {
        var net = new Net(DtlsRig.Config(31));
        Peer p = net.AddPskClient(32);
        p.Client.Connect(net.Now);
        net.Pump();
        Assert.True(p.Client.IsConnected);
        int mark = net.ServerSent.Count;
        byte[] attack = AmplifierDatagram(3); // the client's Finished was message_seq 3
        Assert.Equal(1200, attack.Length);
        net.Inject(p.Address, attack);
        Assert.Equal(0, BytesTo(net, p.Address, mark)); // was ×2.7
    }

    [Fact]
    public void Finding3_AHalfOpenPskSessionDoesNotResendItsFlightForForeignRecords()
    {
        var net = new Net(DtlsRig.Config(33));
        Peer p = net.AddPskClient(34);
        net.UntilFlight4(p);
        int mark = net.ServerSent.Count;
        net.Inject(p.Address, AmplifierDatagram(1)); // the ClientHello with the cookie was message_seq 1
        Assert.Equal(0, BytesTo(net, p.Address, mark)); // was ×4.0
    }

    [Fact]
    public void Finding3_AHalfOpenEcdheSessionDoesNotResendItsFlightForForeignRecords()
    {
        var net = new Net(EcdheServerConfig(35, RpkServer()));
        Peer p = net.AddClient(EcdheClientConfig(36, RpkClient()));
        net.UntilFlight4(p);
        int mark = net.ServerSent.Count;
        byte[] one = AmplifierDatagram(1).AsSpan(0, 25).ToArray();
        net.Inject(p.Address, one); // a single 25-byte record must not draw the ~800-byte flight
        Assert.Equal(0, BytesTo(net, p.Address, mark));
        net.Inject(p.Address, AmplifierDatagram(1));
        Assert.Equal(0, BytesTo(net, p.Address, mark)); // was ×31.8 (38 KB)
    }

    [Fact]
    public void Finding3_GenuineRetransmissionsArrivingTogetherDrawOneResend()
    {
        var net = new Net(DtlsRig.Config(37, c => c.InitialRetransmitMs = 60000));
        Peer p = net.AddPskClient(38);
        net.UntilFlight4(p); // flight 4 lost on its way to the client
        // The client's timer fires twice: two real retransmissions of its ClientHello (new record numbers each).
        net.Now = p.Client.NextDeadline;
        p.Client.Tick(net.Now);
        net.Now = p.Client.NextDeadline;
        p.Client.Tick(net.Now);
        byte[][] resent = p.Out.Queue.ToArray();
        p.Out.Queue.Clear();
        Assert.Equal(2, resent.Length);
        int mark = net.ServerSent.Count;
        long flight4 = 0;
        foreach (byte[] d in resent)
        {
            net.Inject(p.Address, d);
            if (flight4 == 0)
            {
                flight4 = BytesTo(net, p.Address, mark);
            }
        }
        Assert.True(flight4 > 0, "a genuine retransmission is answered");
        Assert.Equal(flight4, BytesTo(net, p.Address, mark)); // once, not once per datagram in the same instant
    }

    // ================================================================ 4. one spoofed record stalls a handshake

    [Fact]
    public void Finding4_ASpoofedRecordWithTheHighestSequenceNumberDoesNotStallTheServer()
    {
        var net = new Net(DtlsRig.Config(41));
        Peer p = net.AddPskClient(42);
        List<byte[]> flight4 = net.UntilFlight4(p);
        // 25 bytes from the client's address: an epoch-0 handshake record, sequence number 2^48 - 1, an old message.
        byte[] spoof = Record(Handshake, 0, (1L << 48) - 1, Message(HandshakeType.ClientKeyExchange, 0, Array.Empty<byte>()));
        Assert.Equal(25, spoof.Length);
        net.Inject(p.Address, spoof);
        foreach (byte[] d in flight4)
        {
            p.In.Enqueue(d);
        }
        net.Run(() => p.Client.IsConnected, 60_000);
        Assert.True(p.Client.IsConnected, "client: " + p.Client.Session.Failure + " " + p.Client.Session.HandshakeStep);
    }

    [Fact]
    public void Finding4_ASpoofedRecordWithTheHighestSequenceNumberDoesNotStallTheClient()
    {
        var net = new Net(DtlsRig.Config(43));
        Peer p = net.AddPskClient(44);
        List<byte[]> flight4 = net.UntilFlight4(p);
        // From the server's address to the client, before flight 4 arrives.
        byte[] spoof = Record(Handshake, 0, (1L << 48) - 1, Message(HandshakeType.ServerHelloDone, 0, Array.Empty<byte>()));
        p.Inject(spoof, net.Now);
        foreach (byte[] d in flight4)
        {
            p.In.Enqueue(d);
        }
        net.Run(() => p.Client.IsConnected, 60_000);
        Assert.True(p.Client.IsConnected, "client: " + p.Client.Session.Failure + " " + p.Client.Session.HandshakeStep);
    }

    // ================================================================ 5. spoofed records abort handshakes

    /// <summary>An epoch-1 handshake record that cannot authenticate (random bytes where a Finished would be).</summary>
    private static byte[] ForgedProtectedRecord(long sequence)
    {
        byte[] fragment = new byte[8 + 12 + 12 + 8];
        new Random(5).NextBytes(fragment);
        fragment[0] = 0; // explicit nonce = epoch 1, the given sequence
        fragment[1] = 1;
        return Record(Handshake, 1, sequence, fragment);
    }

    [Fact]
    public void Finding5_AForgedProtectedRecordDoesNotAbortTheServerWaitingForFinished()
    {
        var net = new Net(DtlsRig.Config(51));
        Peer p = net.AddPskClient(52);
        List<byte[]> flight4 = net.UntilFlight4(p);
        foreach (byte[] d in flight4)
        {
            p.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, net.Now);
        }
        List<Rec> flight5 = p.Out.Queue.SelectMany(Records).ToList();
        p.Out.Queue.Clear();
        // ClientKeyExchange and ChangeCipherSpec arrive: the server now waits for the Finished.
        net.Inject(p.Address, Join(flight5.Where(r => r.Epoch == 0)));
        // An off-path attacker spoofing the client's address sends a protected record that does not authenticate.
        net.Inject(p.Address, ForgedProtectedRecord(0));
        Assert.Empty(net.ServerEvents.Alerts);
        Assert.DoesNotContain(net.ServerSent, s => s.To.SameAs(p.Address) && Records(s.Data).Any(r => r.Type == 21));
        // The real Finished still completes the handshake.
        net.Inject(p.Address, Join(flight5.Where(r => r.Epoch == 1)));
        net.Pump();
        Assert.True(p.Client.IsConnected, "client: " + p.Client.Session.Failure + " alert " + p.Client.Session.AlertDescription);
        Assert.Equal(1, net.ServerEvents.Connected);
    }

    [Fact]
    public void Finding5_AForgedProtectedRecordDoesNotAbortTheClientWaitingForFinished()
    {
        var net = new Net(DtlsRig.Config(53));
        Peer p = net.AddPskClient(54);
        net.ToClient = (peer, d) =>
        {
            if (Records(d).Any(r => r.Type == ChangeCipherSpec))
            {
                peer.Inject(ForgedProtectedRecord(0), net.Now); // just before flight 6
            }
            return d;
        };
        p.Client.Connect(net.Now);
        net.Pump();
        Assert.True(p.Client.IsConnected, "client: " + p.Client.Session.Failure + " alert " + p.Client.Session.AlertDescription);
    }

    [Fact]
    public void Finding5_AnUnexpectedMessageWhileWaitingForHelloVerifyRequestIsDropped()
    {
        var net = new Net(DtlsRig.Config(55));
        Peer p = net.AddPskClient(56);
        p.Client.Connect(net.Now);
        // A spoofed, well-formed zero-length ClientKeyExchange with message_seq 0 from the server's address.
        p.Inject(Record(Handshake, 0, 5, Message(HandshakeType.ClientKeyExchange, 0, Array.Empty<byte>())), net.Now);
        Assert.True(p.Client.Session.IsActive, "aborted: " + p.Client.Session.Failure + " alert " + p.Client.Session.AlertDescription);
        net.Pump();
        Assert.True(p.Client.IsConnected);
    }

    [Fact]
    public void Finding5_AnUnexpectedMessageWhileWaitingForServerHelloIsDropped()
    {
        var net = new Net(DtlsRig.Config(57));
        Peer p = net.AddPskClient(58);
        List<byte[]> flight4 = net.UntilFlight4(p);
        // The client sent its hello with the cookie and waits for ServerHello (message_seq 1): a spoofed ClientKeyExchange
        // carrying that number, and one with message_seq 0, must both be dropped.
        p.Inject(Record(Handshake, 0, 6, Message(HandshakeType.ClientKeyExchange, 1, Array.Empty<byte>())), net.Now);
        p.Inject(Record(Handshake, 0, 7, Message(HandshakeType.ClientKeyExchange, 0, Array.Empty<byte>())), net.Now);
        Assert.True(p.Client.Session.IsActive, "aborted: " + p.Client.Session.Failure + " alert " + p.Client.Session.AlertDescription);
        foreach (byte[] d in flight4)
        {
            p.In.Enqueue(d);
        }
        net.Run(() => p.Client.IsConnected, 60_000);
        Assert.True(p.Client.IsConnected);
    }

    // ================================================================ 5b. a partial flight stops the retransmission timer

    public static TheoryData<string, string> PartialFlights => new()
    {
        { "psk", "server flight 4 without ServerHelloDone" },
        { "psk", "client flight 5 without Finished" },
        { "ecdhe", "server flight 4 without ServerHelloDone" },
        { "ecdhe", "client flight 5 without Finished" },
    };

    [Theory]
    [MemberData(nameof(PartialFlights))]
    public void Finding5b_OneLostMessageOfAFlightIsRecoveredByOurOwnTimer(string suite, string loss)
    {
        bool serverFlightLoses = loss.StartsWith("server");
        // Our side under test retransmits after 1 s; the peer behaves like tinydtls's examples (never on its own: 600 s).
        Action<DtlsConfig> ours = c => { c.InitialRetransmitMs = 1000; c.MaxRetransmitMs = 4000; };
        Action<DtlsConfig> silentPeer = c => { c.InitialRetransmitMs = 600_000; c.MaxRetransmitMs = 600_000; };
        Action<DtlsConfig> serverTimers = serverFlightLoses ? silentPeer : ours;
        Action<DtlsConfig> clientTimers = serverFlightLoses ? ours : silentPeer;
        Net net;
        Peer p;
        if (suite == "psk")
        {
            net = new Net(DtlsRig.Config(61, serverTimers));
            p = net.AddClient(DtlsRig.Config(62, clientTimers), DtlsRig.Identity, DtlsRig.Key);
        }
        else
        {
            net = new Net(EcdheServerConfig(63, RpkServer(), serverTimers));
            p = net.AddClient(EcdheClientConfig(64, RpkClient(), clientTimers));
        }
        bool dropped = false;
        if (serverFlightLoses)
        {
            net.ToClient = (_, d) =>
            {
                List<Rec> records = Records(d);
                if (dropped || !records.Any(r => r.HandshakeType == HandshakeType.ServerHelloDone))
                {
                    return d;
                }
                dropped = true;
                return Join(records.Where(r => r.HandshakeType != HandshakeType.ServerHelloDone));
            };
        }
        else
        {
            net.ToServer = (_, d) =>
            {
                List<Rec> records = Records(d);
                if (dropped || !records.Any(r => r.Type == Handshake && r.Epoch == 1))
                {
                    return d;
                }
                dropped = true;
                return Join(records.Where(r => !(r.Type == Handshake && r.Epoch == 1))); // the Finished
            };
        }
        p.Client.Connect(net.Now);
        net.Run(() => p.Client.IsConnected && net.ServerEvents.Connected == 1, 10_000);
        Assert.True(dropped);
        Assert.True(p.Client.IsConnected && net.ServerEvents.Connected == 1,
            suite + ", " + loss + ": not connected at " + net.Now + " ms (" + p.Client.Session.HandshakeStep + ")");
    }

    // ================================================================ 13. a handshake completes with no ChangeCipherSpec

    [Fact]
    public void Finding13_TheServerDoesNotCompleteWithoutTheClientsChangeCipherSpec()
    {
        var net = new Net(DtlsRig.Config(131));
        Peer p = net.AddPskClient(132);
        net.ToServer = (_, d) => Join(Records(d).Where(r => r.Type != ChangeCipherSpec));
        p.Client.Connect(net.Now);
        net.Pump();
        Assert.Equal(0, net.ServerEvents.Connected);
    }

    [Fact]
    public void Finding13_TheClientDoesNotCompleteWithoutTheServersChangeCipherSpec()
    {
        var net = new Net(DtlsRig.Config(133));
        Peer p = net.AddPskClient(134);
        net.ToClient = (_, d) => Join(Records(d).Where(r => r.Type != ChangeCipherSpec));
        p.Client.Connect(net.Now);
        net.Pump();
        Assert.False(p.Client.IsConnected);
        Assert.Equal(0, p.Events.Connected);
    }

    // ================================================================ 14. server messages in any order and number

    public static TheoryData<string> Reorderings => new()
    {
        "Certificate twice",
        "ServerKeyExchange twice",
        "CertificateRequest twice",
        "CertificateRequest before ServerKeyExchange",
        "ServerKeyExchange before Certificate",
    };

    [Theory]
    [MemberData(nameof(Reorderings))]
    public void Finding14_TheClientEnforcesTheOrderOfFlight4(string change)
    {
        var net = new Net(EcdheServerConfig(141, MutualServer()));
        Peer p = net.AddClient(EcdheClientConfig(142, ClientWith(ClientCert)));
        List<byte[]> flight4 = net.UntilFlight4(p);
        List<(int Type, int Seq, byte[] Body)> messages = Messages(flight4);
        Assert.Equal(new[] { HandshakeType.ServerHello, HandshakeType.Certificate, HandshakeType.ServerKeyExchange,
                             HandshakeType.CertificateRequest, HandshakeType.ServerHelloDone }, messages.Select(m => m.Type));
        var order = messages.Select(m => m.Type).ToList();
        switch (change)
        {
            case "Certificate twice":
                order.Insert(2, HandshakeType.Certificate);
                break;
            case "ServerKeyExchange twice":
                order.Insert(3, HandshakeType.ServerKeyExchange);
                break;
            case "CertificateRequest twice":
                order.Insert(4, HandshakeType.CertificateRequest);
                break;
            case "CertificateRequest before ServerKeyExchange":
                order[2] = HandshakeType.CertificateRequest;
                order[3] = HandshakeType.ServerKeyExchange;
                break;
            case "ServerKeyExchange before Certificate":
                order[1] = HandshakeType.ServerKeyExchange;
                order[2] = HandshakeType.Certificate;
                break;
        }
        int firstSeq = messages[0].Seq;
        long recordSeq = 100;
        for (int i = 0; i < order.Count; i++)
        {
            byte[] body = messages.First(m => m.Type == order[i]).Body;
            p.Inject(Record(Handshake, 0, recordSeq++, Message(order[i], firstSeq + i, body)), net.Now);
        }
        Assert.False(p.Client.IsConnected);
        // The client must refuse flight 4 (unexpected_message) rather than answer it with its flight 5.
        Assert.DoesNotContain(p.Out.Queue, d => Records(d).Any(r => r.HandshakeType == HandshakeType.ClientKeyExchange
                                                                     || r.HandshakeType == HandshakeType.Certificate));
        Assert.Equal(DtlsFailure.LocalAlert, p.Client.Session.Failure);
        Assert.Equal(AlertDescription.UnexpectedMessage, p.Client.Session.AlertDescription);
    }
}
