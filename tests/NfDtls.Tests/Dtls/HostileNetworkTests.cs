using System.Security.Cryptography.X509Certificates;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using NfDtls.Tests.Pki;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// The handshake findings of the attack pass (issue 16: 1–5, 5b, 13, 14), each as an attack or a loss pattern in
/// memory: what a spoofing, replaying or merely unlucky network does to a handshake must not break it or others.
/// </summary>
public class HostileNetworkTests
{
    private const int Handshake = 22;
    private const int ChangeCipherSpec = 20;

    private static DtlsConfig Ecdhe(int seed, EcdheCredentials credentials, Action<DtlsConfig>? more = null) =>
        DtlsRig.Config(seed, c =>
        {
            c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            c.Ecdhe = credentials;
            c.FlightBufferSize = 16384;
            c.HandshakeBufferSize = 4096;
            more?.Invoke(c);
        });

    private static DtlsFabric PskFabric(Action<DtlsConfig>? configure = null) => new(DtlsRig.Config(1, configure));

    // ------------------------------------------------------------------ finding 1

    [Fact]
    public void ABadClientCertificateDoesNotSpoilTheNextHandshakes()
    {
        var fabric = new DtlsFabric(Ecdhe(3, EcdheHandshakeTests.X509Server(true)));
        // The attacker completes the cookie exchange (two datagrams), then sends a Certificate whose only entry
        // claims 0x7f01 bytes in a 6-byte list: refused, and it must leave nothing behind.
        var attacker = fabric.Add(Ecdhe(4, EcdheHandshakeTests.X509Client(true)));
        attacker.Out = (d, i) => i < 2 ? d : null;
        attacker.Client.Connect(fabric.Now);
        fabric.Pump();
        Assert.NotNull(fabric.ServerSession(attacker));
        byte[] body = Convert.FromHexString("000006007f01300000");
        fabric.FromPeer(attacker, RecordSurgery.HandshakeRecord(5, HandshakeType.Certificate, 2, body));
        fabric.Pump();
        Assert.Equal(0, fabric.ServerEvents.Connected);

        for (int i = 0; i < 2; i++)
        {
            var client = fabric.Add(Ecdhe(10 + i, EcdheHandshakeTests.X509Client(true)));
            Assert.True(fabric.Connect(client, 5000), "legitimate client " + i + " refused: alert " + client.Client.Session.AlertDescription);
            Assert.True(fabric.Talks(client));
        }
    }

    private static readonly X509Certificate2 BigRoot = TestPki.Make("Big Root", TestPki.CaOptions(), null);

    private static X509Certificate2 BigLeaf(string name)
    {
        var o = TestPki.LeafOptions(dns: name);
        // An unknown, non-critical extension of 8,000 bytes makes the chain far larger than the handshake buffer, so
        // the server streams it through its certificate parser fragment by fragment.
        byte[] filler = new byte[8004];
        filler[0] = 0x04;
        filler[1] = 0x82;
        filler[2] = (byte)(8000 >> 8);
        filler[3] = (byte)(8000 & 0xff);
        o.Extra.Add(new X509Extension("1.3.6.1.4.1.55555.1", filler, false));
        return TestPki.Make(name, o, BigRoot);
    }

    [Fact]
    public void TwoLargeClientChainsArrivingInterleavedAreBothAccepted()
    {
        var anchors = new TrustAnchorStore(1);
        Assert.Equal(CertificateError.None, anchors.AddCertificate(BigRoot.RawData, 0, BigRoot.RawData.Length));
        var serverCredentials = EcdheHandshakeTests.X509Server(true);
        serverCredentials.TrustAnchors = anchors;
        var fabric = new DtlsFabric(Ecdhe(5, serverCredentials));
        var held = new List<List<byte[]>>();
        var peers = new List<DtlsFabric.Peer>();
        for (int i = 0; i < 2; i++)
        {
            X509Certificate2 leaf = BigLeaf("client" + i + ".example");
            var credentials = EcdheHandshakeTests.X509Client(true);
            credentials.CertificateChain = new[] { leaf.RawData };
            credentials.PrivateKey = EcdheHandshakeTests.PrivateKeyOf(leaf);
            var p = fabric.Add(Ecdhe(20 + i, credentials));
            var mine = new List<byte[]>();
            held.Add(mine);
            p.Out = (d, n) =>
            {
                if (n < 2)
                {
                    return d;
                }
                mine.Add(d); // flight 5: held back, then delivered interleaved with the other client's
                return null;
            };
            peers.Add(p);
            p.Client.Connect(fabric.Now);
        }
        fabric.Pump();
        Assert.True(held[0].Count > 3 && held[1].Count > 3, "flight 5 should take several datagrams");
        for (int i = 0; i < Math.Max(held[0].Count, held[1].Count); i++)
        {
            for (int c = 0; c < 2; c++)
            {
                if (i < held[c].Count)
                {
                    fabric.FromPeer(peers[c], held[c][i]);
                }
            }
        }
        foreach (var p in peers)
        {
            p.Out = null;
        }
        Assert.True(fabric.RunUntil(30000, () => peers.All(p => p.Client.IsConnected)),
                    "clients: " + string.Join(", ", peers.Select(p => p.Client.Session.State + " alert " + p.Client.Session.AlertDescription)));
        Assert.All(peers, p => Assert.True(fabric.Talks(p)));
    }

    // ------------------------------------------------------------------ finding 2

    [Fact]
    public void HalfOpenHandshakesNeverEvictEstablishedSessions()
    {
        var fabric = PskFabric(c => c.SessionCapacity = 4);
        var legit = new List<DtlsFabric.Peer>();
        for (int i = 0; i < 4; i++)
        {
            var p = fabric.AddPsk(100 + i);
            Assert.True(fabric.Connect(p));
            legit.Add(p);
        }
        // 16 attackers complete only the cookie exchange: two datagrams each, no key needed.
        for (int i = 0; i < 16; i++)
        {
            var a = fabric.AddPsk(200 + i);
            a.Out = (d, n) => n < 2 ? d : null;
            a.In = (d, n) => n < 1 ? d : null;
            a.Client.Connect(fabric.Now);
            fabric.Pump();
        }
        foreach (var p in legit)
        {
            Assert.True(fabric.ServerSession(p)?.IsConnected == true, "an established session was evicted for a half-open handshake");
            Assert.True(fabric.Talks(p));
        }
    }

    // ------------------------------------------------------------------ finding 3

    [Fact]
    public void EpochZeroRecordsCarryingTheLastMessageSequenceDrawNoFlightFromAConnectedSession()
    {
        var fabric = PskFabric();
        var p = fabric.AddPsk(2);
        Assert.True(fabric.Connect(p));
        // 48 records of 25 bytes: an empty ClientKeyExchange fragment numbered like the client's Finished (3).
        var records = new List<byte>();
        for (int i = 0; i < 48; i++)
        {
            records.AddRange(RecordSurgery.HandshakeRecord(1000 + i, HandshakeType.ClientKeyExchange, 3, Array.Empty<byte>()));
        }
        byte[] datagram = records.ToArray();
        Assert.Equal(1200, datagram.Length);
        long before = fabric.FromServer.BytesTo(p.Address);
        fabric.FromPeer(p, datagram);
        long drawn = fabric.FromServer.BytesTo(p.Address) - before;
        Assert.True(drawn == 0, "a 1,200-byte datagram of unauthenticated records drew " + drawn + " bytes");
        Assert.True(fabric.Talks(p));
    }

    [Fact]
    public void AForgedRecordDoesNotDrawTheFlightOfAHalfOpenHandshakeButARealRetransmissionDoesOnce()
    {
        var fabric = new DtlsFabric(Ecdhe(3, EcdheHandshakeTests.RpkServer(false)));
        var attacker = fabric.Add(Ecdhe(4, EcdheHandshakeTests.RpkClient(null, EcdheHandshakeTests.ServerKey)));
        var sent = new List<byte[]>();
        attacker.Out = (d, i) =>
        {
            sent.Add(d);
            return i < 2 ? d : null;
        };
        attacker.In = (d, i) => i < 1 ? d : null;
        attacker.Client.Connect(fabric.Now);
        fabric.Pump();
        long flight = fabric.FromServer.BytesTo(attacker.Address);
        Assert.True(flight > 300, "flight 4 of ECDHE should be large: " + flight);

        // One 25-byte record numbered like the client's last message (the second ClientHello, message_seq 1).
        long before = fabric.FromServer.BytesTo(attacker.Address);
        fabric.Now += 2000;
        fabric.FromPeer(attacker, RecordSurgery.HandshakeRecord(7, HandshakeType.ClientKeyExchange, 1, Array.Empty<byte>()));
        Assert.Equal(0, fabric.FromServer.BytesTo(attacker.Address) - before);

        // The real ClientHello again, three times in one datagram: one flight at most.
        byte[] hello = sent[1];
        byte[] thrice = hello.Concat(hello).Concat(hello).ToArray();
        fabric.FromPeer(attacker, thrice);
        long once = fabric.FromServer.BytesTo(attacker.Address) - before;
        Assert.InRange(once, 1, flight);
        // ... and not again before the retransmission timer would allow it.
        fabric.FromPeer(attacker, hello);
        Assert.Equal(once, fabric.FromServer.BytesTo(attacker.Address) - before);
    }

    // ------------------------------------------------------------------ finding 4

    [Fact]
    public void ASpoofedRecordWithTheLargestSequenceNumberDoesNotStallTheHandshake()
    {
        var fabric = PskFabric();
        var p = fabric.AddPsk(2);
        p.Out = (d, i) =>
        {
            if (i == 2)
            {
                // Just before the client's flight 5 (record numbers 2, 3, 4): a 25-byte spoof numbered 2^48 - 1.
                fabric.FromPeer(p, RecordSurgery.HandshakeRecord((1L << 48) - 1, HandshakeType.ClientKeyExchange, 0x7fff, Array.Empty<byte>()));
            }
            return d;
        };
        Assert.True(fabric.Connect(p, 3000), "server session " + fabric.ServerSession(p)?.State);
    }

    // ------------------------------------------------------------------ finding 5

    [Fact]
    public void AForgedProtectedRecordWhileTheServerWaitsForFinishedIsDroppedSilently()
    {
        var fabric = PskFabric();
        var p = fabric.AddPsk(2);
        p.Out = (d, i) =>
        {
            if (i != 2)
            {
                return d;
            }
            // Flight 5 arrives in two parts with a forged epoch-1 record between them.
            fabric.FromPeer(p, RecordSurgery.Without(d, r => r.Epoch == 1)!);
            byte[] forged = RecordSurgery.PlainRecord(Handshake, 0, new byte[40]);
            forged[4] = 1; // epoch 1
            fabric.FromPeer(p, forged);
            return RecordSurgery.Without(d, r => r.Epoch == 0);
        };
        Assert.True(fabric.Connect(p, 3000), "server session " + fabric.ServerSession(p)?.State + " alert " + p.Client.Session.AlertDescription);
        Assert.DoesNotContain(p.Events.Alerts, a => a.Description == AlertDescription.BadRecordMac);
    }

    [Fact]
    public void ASpoofedUnexpectedMessageBeforeTheServerHelloIsDroppedByTheClient()
    {
        var fabric = PskFabric();
        var p = fabric.AddPsk(2);
        p.Client.Connect(fabric.Now);
        // A well-formed but unexpected handshake message (an empty ClientKeyExchange, message_seq 0) from "the server".
        byte[] spoof = RecordSurgery.HandshakeRecord(0, HandshakeType.ClientKeyExchange, 0, Array.Empty<byte>());
        p.Client.Receive(spoof, 0, spoof.Length, DtlsRig.ServerAddress, fabric.Now);
        Assert.True(p.Client.Session.IsActive, "spoofed message ended the handshake: alert " + p.Client.Session.AlertDescription);
        Assert.True(fabric.RunUntil(3000, () => p.Client.IsConnected));
    }

    // ------------------------------------------------------------------ finding 5b

    public static TheoryData<bool, bool> SuitesAndDirections => new()
    {
        { false, true }, { false, false }, { true, true }, { true, false },
    };

    /// <summary>
    /// Exactly one message of a multi-message flight is lost, once, and the peer never retransmits on its own (its
    /// timer is a minute): the side that saw only part of the flight must keep its own timer and recover in seconds.
    /// </summary>
    [Theory]
    [MemberData(nameof(SuitesAndDirections))]
    public void OneLostMessageOfAFlightIsRecoveredByTheReceiversTimer(bool ecdhe, bool serverFlightLoses)
    {
        Action<DtlsConfig> slow = c => c.InitialRetransmitMs = 60000;
        Action<DtlsConfig> fast = c => c.InitialRetransmitMs = 1000;
        DtlsConfig serverConfig = ecdhe ? Ecdhe(3, EcdheHandshakeTests.RpkServer(false), serverFlightLoses ? slow : fast)
                                        : DtlsRig.Config(3, serverFlightLoses ? slow : fast);
        var fabric = new DtlsFabric(serverConfig);
        var p = ecdhe ? fabric.Add(Ecdhe(4, EcdheHandshakeTests.RpkClient(null, EcdheHandshakeTests.ServerKey), serverFlightLoses ? fast : slow))
                      : fabric.AddPsk(4, serverFlightLoses ? fast : slow);
        bool dropped = false;
        if (serverFlightLoses)
        {
            // ServerHelloDone of flight 4 is lost (the client has ServerHello and the rest).
            p.In = (d, i) =>
            {
                if (dropped || !RecordSurgery.Split(d).Any(r => r.HandshakeType == HandshakeType.ServerHelloDone))
                {
                    return d;
                }
                dropped = true;
                return RecordSurgery.Without(d, r => r.HandshakeType == HandshakeType.ServerHelloDone);
            };
        }
        else
        {
            // The client's Finished (the epoch-1 record of flight 5) is lost (the server has ClientKeyExchange).
            p.Out = (d, i) =>
            {
                if (dropped || !RecordSurgery.Split(d).Any(r => r.Epoch == 1))
                {
                    return d;
                }
                dropped = true;
                return RecordSurgery.Without(d, r => r.Epoch == 1);
            };
        }
        p.Client.Connect(fabric.Now);
        Assert.True(fabric.RunUntil(5000, () => p.Client.IsConnected && fabric.ServerSession(p)?.IsConnected == true),
                    "not connected 5 s after one lost message: client " + p.Client.Session.HandshakeStep);
        Assert.True(dropped);
    }

    // ------------------------------------------------------------------ finding 13

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFinishedWithoutChangeCipherSpecIsNotAccepted(bool fromClient)
    {
        var fabric = PskFabric();
        var p = fabric.AddPsk(2);
        Func<byte[], int, byte[]?> noCcs = (d, i) => RecordSurgery.Without(d, r => r.Type == ChangeCipherSpec && r.Epoch == 0);
        if (fromClient)
        {
            p.Out = noCcs;
        }
        else
        {
            p.In = noCcs;
        }
        p.Client.Connect(fabric.Now);
        fabric.RunUntil(10000, () => false);
        if (fromClient)
        {
            Assert.Equal(0, fabric.ServerEvents.Connected);
        }
        else
        {
            Assert.Equal(0, p.Events.Connected);
        }
    }

    // ------------------------------------------------------------------ finding 14

    public static TheoryData<string> BadOrders => new()
    {
        "Certificate twice", "CertificateRequest before ServerKeyExchange", "ServerKeyExchange before Certificate", "PSK ServerKeyExchange twice",
    };

    /// <summary>RFC 5246 §7.3: Certificate, ServerKeyExchange, CertificateRequest come in this order, each at most once.</summary>
    [Theory]
    [MemberData(nameof(BadOrders))]
    public void TheClientRefusesServerMessagesOutOfOrderOrRepeated(string variant)
    {
        bool psk = variant.StartsWith("PSK");
        DtlsFabric fabric = psk
            ? PskFabric(c => c.PskIdentityHint = "hint"u8.ToArray())
            : new DtlsFabric(Ecdhe(3, EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ClientKey)));
        var p = psk ? fabric.AddPsk(4)
                    : fabric.Add(Ecdhe(4, EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey)));
        var flight4 = new List<byte[]>();
        p.In = (d, i) =>
        {
            if (i == 0)
            {
                return d; // HelloVerifyRequest
            }
            flight4.Add(d);
            return null;
        };
        p.Client.Connect(fabric.Now);
        fabric.Pump();
        var messages = RecordSurgery.Messages(flight4);
        List<int> order = variant switch
        {
            "Certificate twice" => new() { 2, 11, 11, 12, 13, 14 },
            "CertificateRequest before ServerKeyExchange" => new() { 2, 11, 13, 12, 14 },
            "ServerKeyExchange before Certificate" => new() { 2, 12, 11, 13, 14 },
            _ => new() { 2, 12, 12, 14 },
        };
        Assert.All(order.Distinct(), t => Assert.Contains(messages, m => m.Type == t));
        int messageSequence = messages[0].MessageSequence;
        long recordSequence = 100;
        var records = new List<byte>();
        foreach (int type in order)
        {
            byte[] body = messages.First(m => m.Type == type).Body;
            records.AddRange(RecordSurgery.HandshakeRecord(recordSequence++, type, messageSequence++, body));
        }
        byte[] datagram = records.ToArray();
        p.Client.Receive(datagram, 0, datagram.Length, DtlsRig.ServerAddress, fabric.Now);
        Assert.Equal(DtlsSessionState.Failed, p.Client.Session.State);
        Assert.Equal(DtlsFailure.LocalAlert, p.Client.Session.Failure);
        Assert.Equal(AlertDescription.UnexpectedMessage, p.Client.Session.AlertDescription);
    }
}
