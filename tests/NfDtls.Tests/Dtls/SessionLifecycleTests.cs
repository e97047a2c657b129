using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

public class SessionLifecycleTests
{
    [Fact]
    public void IdentityHintGoesInServerKeyExchangeOnlyWhenConfigured()
    {
        var plain = new DtlsRig();
        plain.Handshake();
        Assert.DoesNotContain(plain.ToClient.Sent, d => ContainsHandshake(d, HandshakeType.ServerKeyExchange));

        var hinted = new DtlsRig(configure: c => c.PskIdentityHint = "hint"u8.ToArray());
        hinted.Handshake();
        Assert.True(hinted.Client.IsConnected);
        Assert.Contains(hinted.ToClient.Sent, d => ContainsHandshake(d, HandshakeType.ServerKeyExchange));
    }

    [Fact]
    public void WithoutExtendedMasterSecretBothSidesStillAgree()
    {
        var rig = new DtlsRig(configure: c => c.ExtendedMasterSecret = false);
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.Session.UsesExtendedMasterSecret);
        Assert.False(rig.Server.FindSession(DtlsRig.ClientAddress)!.UsesExtendedMasterSecret);
        rig.Client.Send("x"u8.ToArray(), 0, 1, rig.Now);
        rig.Pump();
        Assert.Single(rig.ServerEvents.Data);
    }

    [Fact]
    public void LargeHandshakeMessagesAreFragmentedAndReassembled()
    {
        // A 600-byte hint cannot fit a 256-byte datagram: ServerKeyExchange travels in fragments.
        byte[] hint = Enumerable.Range(0, 600).Select(i => (byte)('a' + i % 26)).ToArray();
        var rig = new DtlsRig(configure: c =>
        {
            c.MaxDatagramSize = 256;
            c.PskIdentityHint = hint;
        });
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        Assert.All(rig.ToClient.Sent, d => Assert.True(d.Length <= 256));
        Assert.True(rig.ToClient.Sent.Count(d => ContainsHandshake(d, HandshakeType.ServerKeyExchange)) >= 3);
    }

    [Fact]
    public void SeveralHandshakeMessagesInOneRecordAreAccepted()
    {
        var rig = new DtlsRig();
        rig.Client.Connect(rig.Now);
        bool mergedSeen = false;
        for (int round = 0; round < 10 && !rig.Client.IsConnected; round++)
        {
            while (rig.ToServer.Queue.Count > 0)
            {
                var d = rig.ToServer.Queue.Dequeue();
                rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
            }
            while (rig.ToClient.Queue.Count > 0)
            {
                // Re-pack the server's plaintext handshake records into one record carrying all their messages.
                var d = MergePlainHandshakeRecords(rig.ToClient.Queue.Dequeue(), out int merged);
                mergedSeen |= merged > 1;
                rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
            }
        }
        Assert.True(mergedSeen); // ServerHello and ServerHelloDone really shared one record
        Assert.True(rig.Client.IsConnected);
    }

    [Fact]
    public void CloseNotifyEndsBothSidesCleanly()
    {
        var rig = new DtlsRig();
        rig.Handshake();
        rig.Client.Close(rig.Now);
        rig.Pump();
        Assert.Equal(DtlsSessionState.Closed, rig.Client.Session.State);
        Assert.Equal(DtlsFailure.None, rig.Client.Session.Failure);
        Assert.Equal(0, rig.Server.SessionCount);
        Assert.Contains((1, AlertDescription.CloseNotify), rig.ServerEvents.Alerts);

        var rig2 = new DtlsRig();
        rig2.Handshake();
        rig2.Server.Close(DtlsRig.ClientAddress, rig2.Now);
        rig2.Pump();
        Assert.Equal(DtlsSessionState.Closed, rig2.Client.Session.State);
        Assert.Equal(1, rig2.ClientEvents.Closed);
    }

    [Fact]
    public void UnknownIdentityIsRefusedWithAnAlertWhenHidingIsOff()
    {
        var keys = new PskTable(1);
        keys.Add("someone-else"u8.ToArray(), DtlsRig.Key);
        var toServer = new QueueSink();
        var toClient = new QueueSink();
        var se = new RecordingEvents();
        var ce = new RecordingEvents();
        var server = new DtlsServer(DtlsRig.Config(1, c => c.HideUnknownPskIdentity = false), toClient, keys, se);
        var client = new DtlsClient(DtlsRig.Config(2), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, ce);
        client.Connect(0);
        for (int i = 0; i < 10; i++)
        {
            while (toServer.Queue.Count > 0)
            {
                var d = toServer.Queue.Dequeue();
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
            }
            while (toClient.Queue.Count > 0)
            {
                var d = toClient.Queue.Dequeue();
                client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
            }
        }
        Assert.Equal(DtlsFailure.PeerAlert, client.Session.Failure);
        Assert.Equal(AlertDescription.UnknownPskIdentity, client.Session.AlertDescription);
        Assert.Equal(0, server.SessionCount);
        Assert.Equal(new[] { "device-1" }, se.UnknownIdentities);
        Assert.Equal(1, server.UnknownPskIdentities);
    }

    [Fact]
    public void SilentServerMakesTheClientTimeOutAfterTheConfiguredRetransmissions()
    {
        var sink = new QueueSink();
        var events = new RecordingEvents();
        var client = new DtlsClient(DtlsRig.Config(3, c => { c.MaxRetransmissions = 4; c.InitialRetransmitMs = 1000; c.MaxRetransmitMs = 4000; }),
                                    sink, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, events);
        client.Connect(0);
        var times = new List<long>();
        while (client.NextDeadline != long.MaxValue)
        {
            times.Add(client.NextDeadline);
            client.Tick(client.NextDeadline);
        }
        Assert.Equal(new long[] { 1000, 3000, 7000, 11000, 15000 }, times); // 1 s, doubling, capped at 4 s
        Assert.Equal(5, sink.Count); // first hello + 4 retransmissions
        Assert.Equal(DtlsFailure.Timeout, client.Session.Failure);
        Assert.Equal(1, events.Closed);
    }

    [Fact]
    public void FullTableEvictsTheLeastRecentlyActiveSession()
    {
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var toClients = new QueueSink();
        var se = new RecordingEvents();
        var server = new DtlsServer(DtlsRig.Config(1, c => c.SessionCapacity = 2), toClients, keys, se);
        var clients = new List<(DtlsClient Client, QueueSink Sink, PeerAddress Address)>();
        for (int i = 0; i < 3; i++)
        {
            var sink = new QueueSink();
            var c = new DtlsClient(DtlsRig.Config(10 + i), sink, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
            clients.Add((c, sink, PeerAddress.FromIPv4(10, 0, 0, 10 + i, 4000)));
        }
        long now = 0;
        foreach (var (c, sink, address) in clients)
        {
            now += 1000;
            c.Connect(now);
            for (int round = 0; round < 10; round++)
            {
                while (sink.Queue.Count > 0)
                {
                    var d = sink.Queue.Dequeue();
                    server.Receive(d, 0, d.Length, address, now);
                }
                while (toClients.Queue.Count > 0)
                {
                    var d = toClients.Queue.Dequeue();
                    c.Receive(d, 0, d.Length, DtlsRig.ServerAddress, now);
                }
            }
            Assert.True(c.IsConnected);
        }
        Assert.Equal(2, server.SessionCount);
        Assert.Null(server.FindSession(clients[0].Address)); // the oldest went
        Assert.NotNull(server.FindSession(clients[1].Address));
        Assert.NotNull(server.FindSession(clients[2].Address));
        Assert.Equal(1, se.Closed);
    }

    private static bool ContainsHandshake(byte[] datagram, int type)
    {
        int p = 0;
        while (p + 13 <= datagram.Length)
        {
            int len = (datagram[p + 11] << 8) | datagram[p + 12];
            if (datagram[p] == 22 && datagram[p + 3] == 0 && datagram[p + 4] == 0 && len >= 12 && datagram[p + 13] == type)
            {
                return true;
            }
            p += 13 + len;
        }
        return false;
    }

    /// <summary>Joins consecutive epoch-0 handshake records of a datagram into one record (keeping the first sequence number).</summary>
    private static byte[] MergePlainHandshakeRecords(byte[] datagram, out int merged)
    {
        var output = new List<byte>();
        var pending = new List<byte>();
        byte[]? header = null;
        int most = 0;
        int count = 0;
        int p = 0;
        void Flush()
        {
            if (header != null)
            {
                header[11] = (byte)(pending.Count >> 8);
                header[12] = (byte)pending.Count;
                output.AddRange(header);
                output.AddRange(pending);
                most = Math.Max(most, count);
            }
            header = null;
            pending.Clear();
            count = 0;
        }
        while (p + 13 <= datagram.Length)
        {
            int len = (datagram[p + 11] << 8) | datagram[p + 12];
            bool plainHandshake = datagram[p] == 22 && datagram[p + 3] == 0 && datagram[p + 4] == 0;
            if (plainHandshake)
            {
                header ??= datagram.AsSpan(p, 13).ToArray();
                pending.AddRange(datagram.AsSpan(p + 13, len).ToArray());
                count++;
            }
            else
            {
                Flush();
                output.AddRange(datagram.AsSpan(p, 13 + len).ToArray());
            }
            p += 13 + len;
        }
        Flush();
        merged = most;
        return output.ToArray();
    }
}
