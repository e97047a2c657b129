using NfDtls.Dtls;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>One server, hundreds of clients in memory: every datagram must reach its own session.</summary>
public class ManySessionsTests
{
    private const int Clients = 500;

    /// <summary>Routes the server's datagrams to the queue of the client they are addressed to.</summary>
    private sealed class RoutingSink : IDatagramSink
    {
        public readonly Dictionary<string, Queue<byte[]>> Queues = new();

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            Queues[destination.ToString()].Enqueue(buffer.AsSpan(offset, count).ToArray());
        }
    }

    private sealed class Fleet
    {
        public readonly RoutingSink ToClients = new();
        public readonly RecordingEvents ServerEvents = new();
        public readonly DtlsServer Server;
        public readonly DtlsClient[] Client = new DtlsClient[Clients];
        public readonly QueueSink[] FromClient = new QueueSink[Clients];
        public readonly PeerAddress[] Address = new PeerAddress[Clients];
        public readonly List<string>[] ClientData = new List<string>[Clients];
        public long Now;

        public Fleet()
        {
            var keys = new PskTable(1);
            keys.Add(DtlsRig.Identity, DtlsRig.Key);
            // All 500 hellos arrive at once and the test lets no time pass for retransmissions: one handshake each.
            Server = new DtlsServer(DtlsRig.Config(1, c => { c.SessionCapacity = Clients; c.ConcurrentHandshakes = Clients; }), ToClients, keys, ServerEvents);
            for (int i = 0; i < Clients; i++)
            {
                // Same host, neighbouring ports, and the same port on neighbouring hosts: similar hashes on purpose.
                Address[i] = i % 2 == 0 ? PeerAddress.FromIPv4(10, 0, 0, 1, 20000 + i) : PeerAddress.FromIPv4(10, 0, i >> 8, i & 0xFF, 5683);
                ToClients.Queues[Address[i].ToString()] = new Queue<byte[]>();
                NewClient(i, 100 + i);
            }
        }

        public void NewClient(int i, int seed)
        {
            FromClient[i] = new QueueSink();
            var events = new RecordingEvents();
            var data = new List<string>();
            ClientData[i] = data;
            events.OnData = (s, b, o, n) => data.Add(System.Text.Encoding.ASCII.GetString(b, o, n));
            Client[i] = new DtlsClient(DtlsRig.Config(seed), FromClient[i], DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, events);
        }

        /// <summary>Delivers everything both ways, round-robin over the clients, until quiet.</summary>
        public void Pump()
        {
            bool moved = true;
            for (int round = 0; round < 50 && moved; round++)
            {
                moved = false;
                for (int i = 0; i < Clients; i++)
                {
                    while (FromClient[i].Queue.Count > 0)
                    {
                        byte[] d = FromClient[i].Queue.Dequeue();
                        Server.Receive(d, 0, d.Length, Address[i], Now);
                        moved = true;
                    }
                }
                AssertNextDeadlineIsTheEarliest();
                for (int i = 0; i < Clients; i++)
                {
                    var q = ToClients.Queues[Address[i].ToString()];
                    while (q.Count > 0)
                    {
                        byte[] d = q.Dequeue();
                        Client[i].Receive(d, 0, d.Length, DtlsRig.ServerAddress, Now);
                        moved = true;
                    }
                }
                AssertNextDeadlineIsTheEarliest();
            }
        }

        /// <summary>The cached deadline must equal a scan of the table.</summary>
        public void AssertNextDeadlineIsTheEarliest()
        {
            long expected = long.MaxValue;
            for (int i = 0; i < Server.Capacity; i++)
            {
                DtlsSession s = Server.SessionAt(i);
                if (s.IsActive && s.NextDeadline < expected)
                {
                    expected = s.NextDeadline;
                }
            }
            Assert.Equal(expected, Server.NextDeadline);
        }
    }

    [Fact]
    public void FiveHundredClientsEachReachTheirOwnSession()
    {
        var f = new Fleet();
        var fromPeer = new Dictionary<string, List<string>>();
        f.ServerEvents.Keep = false;
        f.ServerEvents.OnData = (s, b, o, n) =>
        {
            string peer = s.Peer.ToString();
            if (!fromPeer.TryGetValue(peer, out var list))
            {
                fromPeer[peer] = list = new List<string>();
            }
            list.Add(System.Text.Encoding.ASCII.GetString(b, o, n));
        };
        // Start the handshakes at staggered times so session deadlines differ.
        for (int i = 0; i < Clients; i++)
        {
            f.Now = i;
            f.Client[i].Connect(f.Now);
            if (i % 50 == 49)
            {
                f.Pump();
            }
        }
        f.Pump();
        Assert.Equal(Clients, f.ServerEvents.Connected);
        Assert.Equal(Clients, f.Server.SessionCount);
        Assert.Equal(long.MaxValue, f.Server.NextDeadline); // a connected server session has no timer
        for (int i = 0; i < Clients; i++)
        {
            Assert.True(f.Client[i].IsConnected, "client " + i);
            Assert.True(f.Server.FindSession(f.Address[i])!.Peer.SameAs(f.Address[i]));
        }

        for (int i = 0; i < Clients; i++)
        {
            byte[] m = System.Text.Encoding.ASCII.GetBytes("from " + i);
            Assert.True(f.Client[i].Send(m, 0, m.Length, f.Now));
            byte[] reply = System.Text.Encoding.ASCII.GetBytes("to " + i);
            Assert.True(f.Server.Send(f.Address[i], reply, 0, reply.Length, f.Now));
        }
        f.Pump();
        Assert.Equal(Clients, fromPeer.Count);
        for (int i = 0; i < Clients; i++)
        {
            Assert.Equal(new[] { "from " + i }, fromPeer[f.Address[i].ToString()]);
            Assert.Equal(new[] { "to " + i }, f.ClientData[i]);
        }
    }

    [Fact]
    public void ClosedAndRebootedClientsKeepTheIndexRight()
    {
        var f = new Fleet();
        for (int i = 0; i < Clients; i++)
        {
            f.Client[i].Connect(f.Now);
        }
        f.Pump();
        Assert.Equal(Clients, f.Server.SessionCount);

        // The server closes every third; every fifth client closes itself; every seventh reboots (new hello, same address).
        f.Now = 10000;
        for (int i = 0; i < Clients; i++)
        {
            if (i % 3 == 0)
            {
                f.Server.Close(f.Address[i], f.Now);
                Assert.Null(f.Server.FindSession(f.Address[i]));
            }
            else if (i % 5 == 0)
            {
                f.Client[i].Close(f.Now);
            }
        }
        f.Pump();
        for (int i = 0; i < Clients; i++)
        {
            if (i % 3 != 0 && i % 7 == 0)
            {
                f.NewClient(i, 5000 + i);
                f.Client[i].Connect(f.Now);
            }
        }
        f.Pump();
        int expected = 0;
        for (int i = 0; i < Clients; i++)
        {
            bool live = i % 3 != 0 && (i % 5 != 0 || i % 7 == 0);
            if (live)
            {
                expected++;
                Assert.True(f.Client[i].IsConnected, "client " + i);
                Assert.NotNull(f.Server.FindSession(f.Address[i]));
            }
            else
            {
                Assert.Null(f.Server.FindSession(f.Address[i]));
            }
        }
        Assert.Equal(expected, f.Server.SessionCount);

        // The closed ones come back; everyone's data still lands in its own session.
        for (int i = 0; i < Clients; i++)
        {
            if (!f.Client[i].IsConnected)
            {
                f.NewClient(i, 9000 + i);
                f.Client[i].Connect(f.Now);
            }
        }
        f.Pump();
        Assert.Equal(Clients, f.Server.SessionCount);
        var seen = new string?[Clients];
        f.ServerEvents.Keep = false;
        f.ServerEvents.OnData = (s, b, o, n) =>
        {
            int i = int.Parse(System.Text.Encoding.ASCII.GetString(b, o, n));
            Assert.True(s.Peer.SameAs(f.Address[i]));
            Assert.Same(s, f.Server.FindSession(f.Address[i]));
            seen[i] = s.Peer.ToString();
        };
        for (int i = Clients - 1; i >= 0; i--)
        {
            byte[] m = System.Text.Encoding.ASCII.GetBytes(i.ToString());
            Assert.True(f.Client[i].Send(m, 0, m.Length, f.Now));
        }
        f.Pump();
        for (int i = 0; i < Clients; i++)
        {
            Assert.Equal(f.Address[i].ToString(), seen[i]);
        }
    }

    [Fact]
    public void CachedDeadlineFollowsRetransmissionsTimeoutsAndEvictions()
    {
        // Clients whose flight 5 is lost leave server sessions waiting with running timers at different times.
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var sink = new QueueSink();
        var server = new DtlsServer(DtlsRig.Config(3, c => { c.SessionCapacity = 8; c.ConcurrentHandshakes = 8; }), sink, keys, new RecordingEvents());
        var addresses = new List<PeerAddress>();
        for (int i = 0; i < 12; i++)
        {
            var address = PeerAddress.FromIPv4(10, 9, 0, i, 4000);
            addresses.Add(address);
            var fromClient = new QueueSink();
            var client = new DtlsClient(DtlsRig.Config(40 + i), fromClient, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
            long now = 100 * i;
            client.Connect(now);
            // hello -> HVR -> hello with cookie -> flight 4; flight 5 never reaches the server
            for (int round = 0; round < 2; round++)
            {
                while (fromClient.Queue.Count > 0)
                {
                    var d = fromClient.Queue.Dequeue();
                    server.Receive(d, 0, d.Length, address, now);
                }
                while (sink.Queue.Count > 0)
                {
                    var d = sink.Queue.Dequeue();
                    client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, now);
                }
            }
            Assert.Equal(Scan(server), server.NextDeadline);
        }
        Assert.Equal(8, server.SessionCount); // 12 half-open handshakes, 8 at a time: 2 refused, 2 made way after a timeout
        Assert.NotEqual(long.MaxValue, server.NextDeadline);
        for (int step = 0; step < 200 && server.NextDeadline != long.MaxValue; step++)
        {
            long due = server.NextDeadline;
            server.Tick(due);
            sink.Queue.Clear();
            Assert.Equal(Scan(server), server.NextDeadline);
            Assert.True(server.NextDeadline > due);
            if (step == 3)
            {
                server.Close(addresses[11], due);
                Assert.Equal(Scan(server), server.NextDeadline);
                server.SessionAt(0).Close(due); // behind the server's back
                Assert.Equal(Scan(server), server.NextDeadline);
            }
        }
        Assert.Equal(0, server.SessionCount); // all timed out
        Assert.Equal(long.MaxValue, server.NextDeadline);
    }

    private static long Scan(DtlsServer server)
    {
        long next = long.MaxValue;
        for (int i = 0; i < server.Capacity; i++)
        {
            var s = server.SessionAt(i);
            if (s.IsActive && s.NextDeadline < next)
            {
                next = s.NextDeadline;
            }
        }
        return next;
    }
}
