using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.Record;
using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>DTLS 1.2 Connection ID (RFC 9146): negotiation, tls12_cid records, lookup by CID, NAT rebinding.</summary>
public class ConnectionIdTests
{
    private static readonly PeerAddress NatAddress = PeerAddress.FromIPv4(198, 51, 100, 7, 61001);
    private static readonly PeerAddress SpoofAddress = PeerAddress.FromIPv4(203, 0, 113, 66, 4444);

    /// <summary>Client and server in memory; the client's datagrams reach the server from <see cref="ClientFrom"/>.</summary>
    private sealed class NatRig
    {
        public readonly List<(byte[] Datagram, PeerAddress To)> ToServer = new();
        public readonly List<(byte[] Datagram, PeerAddress To)> ToClient = new();
        public readonly RecordingEvents ClientEvents = new();
        public readonly RecordingEvents ServerEvents = new();
        public readonly DtlsClient Client;
        public readonly DtlsServer Server;
        public PeerAddress ClientFrom = DtlsRig.ClientAddress;

        public NatRig(int clientCid, int serverCid, int seed = 3)
        {
            var keys = new PskTable(2);
            keys.Add(DtlsRig.Identity, DtlsRig.Key);
            Server = new DtlsServer(DtlsRig.Config(seed * 2 + 1, c => { c.ConnectionIdLength = serverCid; c.SessionCapacity = 4; }),
                                    new Sink(ToClient), keys, ServerEvents);
            Client = new DtlsClient(DtlsRig.Config(seed * 2, c => c.ConnectionIdLength = clientCid),
                                    new Sink(ToServer), DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, ClientEvents);
        }

        private sealed class Sink(List<(byte[], PeerAddress)> list) : IDatagramSink
        {
            public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
            {
                var to = new PeerAddress();
                to.CopyFrom(destination);
                list.Add((buffer.AsSpan(offset, count).ToArray(), to));
            }
        }

        /// <summary>Delivers everything queued; the server's datagrams reach the client only if addressed to <see cref="ClientFrom"/>.</summary>
        public void Pump()
        {
            for (int round = 0; round < 50 && (ToServer.Count > 0 || ToClient.Count > 0); round++)
            {
                var s = ToServer.ToArray();
                ToServer.Clear();
                foreach (var (d, _) in s)
                {
                    Server.Receive(d, 0, d.Length, ClientFrom, 0);
                }
                var c = ToClient.ToArray();
                ToClient.Clear();
                foreach (var (d, to) in c)
                {
                    if (to.SameAs(ClientFrom))
                    {
                        Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
                    }
                }
            }
        }

        public void Connect()
        {
            Client.Connect(0);
            Pump();
            Assert.True(Client.IsConnected);
        }

        public DtlsSession ServerSession => Server.SessionAt(0);
    }

    [Fact]
    public void BothSidesOnNegotiateCidsAndSendTls12CidRecords()
    {
        var rig = new NatRig(8, 6);
        rig.Connect();
        DtlsSession cs = rig.Client.Session;
        DtlsSession ss = rig.ServerSession;
        Assert.True(cs.UsesConnectionId);
        Assert.True(ss.UsesConnectionId);
        Assert.Equal(8, cs.OwnConnectionIdLength);
        Assert.Equal(6, cs.PeerConnectionIdLength);
        Assert.Equal(6, ss.OwnConnectionIdLength);
        Assert.Equal(8, ss.PeerConnectionIdLength);

        Assert.True(rig.Client.Send(new byte[] { 1, 2, 3 }, 0, 3, 0));
        Assert.Single(rig.ToServer);
        byte[] d = rig.ToServer[0].Datagram;
        Assert.Equal(ContentType.Tls12Cid, d[0]);
        Assert.Equal(13 + 6 + 8 + 3 + 1 + 8, d.Length); // header + CID + explicit nonce + content + inner type + tag
        rig.Pump();
        Assert.Equal(new byte[] { 1, 2, 3 }, rig.ServerEvents.Data.Last());

        Assert.True(rig.Server.Send(DtlsRig.ClientAddress, new byte[] { 9 }, 0, 1, 0));
        Assert.Equal(ContentType.Tls12Cid, rig.ToClient[0].Datagram[0]);
        Assert.Equal(13 + 8 + 8 + 1 + 1 + 8, rig.ToClient[0].Datagram.Length);
        rig.Pump();
        Assert.Equal(new byte[] { 9 }, rig.ClientEvents.Data.Last());
    }

    [Fact]
    public void SendOnlyClientGetsPlainRecordsAndSendsCidRecords()
    {
        var rig = new NatRig(DtlsConfig.ConnectionIdSendOnly, 8);
        rig.Connect();
        Assert.True(rig.Client.Session.UsesConnectionId);
        Assert.Equal(0, rig.Client.Session.OwnConnectionIdLength);
        Assert.Equal(8, rig.Client.Session.PeerConnectionIdLength);
        rig.Client.Send(new byte[] { 5 }, 0, 1, 0);
        Assert.Equal(ContentType.Tls12Cid, rig.ToServer[0].Datagram[0]);
        rig.Pump();
        rig.Server.Send(DtlsRig.ClientAddress, new byte[] { 6 }, 0, 1, 0);
        Assert.Equal(ContentType.ApplicationData, rig.ToClient[0].Datagram[0]);
        rig.Pump();
        Assert.Equal(new byte[] { 5 }, rig.ServerEvents.Data.Last());
        Assert.Equal(new byte[] { 6 }, rig.ClientEvents.Data.Last());
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(0, 8)]
    [InlineData(0, 0)]
    public void OneSideOffFallsBackToPlainRecords(int clientCid, int serverCid)
    {
        var rig = new NatRig(clientCid, serverCid);
        rig.Connect();
        Assert.False(rig.Client.Session.UsesConnectionId);
        Assert.False(rig.ServerSession.UsesConnectionId);
        rig.Client.Send(new byte[] { 7, 7 }, 0, 2, 0);
        Assert.Equal(ContentType.ApplicationData, rig.ToServer[0].Datagram[0]);
        Assert.Equal(13 + 8 + 2 + 8, rig.ToServer[0].Datagram.Length);
        rig.Pump();
        rig.Server.Send(DtlsRig.ClientAddress, new byte[] { 8 }, 0, 1, 0);
        Assert.Equal(ContentType.ApplicationData, rig.ToClient[0].Datagram[0]);
        rig.Pump();
        Assert.Equal(new byte[] { 7, 7 }, rig.ServerEvents.Data.Last());
        Assert.Equal(new byte[] { 8 }, rig.ClientEvents.Data.Last());
    }

    [Fact]
    public void NatRebindingWithCidKeepsTheSessionBothWays()
    {
        var rig = new NatRig(DtlsConfig.ConnectionIdSendOnly, 8);
        rig.Connect();
        rig.ClientFrom = NatAddress; // the NAT gave the client a new address and port
        rig.Client.Send(new byte[] { 1 }, 0, 1, 0);
        rig.Pump();
        Assert.Equal(new byte[] { 1 }, rig.ServerEvents.Data.Last());
        Assert.True(rig.ServerSession.Peer.SameAs(NatAddress));
        Assert.Same(rig.ServerSession, rig.Server.FindSession(NatAddress));
        Assert.Null(rig.Server.FindSession(DtlsRig.ClientAddress));

        Assert.True(rig.Server.Send(NatAddress, new byte[] { 2 }, 0, 1, 0));
        Assert.True(rig.ToClient[0].To.SameAs(NatAddress));
        rig.Pump();
        Assert.Equal(new byte[] { 2 }, rig.ClientEvents.Data.Last());
        Assert.Equal(1, rig.Server.SessionCount);
    }

    [Fact]
    public void NatRebindingAnswersFromInsideTheDataEventGoToTheNewAddress()
    {
        var rig = new NatRig(8, 8);
        rig.Connect();
        rig.ServerEvents.OnData = (s, b, o, n) => s.SendApplicationData(b, o, n, 0); // echo
        rig.ClientFrom = NatAddress;
        rig.Client.Send(new byte[] { 4, 2 }, 0, 2, 0);
        rig.Pump();
        Assert.Equal(new byte[] { 4, 2 }, rig.ClientEvents.Data.Last());
    }

    [Fact]
    public void NatRebindingWithoutCidLosesTheSession()
    {
        var rig = new NatRig(0, 0);
        rig.Connect();
        rig.ClientFrom = NatAddress;
        int sentBefore = rig.ServerEvents.Data.Count;
        rig.Client.Send(new byte[] { 1 }, 0, 1, 0);
        rig.Pump();
        Assert.Equal(sentBefore, rig.ServerEvents.Data.Count); // a stranger's record: dropped
        Assert.Null(rig.Server.FindSession(NatAddress));
        Assert.True(rig.ServerSession.Peer.SameAs(DtlsRig.ClientAddress));
        rig.Server.Send(DtlsRig.ClientAddress, new byte[] { 2 }, 0, 1, 0);
        rig.Pump(); // addressed to the old mapping: never reaches the client
        Assert.Empty(rig.ClientEvents.Data);
    }

    [Fact]
    public void ReplayedOrOlderRecordFromANewAddressDoesNotMoveTheSession()
    {
        var rig = new NatRig(DtlsConfig.ConnectionIdSendOnly, 8);
        rig.Connect();
        rig.Client.Send(new byte[] { 1 }, 0, 1, 0);
        rig.Client.Send(new byte[] { 2 }, 0, 1, 0);
        byte[] first = rig.ToServer[0].Datagram;
        byte[] second = rig.ToServer[1].Datagram;
        rig.ToServer.Clear();
        DtlsServer server = rig.Server;

        server.Receive(second, 0, second.Length, DtlsRig.ClientAddress, 0);
        Assert.Single(rig.ServerEvents.Data);

        // a replay of the newest record from elsewhere: refused by the window, no move
        server.Receive(second, 0, second.Length, SpoofAddress, 0);
        Assert.Single(rig.ServerEvents.Data);
        Assert.True(rig.ServerSession.Peer.SameAs(DtlsRig.ClientAddress));

        // an older, never-seen record from elsewhere: its data counts (it authenticates) but it is not the newest
        server.Receive(first, 0, first.Length, SpoofAddress, 0);
        Assert.Equal(2, rig.ServerEvents.Data.Count);
        Assert.True(rig.ServerSession.Peer.SameAs(DtlsRig.ClientAddress));
        Assert.Null(server.FindSession(SpoofAddress));

        // a forged record (CID right, tag wrong) from elsewhere: dropped, no move
        rig.Client.Send(new byte[] { 3 }, 0, 1, 0);
        byte[] third = rig.ToServer[0].Datagram;
        third[^1] ^= 1;
        server.Receive(third, 0, third.Length, SpoofAddress, 0);
        Assert.Equal(2, rig.ServerEvents.Data.Count);
        Assert.True(rig.ServerSession.Peer.SameAs(DtlsRig.ClientAddress));
    }

    [Fact]
    public void RecordWithAnotherCidIsDropped()
    {
        var rig = new NatRig(DtlsConfig.ConnectionIdSendOnly, 8);
        rig.Connect();
        rig.Client.Send(new byte[] { 1 }, 0, 1, 0);
        byte[] d = rig.ToServer[0].Datagram;
        for (int i = 0; i < 8; i++)
        {
            byte[] copy = (byte[])d.Clone();
            copy[11 + i] ^= 0x40; // every CID byte: slot bytes (lookup fails) and random bytes (mismatch)
            rig.Server.Receive(copy, 0, copy.Length, DtlsRig.ClientAddress, 0);
        }
        Assert.Empty(rig.ServerEvents.Data);
        rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
        Assert.Single(rig.ServerEvents.Data);
    }

    [Fact]
    public void CidRecordsFromAnotherSlotDoNotReachThisSession()
    {
        var rig = new NatRig(DtlsConfig.ConnectionIdSendOnly, 4);
        rig.Connect();
        byte[] garbage = new byte[64];
        garbage[0] = ContentType.Tls12Cid;
        garbage[1] = 0xFE;
        garbage[2] = 0xFD;
        garbage[4] = 1;
        for (int i = 0; i < 256; i++)
        {
            garbage[11] = (byte)i;
            garbage[12] = (byte)(i * 7);
            garbage[15] = 0; // a 40-byte fragment after the 17-byte header (4-byte CID): parsed, then unknown/forged
            garbage[16] = 40;
            rig.Server.Receive(garbage, 0, garbage.Length, SpoofAddress, 0);
        }
        Assert.Empty(rig.ServerEvents.Data);
        Assert.True(rig.ServerSession.Peer.SameAs(DtlsRig.ClientAddress));
        Assert.True(rig.ServerSession.IsConnected);
    }

    /// <summary>
    /// Seal with our RecordProtection; recompute the record with .NET's AES-CCM and the RFC 9146 §5 additional data
    /// built field by field here: the bytes must match, and open must refuse a record whose CID was changed.
    /// </summary>
    [Fact]
    public void SealWithCidMatchesAnIndependentAadConstructionAndBindsTheCid()
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        byte[] iv = Convert.FromHexString("a1a2a3a4");
        byte[] cid = Convert.FromHexString("c0ffee0123");
        byte[] content = "hello cid"u8.ToArray();
        const int epoch = 1;
        const long seq = 0x0000_0102_0304_05;

        var seal = new RecordProtection(PortableCryptoProvider.Instance, RecordProtection.MaxCidLength);
        seal.SetKey(key, 0, iv, 0);
        byte[] buf = new byte[128];
        int header = RecordHeader.WriteWithCid(buf, 0, 0xFEFD, epoch, seq, cid, cid.Length, 0);
        Assert.Equal(13 + 5, header);
        Array.Copy(content, 0, buf, header + 8, content.Length);
        buf[header + 8 + content.Length] = ContentType.ApplicationData;
        int inner = content.Length + 1;
        int n = seal.SealWithCid(buf, 0, cid.Length, inner);
        Assert.Equal(header + 8 + inner + 8, n);

        // independent construction
        var aad = new List<byte>();
        aad.AddRange(Enumerable.Repeat((byte)0xff, 8)); // seq_num_placeholder
        aad.Add(25); // tls12_cid
        aad.Add((byte)cid.Length); // cid_length
        aad.Add(25); // tls12_cid
        aad.AddRange(new byte[] { 0xFE, 0xFD }); // version
        aad.AddRange(new byte[] { 0, 1 }); // epoch
        aad.AddRange(new byte[] { 0, 1, 2, 3, 4, 5 }); // sequence_number
        aad.AddRange(cid);
        aad.AddRange(new byte[] { 0, (byte)inner }); // length_of_DTLSInnerPlaintext
        byte[] nonce = iv.Concat(new byte[] { 0, 1, 0, 1, 2, 3, 4, 5 }).ToArray();
        byte[] plain = content.Concat(new byte[] { 23 }).ToArray();
        byte[] ct = new byte[plain.Length];
        byte[] tag = new byte[8];
        using (var ccm = new System.Security.Cryptography.AesCcm(key))
        {
            ccm.Encrypt(nonce, plain, ct, tag, aad.ToArray());
        }
        byte[] expected = new byte[] { 25, 0xFE, 0xFD, 0, 1, 0, 1, 2, 3, 4, 5 }
            .Concat(cid).Concat(new byte[] { 0, (byte)(8 + inner + 8) })
            .Concat(new byte[] { 0, 1, 0, 1, 2, 3, 4, 5 }).Concat(ct).Concat(tag).ToArray();
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buf, 0, n));

        // round trip through the parser and OpenWithCid
        var open = new RecordProtection(PortableCryptoProvider.Instance, RecordProtection.MaxCidLength);
        open.SetKey(key, 0, iv, 0);
        var reader = new NfDtls.Wire.WireReader(buf, 0, n);
        Assert.True(RecordHeader.TryRead(ref reader, out RecordHeader h, cid.Length));
        Assert.Equal(ContentType.Tls12Cid, h.Type);
        Assert.Equal(11, h.CidOffset);
        byte[] output = new byte[64];
        int got = open.OpenWithCid(h.Version, buf, h.RecordOffset + 3, buf, h.CidOffset, h.CidLength, buf, h.FragmentOffset, h.FragmentLength, output, 0);
        Assert.Equal(inner, got);
        Assert.Equal(plain, output.AsSpan(0, got).ToArray());

        // a changed CID is part of the AAD: refused
        buf[13] ^= 1;
        Assert.Equal(-1, open.OpenWithCid(h.Version, buf, h.RecordOffset + 3, buf, h.CidOffset, h.CidLength, buf, h.FragmentOffset, h.FragmentLength, output, 0));
        buf[13] ^= 1;
        // without a CID length the record cannot even be parsed
        reader = new NfDtls.Wire.WireReader(buf, 0, n);
        Assert.False(RecordHeader.TryRead(ref reader, out _, 0));
    }

    [Fact]
    public void ContentEndingInZerosSurvivesTheInnerTypeStripping()
    {
        var rig = new NatRig(8, 8);
        rig.Connect();
        // DTLSInnerPlaintext = content ‖ type: the receiver strips only zeros after the type byte, never content zeros.
        rig.Client.Send(new byte[] { 0, 0, 5, 0 }, 0, 4, 0);
        rig.Pump();
        Assert.Equal(new byte[] { 0, 0, 5, 0 }, rig.ServerEvents.Data.Last()); // trailing content zeros survive
    }

    /// <summary>README: CID state costs a session two 32-byte CIDs and 2 × 42 more bytes of AAD scratch; nothing when off.</summary>
    [Fact]
    public void ConnectionIdCostsASessionLessThan300Bytes()
    {
        static long PerSession(int cid)
        {
            var keys = new PskTable(1);
            long Measure(int capacity)
            {
                var c = DtlsRig.Config(1, c => { c.SessionCapacity = capacity; c.ConnectionIdLength = cid; });
                GC.KeepAlive(new DtlsServer(c, new QueueSink(), keys, new RecordingEvents()));
                c = DtlsRig.Config(1, c => { c.SessionCapacity = capacity; c.ConnectionIdLength = cid; });
                long before = GC.GetAllocatedBytesForCurrentThread();
                var server = new DtlsServer(c, new QueueSink(), keys, new RecordingEvents());
                long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                GC.KeepAlive(server);
                return bytes;
            }
            return (Measure(9) - Measure(1)) / 8;
        }
        long off = PerSession(0);
        long on = PerSession(8);
        Assert.InRange(on - off, 2 * 32, 300);
    }

    [Fact]
    public void InvalidConfigIsRefused()
    {
        Assert.Throws<ArgumentException>(() => DtlsRig.Config(1, c => c.ConnectionIdLength = 3).Validate());
        Assert.Throws<ArgumentException>(() => DtlsRig.Config(1, c => c.ConnectionIdLength = 33).Validate());
        DtlsRig.Config(1, c => c.ConnectionIdLength = 4).Validate();
        DtlsRig.Config(1, c => c.ConnectionIdLength = DtlsConfig.ConnectionIdSendOnly).Validate();
    }

    [Fact]
    public void CidRecordsAllocateNothingInSteadyState()
    {
        var clientEvents = new RecordingEvents { Keep = false };
        var serverEvents = new RecordingEvents { Keep = false };
        byte[] small = new byte[64];
        byte[] dgIn = new byte[2048];
        // Direct delivery through fixed buffers: seal on one side, open on the other.
        var toServer = new DirectSink(NatAddress, dgIn);
        var toClient = new DirectSink(DtlsRig.ServerAddress, dgIn);
        var client = new DtlsClient(DtlsRig.Config(40, c => c.ConnectionIdLength = 8), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, clientEvents);
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var server = new DtlsServer(DtlsRig.Config(41, c => c.ConnectionIdLength = 8), toClient, keys, serverEvents);
        DirectSink.HandshakeThenGoDirect(toServer, server, toClient, client);
        Assert.True(client.IsConnected);
        Assert.True(client.Session.UsesConnectionId);
        for (int i = 0; i < 2000; i++)
        {
            client.Send(small, 0, small.Length, 0);
            server.Send(NatAddress, small, 0, small.Length, 0);
        }
        long data = serverEvents.DataCount;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            client.Send(small, 0, small.Length, 0);
            server.Send(NatAddress, small, 0, small.Length, 0);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, serverEvents.DataCount - data);
        Assert.Equal(0, allocated);
    }

    private sealed class SwitchSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target!.Send(buffer, offset, count, destination);
    }

    /// <summary>
    /// Over the seeded virtual network at 30% loss each way (duplication, reordering): the handshake completes with
    /// CIDs (the Finished messages travel in tls12_cid records and are retransmitted as such), then the client's NAT
    /// mapping changes; the first of its records that gets through moves the session, and data flows both ways.
    /// </summary>
    [Fact]
    public void LossyLinkHandshakeAndNatRebindingWithCid()
    {
        var profile = new LinkProfile { Loss = 0.30, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 20, JitterMs = 10 };
        for (int seed = 1; seed <= 16; seed++)
        {
            int clientCid = seed % 2 == 0 ? 8 : DtlsConfig.ConnectionIdSendOnly;
            var net = new VirtualNetwork(seed);
            var keys = new PskTable(1);
            keys.Add(DtlsRig.Identity, DtlsRig.Key);
            var clientEvents = new RecordingEvents();
            var serverEvents = new RecordingEvents();
            var toClient = new SwitchSink();
            var toServer = new SwitchSink();
            var server = new DtlsServer(DtlsRig.Config(seed * 7 + 1, c => { c.ConnectionIdLength = 6; c.MaxRetransmissions = 12; }), toClient, keys, serverEvents);
            var client = new DtlsClient(DtlsRig.Config(seed * 7 + 2, c => { c.ConnectionIdLength = clientCid; c.MaxRetransmissions = 12; }),
                                        toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, clientEvents);
            toClient.Target = net.Attach(DtlsRig.ServerAddress, server);
            toServer.Target = net.Attach(DtlsRig.ClientAddress, client);
            net.SetLinks(DtlsRig.ClientAddress, DtlsRig.ServerAddress, profile);
            client.Connect(net.Now);
            net.Poke(client);
            Assert.True(net.RunUntil(net.Now + 30 * 60_000, () => client.IsConnected && serverEvents.Connected > 0), "seed " + seed);
            Assert.True(client.Session.UsesConnectionId);
            DtlsSession session = server.FindSession(DtlsRig.ClientAddress)!;

            net.Detach(DtlsRig.ClientAddress);
            toServer.Target = net.Attach(NatAddress, client);
            net.SetLinks(NatAddress, DtlsRig.ServerAddress, profile);
            Assert.True(Deliver(net, () => client.Send("up"u8.ToArray(), 0, 2, net.Now), serverEvents), "seed " + seed + " up");
            Assert.True(session.Peer.SameAs(NatAddress), "seed " + seed);
            Assert.True(Deliver(net, () => server.Send(NatAddress, "down"u8.ToArray(), 0, 4, net.Now), clientEvents), "seed " + seed + " down");
            Assert.Equal("down"u8.ToArray(), clientEvents.Data.Last());
            Assert.Equal(1, serverEvents.Connected);
        }
    }

    /// <summary>Sends one record a second (as an application with its own retry would) until one arrives.</summary>
    private static bool Deliver(VirtualNetwork net, Action send, RecordingEvents events)
    {
        int before = events.Data.Count;
        long end = net.Now + 120_000;
        while (net.Now < end)
        {
            send();
            if (net.RunUntil(net.Now + 1000, () => events.Data.Count > before))
            {
                return true;
            }
        }
        return false;
    }
}
