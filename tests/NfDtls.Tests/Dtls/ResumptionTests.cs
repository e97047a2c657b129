using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Session resumption (RFC 5246 §7.3, RFC 6347, RFC 5077, RFC 7627 §5.3) between our own client and server: the
/// session-ID cache and tickets, the client's saved state, fallback to a full handshake when the server declines, the
/// extended-master-secret rule, identity changes, lifetimes, ticket keys across a restart, and lost flights.
/// </summary>
public class ResumptionTests
{
    private static void Cache(DtlsConfig c) => c.SessionCacheSize = 4;

    private static void Tickets(DtlsConfig c) => c.SessionTickets = true;

    private static void Both(DtlsConfig c)
    {
        c.SessionCacheSize = 4;
        c.SessionTickets = true;
    }

    /// <summary>Closes the client's session and connects again (a new client random: the server's cookie exchange runs).</summary>
    private static void Reconnect(DtlsRig rig, long advanceMs = 10)
    {
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Now += advanceMs;
        rig.Handshake();
    }

    private static DtlsSession ServerSession(DtlsRig rig) => rig.Server.FindSession(DtlsRig.ClientAddress)!;

    private static void AssertTalking(DtlsRig rig)
    {
        Assert.True(rig.Client.IsConnected, "client: " + rig.Client.Session.Failure + " alert " + rig.Client.Session.AlertDescription);
        DtlsSession s = ServerSession(rig);
        Assert.NotNull(s);
        Assert.True(s.IsConnected);
        int before = rig.ServerEvents.Data.Count;
        int beforeClient = rig.ClientEvents.Data.Count;
        Assert.True(rig.Client.Send("ping"u8.ToArray(), 0, 4, rig.Now));
        Assert.True(rig.Server.Send(DtlsRig.ClientAddress, "pong"u8.ToArray(), 0, 4, rig.Now));
        rig.Pump();
        Assert.Equal(before + 1, rig.ServerEvents.Data.Count);
        Assert.Equal(beforeClient + 1, rig.ClientEvents.Data.Count);
        Assert.Equal("ping"u8.ToArray(), rig.ServerEvents.Data[^1]);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    [InlineData("both")]
    public void SecondConnectionIsResumedAndCarriesData(string mode)
    {
        Action<DtlsConfig> configure = mode == "cache" ? Cache : mode == "tickets" ? Tickets : Both;
        var rig = new DtlsRig(3, configure);
        rig.Handshake();
        AssertTalking(rig);
        Assert.False(rig.Client.Session.WasResumed);
        Assert.False(ServerSession(rig).WasResumed);
        Assert.True(rig.Client.HasResumableSession);
        Assert.Equal(mode == "tickets" ? 0 : 1, rig.Server.CachedSessions);

        Reconnect(rig);
        AssertTalking(rig);
        Assert.True(rig.Client.Session.WasResumed);
        DtlsSession server = ServerSession(rig);
        Assert.True(server.WasResumed);
        Assert.True(server.UsesExtendedMasterSecret);
        Assert.Equal("device-1", server.PskIdentityText());
        Assert.Equal("device-1", rig.Client.Session.PskIdentityText());
        Assert.Equal(2, rig.ServerEvents.Connected);
        Assert.Equal(2, rig.ClientEvents.Connected);

        // and again: a resumed session stays resumable
        Reconnect(rig);
        AssertTalking(rig);
        Assert.True(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void AbbreviatedHandshakeHasNoKeyExchangeMessages()
    {
        var rig = new DtlsRig(4, Both);
        rig.Handshake();
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.ToClient.Sent.Clear();
        rig.ToServer.Sent.Clear();
        rig.Handshake();
        Assert.True(rig.Client.Session.WasResumed);
        var types = new List<int>();
        foreach (byte[] d in rig.ToClient.Sent)
        {
            // epoch-0 handshake records: content type 22, epoch bytes 3..4 = 0
            int p = 0;
            while (p + 13 <= d.Length)
            {
                int length = (d[p + 11] << 8) | d[p + 12];
                if (d[p] == 22 && d[p + 3] == 0 && d[p + 4] == 0)
                {
                    types.Add(d[p + 13]);
                }
                p += 13 + length;
            }
        }
        Assert.Contains(HandshakeType.ServerHello, types);
        Assert.DoesNotContain(HandshakeType.Certificate, types);
        Assert.DoesNotContain(HandshakeType.ServerKeyExchange, types);
        Assert.DoesNotContain(HandshakeType.ServerHelloDone, types);
        Assert.DoesNotContain(HandshakeType.NewSessionTicket, types); // tickets are not renewed on resumption
    }

    [Fact]
    public void WithoutExtendedMasterSecretNothingIsResumed()
    {
        var rig = new DtlsRig(5, c => { Both(c); c.ExtendedMasterSecret = false; });
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.HasResumableSession);
        Assert.Equal(0, rig.Client.SaveResumption(new byte[DtlsClient.MaxResumptionStateLength], 0));
        Assert.Equal(0, rig.Server.CachedSessions);
        Reconnect(rig);
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void ServerWithoutExtendedMasterSecretFromClientDoesNotResume()
    {
        // The server resumes only hellos that offer EMS (RFC 7627 §5.3): a client that stops offering it gets a full handshake.
        var rig = new DtlsRig(6, Cache);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        Assert.True(n > 0);
        var events = new RecordingEvents();
        var client = new DtlsClient(DtlsRig.Config(60, c => { Cache(c); c.ExtendedMasterSecret = false; }), rig.ToServer, DtlsRig.ServerAddress,
                                    DtlsRig.Identity, DtlsRig.Key, events);
        Assert.True(client.LoadResumption(state, 0, n));
        client.Connect(rig.Now);
        rig.Pump(client);
        Assert.True(client.IsConnected);
        Assert.False(client.Session.WasResumed);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void SavedStateResumesInANewClientInstance(string mode)
    {
        Action<DtlsConfig> configure = mode == "cache" ? Cache : Tickets;
        var rig = new DtlsRig(7, configure);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength + 10];
        int n = rig.Client.SaveResumption(state, 5);
        Assert.InRange(n, 100, DtlsClient.MaxResumptionStateLength);
        var events = new RecordingEvents();
        var client = new DtlsClient(DtlsRig.Config(70, configure), rig.ToServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, events);
        Assert.False(client.HasResumableSession);
        Assert.True(client.LoadResumption(state, 5, n));
        Assert.True(client.HasResumableSession);
        rig.Now += 100;
        client.Connect(rig.Now);
        rig.Pump(client);
        Assert.True(client.IsConnected);
        Assert.True(client.Session.WasResumed);
        Assert.True(ServerSession(rig).WasResumed);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void ServerThatForgotFallsBackToAFullHandshake(string mode)
    {
        Action<DtlsConfig> configure = mode == "cache" ? Cache : Tickets;
        var rig = new DtlsRig(8, configure);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        // A new server (restarted, new ticket key, empty cache) at the same address.
        var rig2 = new DtlsRig(9, configure);
        Assert.True(rig2.Client.LoadResumption(state, 0, n));
        rig2.Handshake();
        Assert.True(rig2.Client.IsConnected);
        Assert.False(rig2.Client.Session.WasResumed);
        Assert.Empty(rig2.ClientEvents.Alerts);
        // The new session is the one resumable now.
        Reconnect(rig2);
        Assert.True(rig2.Client.Session.WasResumed);
    }

    [Fact]
    public void ForgedOrDamagedTicketsGiveAFullHandshake()
    {
        var rig = new DtlsRig(10, Tickets);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        for (int flip = n - 40; flip < n; flip += 7)
        {
            byte[] bad = (byte[])state.Clone();
            bad[flip] ^= 0x40; // inside the ticket (it is the state's tail)
            Assert.True(rig.Client.LoadResumption(bad, 0, n));
            Reconnect(rig);
            Assert.True(rig.Client.IsConnected);
            Assert.False(rig.Client.Session.WasResumed);
        }
        Reconnect(rig);
        Assert.True(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void MalformedSavedStatesAreRefusedWithoutThrowing()
    {
        var rig = new DtlsRig(11, Tickets);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        var random = new Random(5);
        Assert.False(rig.Client.LoadResumption(null!, 0, 10));
        Assert.False(rig.Client.LoadResumption(state, -1, n));
        Assert.False(rig.Client.LoadResumption(state, 0, n - 1));
        Assert.False(rig.Client.LoadResumption(state, 0, state.Length + 1));
        Assert.False(rig.Client.LoadResumption(state, 10, state.Length));
        for (int i = 0; i < 2000; i++)
        {
            byte[] junk = new byte[random.Next(0, DtlsClient.MaxResumptionStateLength + 20)];
            random.NextBytes(junk);
            rig.Client.LoadResumption(junk, 0, junk.Length);
        }
        Assert.True(rig.Client.LoadResumption(state, 0, n));
        Reconnect(rig);
        Assert.True(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void ChangedPskIdentityOrKeyIsNeverResumed()
    {
        var rig = new DtlsRig(12, Cache);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        // Same server, a client with another identity (the server knows it): full handshake under that identity.
        var events = new RecordingEvents();
        var other = new DtlsClient(DtlsRig.Config(120, Cache), rig.ToServer, DtlsRig.ServerAddress, "other"u8.ToArray(),
                                   Convert.FromHexString("0102030405060708"), events);
        Assert.True(other.LoadResumption(state, 0, n));
        other.Connect(rig.Now);
        rig.Pump(other);
        Assert.True(other.IsConnected);
        Assert.False(other.Session.WasResumed);
        Assert.Equal("other", ServerSession(rig).PskIdentityText());
        // Same identity, another key: not offered either (the handshake then fails on the wrong key, as it would).
        var events2 = new RecordingEvents();
        var rekeyed = new DtlsClient(DtlsRig.Config(121, Cache), rig.ToServer, DtlsRig.ServerAddress, DtlsRig.Identity,
                                     Convert.FromHexString("ffeeddccbbaa99887766554433221100"), events2);
        Assert.True(rekeyed.LoadResumption(state, 0, n));
        rig.Now += 10;
        rekeyed.Connect(rig.Now);
        byte[] hello = rig.ToServer.Queue.Peek();
        // ClientHello body: record 13 + handshake header 12 + version 2 + random 32, then session_id length
        Assert.Equal(0, hello[13 + 12 + 2 + 32]);
    }

    [Fact]
    public void IdentityRemovedFromTheServerStoreIsNotResumed()
    {
        var rig = new DtlsRig(13, Both);
        rig.Handshake();
        var table = new PskTable(2);
        table.Add(DtlsRig.Identity, DtlsRig.Key);
        // A server whose store no longer has the identity: both resumption paths refuse, the full handshake then fails.
        var keys = new PskTable(1);
        keys.Add("someone-else"u8.ToArray(), DtlsRig.Key);
        byte[] tk = new byte[DtlsServer.TicketKeysLength];
        Assert.Equal(DtlsServer.TicketKeysLength, rig.Server.SaveTicketKeys(tk, 0));
        var events = new RecordingEvents();
        var sink = new QueueSink();
        var server = new DtlsServer(DtlsRig.Config(130, Both), sink, keys, events);
        Assert.True(server.LoadTicketKeys(tk, 0, tk.Length));
        rig.Client.Close(rig.Now);
        rig.Now += 10;
        rig.Client.Connect(rig.Now);
        for (int i = 0; i < 20; i++)
        {
            while (rig.ToServer.Queue.Count > 0)
            {
                byte[] d = rig.ToServer.Queue.Dequeue();
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
            }
            while (sink.Queue.Count > 0)
            {
                byte[] d = sink.Queue.Dequeue();
                rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
            }
        }
        Assert.Equal(0, events.Connected);
        Assert.False(rig.Client.IsConnected);
    }

    [Fact]
    public void TicketKeysSurviveARestart()
    {
        var rig = new DtlsRig(14, Tickets);
        rig.Now = 5_000;
        rig.Handshake();
        rig.Now = 3_600_000;
        byte[] tk = new byte[DtlsServer.TicketKeysLength + 3];
        Assert.Equal(DtlsServer.TicketKeysLength, rig.Server.SaveTicketKeys(tk, 3));
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);

        // The restarted gateway starts its clock at 0 again.
        var restarted = new DtlsRig(15, Tickets);
        Assert.False(restarted.Server.LoadTicketKeys(tk, 3, DtlsServer.TicketKeysLength - 1));
        Assert.True(restarted.Server.LoadTicketKeys(tk, 3, DtlsServer.TicketKeysLength));
        Assert.True(restarted.Client.LoadResumption(state, 0, n));
        restarted.Handshake();
        Assert.True(restarted.Client.IsConnected);
        Assert.True(restarted.Client.Session.WasResumed);

        // Without the keys: a full handshake.
        var forgetful = new DtlsRig(16, Tickets);
        Assert.True(forgetful.Client.LoadResumption(state, 0, n));
        forgetful.Handshake();
        Assert.True(forgetful.Client.IsConnected);
        Assert.False(forgetful.Client.Session.WasResumed);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void ExpiredSessionsAreNotResumed(string mode)
    {
        Action<DtlsConfig> configure = c =>
        {
            if (mode == "cache") Cache(c); else Tickets(c);
            c.SessionLifetimeSeconds = 60;
        };
        var rig = new DtlsRig(17, configure);
        rig.Handshake();
        Reconnect(rig, 59_000);
        Assert.True(rig.Client.Session.WasResumed);
        Reconnect(rig, 62_000); // 121 s after the full handshake
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void TicketsOfThePreviousKeyAreAcceptedForOnePeriod()
    {
        Action<DtlsConfig> configure = c =>
        {
            Tickets(c);
            c.TicketKeyRotationSeconds = 100;
            c.SessionLifetimeSeconds = 1000;
        };
        var rig = new DtlsRig(18, configure);
        rig.Handshake(); // ticket under key 1 (t = 0)
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        Reconnect(rig, 150_000); // key 2 current, key 1 previous
        Assert.True(rig.Client.Session.WasResumed);
        Assert.True(rig.Client.LoadResumption(state, 0, n));
        Reconnect(rig, 100_000); // t = 250 s: key 3 current, key 1 gone
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void CacheReplacesTheLeastRecentlyUsedEntry()
    {
        // Three clients from three addresses share one server with two cache entries.
        var rig = new DtlsRig(20, c => c.SessionCacheSize = 2);
        var clients = new DtlsClient[3];
        var addresses = new PeerAddress[3];
        var sinks = new QueueSink[3];
        for (int i = 0; i < 3; i++)
        {
            sinks[i] = new QueueSink();
            addresses[i] = PeerAddress.FromIPv4(10, 0, 0, (byte)(10 + i), 40000);
            clients[i] = new DtlsClient(DtlsRig.Config(200 + i, c => c.SessionCacheSize = 2), sinks[i], DtlsRig.ServerAddress,
                                        DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
        }
        var router = new RoutingSink();
        var shared = new DtlsServer(DtlsRig.Config(21, c => c.SessionCacheSize = 2), router, rig.Keys, new RecordingEvents());
        void Connect(int i)
        {
            clients[i].Connect(rig.Now);
            for (int round = 0; round < 20; round++)
            {
                while (sinks[i].Queue.Count > 0)
                {
                    byte[] d = sinks[i].Queue.Dequeue();
                    shared.Receive(d, 0, d.Length, addresses[i], rig.Now);
                }
                while (router.Queue.Count > 0)
                {
                    var (to, d) = router.Queue.Dequeue();
                    int k = Array.FindIndex(addresses, a => a.SameAs(to));
                    clients[k].Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
                }
            }
            Assert.True(clients[i].IsConnected);
            rig.Now += 10;
        }
        Connect(0);
        Connect(1);
        Connect(0); // resumed: entry 0 used more recently than entry 1
        Assert.True(clients[0].Session.WasResumed);
        Connect(2); // replaces entry 1
        Assert.Equal(2, shared.CachedSessions);
        Connect(0);
        Assert.True(clients[0].Session.WasResumed);
        Connect(1);
        Assert.False(clients[1].Session.WasResumed);
        Connect(2); // client 2's entry made way for client 1's new session (client 0's was used more recently)
        Assert.False(clients[2].Session.WasResumed);
        Connect(1); // its entry stayed: client 0's, the least recently used, made way for client 2's
        Assert.True(clients[1].Session.WasResumed);
        Connect(0);
        Assert.False(clients[0].Session.WasResumed);
    }

    private sealed class RoutingSink : IDatagramSink
    {
        public readonly Queue<(PeerAddress, byte[])> Queue = new();

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            var copy = new PeerAddress();
            copy.CopyFrom(destination);
            Queue.Enqueue((copy, buffer.AsSpan(offset, count).ToArray()));
        }
    }
}
