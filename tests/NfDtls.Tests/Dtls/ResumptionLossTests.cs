using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Lost flights of the abbreviated handshake (RFC 6347 §4.2.4): there the server sends the first Finished, so the
/// client's ChangeCipherSpec + Finished is the final flight — the server retransmits its flight on its timer and the
/// connected client answers each authenticated repeat of the server's Finished by sending its own again. Also the
/// full handshake's final flight with a NewSessionTicket, and resumption at 30% loss over many seeds.
/// </summary>
public class ResumptionLossTests
{
    private static void Both(DtlsConfig c)
    {
        c.SessionCacheSize = 4;
        c.SessionTickets = true;
    }

    private static void DeliverToServer(DtlsRig rig)
    {
        while (rig.ToServer.Queue.Count > 0)
        {
            byte[] d = rig.ToServer.Queue.Dequeue();
            rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
        }
    }

    private static void DeliverToClient(DtlsRig rig)
    {
        while (rig.ToClient.Queue.Count > 0)
        {
            byte[] d = rig.ToClient.Queue.Dequeue();
            rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
        }
    }

    /// <summary>Full handshake, close, then a new Connect run up to the server's abbreviated flight (after the cookie exchange).</summary>
    private static DtlsRig UpToServerFlight(int seed, Action<DtlsConfig> configure)
    {
        var rig = new DtlsRig(seed, configure);
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Now += 10;
        rig.Client.Connect(rig.Now);
        DeliverToServer(rig); // ClientHello -> HelloVerifyRequest
        DeliverToClient(rig); // -> ClientHello with cookie
        DeliverToServer(rig); // -> ServerHello, ChangeCipherSpec, Finished
        Assert.Single(rig.ToClient.Queue);
        return rig;
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void LostClientFinalFlightIsSentAgainWhenTheServerRepeatsItsFlight(string mode)
    {
        var rig = UpToServerFlight(30, mode == "cache" ? c => c.SessionCacheSize = 4 : c => c.SessionTickets = true);
        DeliverToClient(rig);
        Assert.True(rig.Client.IsConnected);
        Assert.True(rig.Client.Session.WasResumed);
        Assert.Single(rig.ToServer.Queue);
        rig.ToServer.Queue.Clear(); // the client's ChangeCipherSpec + Finished are lost
        DtlsSession server = rig.Server.FindSession(DtlsRig.ClientAddress)!;
        Assert.False(server.IsConnected);
        Assert.True(server.NextDeadline < long.MaxValue);

        rig.Now = server.NextDeadline;
        rig.Server.Tick(rig.Now); // the server's flight again
        Assert.Single(rig.ToClient.Queue);
        DeliverToClient(rig); // the connected client answers the authenticated repeat of the server's Finished
        Assert.Single(rig.ToServer.Queue);
        DeliverToServer(rig);
        Assert.True(server.IsConnected);
        Assert.True(server.WasResumed);
        Assert.Equal(1, server.Retransmissions);
        Assert.Equal(1, rig.Client.Session.Retransmissions);
        Assert.True(rig.Client.Send("after"u8.ToArray(), 0, 5, rig.Now));
        rig.Pump();
        Assert.Equal("after"u8.ToArray(), rig.ServerEvents.Data[^1]);
    }

    [Fact]
    public void LostServerFlightIsSentAgainForTheRepeatedClientHello()
    {
        var rig = UpToServerFlight(31, Both);
        rig.ToClient.Queue.Clear(); // ServerHello, ChangeCipherSpec, Finished lost
        rig.Now += 1000;
        rig.Client.Tick(rig.Now); // the ClientHello again
        Assert.Single(rig.ToServer.Queue);
        rig.Pump();
        Assert.True(rig.Client.IsConnected);
        Assert.True(rig.Client.Session.WasResumed);
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.IsConnected);
    }

    [Fact]
    public void RepeatedClientFinishedDrawsNothingFromAResumedServer()
    {
        // In the abbreviated handshake the client's Finished is last: a connected server does not answer it again.
        var rig = UpToServerFlight(32, Both);
        DeliverToClient(rig);
        byte[] finalFlight = rig.ToServer.Queue.Peek();
        DeliverToServer(rig);
        Assert.True(rig.Server.FindSession(DtlsRig.ClientAddress)!.IsConnected);
        rig.Now += 2000;
        rig.Server.Receive(finalFlight, 0, finalFlight.Length, DtlsRig.ClientAddress, rig.Now);
        Assert.Empty(rig.ToClient.Queue);
    }

    [Fact]
    public void LostFinalFlightWithNewSessionTicketIsSentAgainByteForByte()
    {
        var rig = new DtlsRig(33, c => c.SessionTickets = true);
        rig.Client.Connect(rig.Now);
        for (int i = 0; i < 2; i++)
        {
            DeliverToServer(rig);
            DeliverToClient(rig);
        }
        DeliverToServer(rig); // flight 5 -> NewSessionTicket, ChangeCipherSpec, Finished
        Assert.Single(rig.ToClient.Queue);
        byte[] first = rig.ToClient.Queue.Dequeue(); // lost
        Assert.False(rig.Client.IsConnected);
        rig.Now += 1000;
        rig.Client.Tick(rig.Now); // flight 5 again
        DeliverToServer(rig);
        Assert.Single(rig.ToClient.Queue);
        byte[] again = rig.ToClient.Queue.Peek();
        // the same NewSessionTicket record (ticket and all), only the record sequence numbers differ
        int ticketRecord = 13 + ((first[11] << 8) | first[12]);
        Assert.Equal(ticketRecord, 13 + ((again[11] << 8) | again[12]));
        Assert.Equal(first.AsSpan(13, ticketRecord - 13).ToArray(), again.AsSpan(13, ticketRecord - 13).ToArray());
        DeliverToClient(rig);
        Assert.True(rig.Client.IsConnected);
        Assert.True(rig.Client.HasResumableSession);
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Handshake();
        Assert.True(rig.Client.Session.WasResumed);
    }

    private sealed class LateSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target!.Send(buffer, offset, count, destination);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void ResumptionSurvivesThirtyPercentLossEachWayOverManySeeds(string mode)
    {
        var profile = new LinkProfile { Loss = 0.30, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 20, JitterMs = 10 };
        int resumed = 0;
        const int seeds = 40;
        for (int seed = 1; seed <= seeds; seed++)
        {
            Action<DtlsConfig> configure = c =>
            {
                c.MaxRetransmissions = 12;
                if (mode == "cache") c.SessionCacheSize = 2; else c.SessionTickets = true;
            };
            var net = new VirtualNetwork(seed);
            var keys = new PskTable(1);
            keys.Add(DtlsRig.Identity, DtlsRig.Key);
            var cs = new LateSink();
            var ss = new LateSink();
            var serverEvents = new RecordingEvents();
            var clientEvents = new RecordingEvents();
            var server = new DtlsServer(DtlsRig.Config(seed * 7 + 1, configure), ss, keys, serverEvents);
            var client = new DtlsClient(DtlsRig.Config(seed * 7 + 2, configure), cs, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, clientEvents);
            ss.Target = net.Attach(DtlsRig.ServerAddress, server);
            cs.Target = net.Attach(DtlsRig.ClientAddress, client);
            net.SetLinks(DtlsRig.ClientAddress, DtlsRig.ServerAddress, profile);

            for (int round = 1; round <= 2; round++)
            {
                client.Connect(net.Now);
                net.Poke(client);
                int want = round;
                Assert.True(net.RunUntil(net.Now + 30 * 60_000, () => client.IsConnected && ServerConnected(server)),
                            "seed " + seed + " round " + round);
                // data both ways (retried once a second, as an application would)
                Assert.True(Deliver(net, () => client.Send("up"u8.ToArray(), 0, 2, net.Now), serverEvents), "seed " + seed);
                Assert.True(Deliver(net, () => server.Send(DtlsRig.ClientAddress, "dn"u8.ToArray(), 0, 2, net.Now), clientEvents), "seed " + seed);
                if (round == 2)
                {
                    Assert.True(client.Session.WasResumed, "seed " + seed);
                    Assert.True(server.FindSession(DtlsRig.ClientAddress)!.WasResumed, "seed " + seed);
                    resumed++;
                }
                client.Close(net.Now);
                net.RunUntil(net.Now + 100, () => false);
            }
        }
        Assert.Equal(seeds, resumed);
    }

    private static bool ServerConnected(DtlsServer server)
    {
        DtlsSession? s = server.FindSession(DtlsRig.ClientAddress);
        return s != null && s.IsConnected;
    }

    private static bool Deliver(VirtualNetwork net, Action send, RecordingEvents events)
    {
        int before = events.Data.Count;
        for (int i = 0; i < 60; i++)
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
