using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// One server and any number of clients (each at its own address) in memory, with virtual time and a filter per
/// direction per client: what attack and loss tests need that the one-pair <see cref="DtlsRig"/> cannot do.
/// </summary>
public sealed class DtlsFabric
{
    public sealed class Peer
    {
        public required PeerAddress Address;
        public required DtlsClient Client;
        public required QueueSink ToServer;
        public readonly RecordingEvents Events = new();
        /// <summary>Client to server: return null to drop, or a rewritten datagram. Gets the datagram and its index from this client.</summary>
        public Func<byte[], int, byte[]?>? Out;
        /// <summary>Server to client, likewise (index counts datagrams to this client).</summary>
        public Func<byte[], int, byte[]?>? In;
        public int SentCount;
        public int ReceivedCount;
    }

    public readonly AddressedSink FromServer = new();
    public readonly RecordingEvents ServerEvents = new();
    public readonly DtlsServer Server;
    public readonly List<Peer> Peers = new();
    public long Now;

    public DtlsFabric(DtlsConfig serverConfig, IPskStore? keys = null)
    {
        Server = new DtlsServer(serverConfig, FromServer, keys ?? Keys(), ServerEvents);
    }

    public static PskTable Keys()
    {
        var keys = new PskTable(4);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        return keys;
    }

    public Peer Add(DtlsConfig config, byte[]? identity = null, byte[]? key = null, int port = 0)
    {
        int n = Peers.Count;
        var address = PeerAddress.FromIPv4(10, 0, 1 + n / 200, 2 + n % 200, port != 0 ? port : 40000 + n);
        var sink = new QueueSink();
        var peer = new Peer { Address = address, ToServer = sink, Client = null! };
        peer.Client = new DtlsClient(config, sink, DtlsRig.ServerAddress, identity!, key!, peer.Events);
        Peers.Add(peer);
        return peer;
    }

    public Peer AddPsk(int seed, Action<DtlsConfig>? configure = null) =>
        Add(DtlsRig.Config(seed, configure), DtlsRig.Identity, DtlsRig.Key);

    /// <summary>Delivers everything queued, both ways, until nothing moves (filters applied).</summary>
    public void Pump(int maxRounds = 200)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            bool moved = false;
            foreach (Peer p in Peers)
            {
                while (p.ToServer.Queue.Count > 0)
                {
                    moved = true;
                    byte[]? d = p.ToServer.Queue.Dequeue();
                    int index = p.SentCount++;
                    d = p.Out != null ? p.Out(d, index) : d;
                    if (d != null)
                    {
                        Server.Receive(d, 0, d.Length, p.Address, Now);
                    }
                }
            }
            while (FromServer.Queue.Count > 0)
            {
                moved = true;
                var (data, to) = FromServer.Queue.Dequeue();
                Peer? p = Peers.FirstOrDefault(x => x.Address.SameAs(to));
                if (p == null)
                {
                    continue;
                }
                int index = p.ReceivedCount++;
                byte[]? d = p.In != null ? p.In(data, index) : data;
                if (d != null)
                {
                    p.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, Now);
                }
            }
            if (!moved)
            {
                return;
            }
        }
    }

    /// <summary>Lets virtual time run in steps, ticking every engine and pumping, until <paramref name="done"/> or the limit.</summary>
    public bool RunUntil(long limitMs, Func<bool> done, long stepMs = 50)
    {
        long end = Now + limitMs;
        while (true)
        {
            Pump();
            if (done())
            {
                return true;
            }
            if (Now >= end)
            {
                return false;
            }
            Now += stepMs;
            Server.Tick(Now);
            foreach (Peer p in Peers)
            {
                p.Client.Tick(Now);
            }
        }
    }

    /// <summary>Handshakes one client alone (the others stay quiet) and checks both ends.</summary>
    public bool Connect(Peer p, long limitMs = 60000)
    {
        p.Client.Connect(Now);
        return RunUntil(limitMs, () => p.Client.IsConnected && ServerSession(p)?.IsConnected == true);
    }

    public DtlsSession? ServerSession(Peer p) => Server.FindSession(p.Address);

    /// <summary>Injects a datagram as if <paramref name="p"/> had sent it.</summary>
    public void FromPeer(Peer p, byte[] datagram) => Server.Receive(datagram, 0, datagram.Length, p.Address, Now);

    /// <summary>True when application data goes both ways between the client and its server session.</summary>
    public bool Talks(Peer p)
    {
        int before = ServerEvents.Data.Count;
        int clientBefore = p.Events.Data.Count;
        if (!p.Client.Send("ping"u8.ToArray(), 0, 4, Now) || !Server.Send(p.Address, "pong"u8.ToArray(), 0, 4, Now))
        {
            return false;
        }
        Pump();
        return ServerEvents.Data.Count > before && p.Events.Data.Count > clientBefore;
    }
}
