using NfDtls.Dtls;
using NfDtls.Dtls.Record;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>Lost final flights, reboots, forged and malformed records, replays: the session survives them all.</summary>
public class RobustnessTests
{
    [Fact]
    public void LostFinalFlightIsResentWhenTheClientRetransmits()
    {
        var rig = new DtlsRig();
        rig.Client.Connect(rig.Now);
        // Run until the server is connected, then drop its final flight (CCS + Finished).
        for (int i = 0; i < 10 && rig.ServerEvents.Connected == 0; i++)
        {
            while (rig.ToServer.Queue.Count > 0)
            {
                var d = rig.ToServer.Queue.Dequeue();
                rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
            }
            if (rig.ServerEvents.Connected > 0)
            {
                break;
            }
            while (rig.ToClient.Queue.Count > 0)
            {
                var d = rig.ToClient.Queue.Dequeue();
                rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
            }
        }
        Assert.Equal(1, rig.ServerEvents.Connected);
        Assert.Single(rig.ToClient.Queue);
        rig.ToClient.Queue.Clear(); // flight 6 lost
        Assert.False(rig.Client.IsConnected);

        rig.Now = rig.Client.NextDeadline;
        rig.Client.Tick(rig.Now); // client resends flight 5
        rig.Pump(); // server sees the repeated Finished and resends flight 6
        Assert.True(rig.Client.IsConnected);
        Assert.Equal(1, rig.ServerEvents.Connected);
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.Retransmissions >= 1);
    }

    [Fact]
    public void ClientRebootFromTheSameAddressReplacesTheSessionAfterTheCookieExchange()
    {
        var rig = new DtlsRig();
        rig.Handshake();
        DtlsSession first = rig.Server.FindSession(DtlsRig.ClientAddress)!;
        first.Tag = "first association";

        // The "rebooted" client: new engine, same address, fresh hello.
        var events = new RecordingEvents();
        var rebooted = new DtlsClient(DtlsRig.Config(99), rig.ToServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, events);
        rebooted.Connect(rig.Now);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        rig.Server.Receive(hello, 0, hello.Length, DtlsRig.ClientAddress, rig.Now);
        Assert.Equal(0, rig.ServerEvents.Closed); // no cookie yet: the old session is untouched
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.IsConnected);

        for (int i = 0; i < 10 && (rig.ToServer.Queue.Count > 0 || rig.ToClient.Queue.Count > 0); i++)
        {
            while (rig.ToClient.Queue.Count > 0)
            {
                var d = rig.ToClient.Queue.Dequeue();
                rebooted.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
            }
            while (rig.ToServer.Queue.Count > 0)
            {
                var d = rig.ToServer.Queue.Dequeue();
                rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
            }
        }
        Assert.True(rebooted.IsConnected);
        Assert.Equal(1, rig.ServerEvents.Closed); // the old session ended
        Assert.Equal(2, rig.ServerEvents.Connected);
        Assert.Equal(1, rig.Server.SessionCount);
        Assert.Null(rig.Server.FindSession(DtlsRig.ClientAddress)!.Tag); // a new association in the slot
        Assert.True(rebooted.Send("again"u8.ToArray(), 0, 5, rig.Now));
        var dg = rig.ToServer.Queue.Dequeue();
        rig.Server.Receive(dg, 0, dg.Length, DtlsRig.ClientAddress, rig.Now);
        Assert.Equal("again"u8.ToArray(), rig.ServerEvents.Data.Last());
    }

    [Fact]
    public void ReplayedRecordsAreDeliveredOnce()
    {
        var rig = new DtlsRig();
        rig.Handshake();
        rig.Client.Send("once"u8.ToArray(), 0, 4, rig.Now);
        byte[] record = rig.ToServer.Queue.Dequeue();
        for (int i = 0; i < 5; i++)
        {
            rig.Server.Receive(record, 0, record.Length, DtlsRig.ClientAddress, rig.Now);
        }
        Assert.Single(rig.ServerEvents.Data);
        // Older but unseen records inside the window still count.
        rig.Client.Send("a"u8.ToArray(), 0, 1, rig.Now);
        rig.Client.Send("b"u8.ToArray(), 0, 1, rig.Now);
        byte[] a = rig.ToServer.Queue.Dequeue();
        byte[] b = rig.ToServer.Queue.Dequeue();
        rig.Server.Receive(b, 0, b.Length, DtlsRig.ClientAddress, rig.Now);
        rig.Server.Receive(a, 0, a.Length, DtlsRig.ClientAddress, rig.Now);
        rig.Server.Receive(a, 0, a.Length, DtlsRig.ClientAddress, rig.Now);
        Assert.Equal(new[] { "once", "b", "a" }, rig.ServerEvents.Data.Select(d => System.Text.Encoding.ASCII.GetString(d)));
    }

    [Fact]
    public void TruncatedBitFlippedWrongEpochAndOversizedRecordsAreDroppedAndTheSessionLives()
    {
        var rig = new DtlsRig();
        rig.Handshake();
        rig.Client.Send("good"u8.ToArray(), 0, 4, rig.Now);
        byte[] good = rig.ToServer.Queue.Dequeue();

        void Feed(byte[] d) => rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);

        Feed(good[..(good.Length - 1)]); // truncated
        for (int bit = 0; bit < good.Length * 8; bit += 7)
        {
            byte[] flipped = (byte[])good.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            if (flipped.AsSpan(0, 11).SequenceEqual(good.AsSpan(0, 11)) || bit / 8 >= 11)
            {
                Feed(flipped); // bad tag / bad length: dropped
            }
        }
        byte[] epoch2 = (byte[])good.Clone();
        epoch2[4] = 2;
        Feed(epoch2);
        byte[] oversized = new byte[13 + 1200];
        RecordHeader.Write(oversized, 0, ContentType.ApplicationData, ProtocolVersion.Dtls12, 1, 999, 1200);
        Feed(oversized);
        Assert.Empty(rig.ServerEvents.Data);
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.IsConnected);
        Feed(good);
        Assert.Equal("good"u8.ToArray(), Assert.Single(rig.ServerEvents.Data));
        Assert.Equal(0, rig.ServerEvents.Closed);
    }

    /// <param name="cid">Connection ID length on both sides (RFC 9146 tls12_cid records and lookup by CID), 0 = off.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void FuzzedDatagramsNeverThrowAndNeverKillSessions(int cid)
    {
        var rig = new DtlsRig(seed: 4, configure: c => c.ConnectionIdLength = cid);
        var elsewhere = NfDtls.Net.PeerAddress.FromIPv4(192, 0, 2, 9, 7777);
        rig.Client.Connect(rig.Now);
        rig.Pump();
        Assert.True(rig.Client.IsConnected);
        var corpus = rig.ToServer.Sent.Concat(rig.ToClient.Sent).ToList();
        rig.Client.Send("data"u8.ToArray(), 0, 4, rig.Now);
        corpus.Add(rig.ToServer.Queue.Dequeue());
        var random = new Random(1234);
        for (int i = 0; i < 4000; i++)
        {
            byte[] d = (byte[])corpus[random.Next(corpus.Count)].Clone();
            switch (random.Next(4))
            {
                case 0:
                    d[random.Next(d.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    d = d[..random.Next(d.Length)];
                    break;
                case 2:
                    for (int k = 0; k < 4; k++)
                    {
                        d[random.Next(d.Length)] = (byte)random.Next(256);
                    }
                    break;
                default:
                    d = new byte[random.Next(1, 200)];
                    random.NextBytes(d);
                    if (random.Next(2) == 0 && d.Length > 3)
                    {
                        d[0] = (byte)(random.Next(2) == 0 ? 22 : 25);
                        d[1] = 0xFE;
                        d[2] = 0xFD;
                    }
                    break;
            }
            rig.Server.Receive(d, 0, d.Length, random.Next(4) == 0 ? elsewhere : DtlsRig.ClientAddress, rig.Now);
            rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
        }
        Assert.Equal(cid > 0, rig.Client.Session.UsesConnectionId);
        // Whatever the fuzz made the engines send is discarded; both sides still talk.
        rig.ToServer.Queue.Clear();
        rig.ToClient.Queue.Clear();
        Assert.True(rig.Client.IsConnected);
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.IsConnected);
        rig.ServerEvents.Data.Clear();
        rig.Client.Send("still here"u8.ToArray(), 0, 10, rig.Now);
        rig.Pump();
        Assert.Equal("still here"u8.ToArray(), rig.ServerEvents.Data.Last());
    }

    [Fact]
    public void SpoofedHelloFloodCreatesNoServerState()
    {
        var rig = new DtlsRig();
        rig.Client.Connect(rig.Now);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        for (int port = 1; port <= 500; port++)
        {
            rig.Server.Receive(hello, 0, hello.Length, Net.PeerAddress.FromIPv4(203, 0, 113, port & 255, port), rig.Now);
        }
        Assert.Equal(0, rig.Server.SessionCount);
        Assert.Equal(500, rig.ToClient.Queue.Count);
        Assert.All(rig.ToClient.Queue, hvr => Assert.True(hvr.Length <= hello.Length));
    }
}
