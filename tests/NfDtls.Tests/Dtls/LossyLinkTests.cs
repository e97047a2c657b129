using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>Handshakes and data over the seeded virtual network (loss, duplication, reordering, delay).</summary>
public class LossyLinkTests
{
    private sealed class LateSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target!.Send(buffer, offset, count, destination);
    }

    private sealed class SimPair
    {
        public readonly VirtualNetwork Net;
        public readonly DtlsClient Client;
        public readonly DtlsServer Server;
        public readonly RecordingEvents ClientEvents = new();
        public readonly RecordingEvents ServerEvents = new();

        public SimPair(int seed, LinkProfile profile, Action<DtlsConfig>? configure = null)
        {
            Net = new VirtualNetwork(seed);
            var keys = new PskTable(1);
            keys.Add(DtlsRig.Identity, DtlsRig.Key);
            var cs = new LateSink();
            var ss = new LateSink();
            Server = new DtlsServer(DtlsRig.Config(seed * 7 + 1, configure), ss, keys, ServerEvents);
            Client = new DtlsClient(DtlsRig.Config(seed * 7 + 2, configure), cs, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, ClientEvents);
            ss.Target = Net.Attach(DtlsRig.ServerAddress, Server);
            cs.Target = Net.Attach(DtlsRig.ClientAddress, Client);
            Net.SetLinks(DtlsRig.ClientAddress, DtlsRig.ServerAddress, profile);
        }

        public bool Connect(long limitMs)
        {
            Client.Connect(Net.Now);
            Net.Poke(Client);
            return Net.RunUntil(Net.Now + limitMs, () => Client.IsConnected && ServerEvents.Connected > 0);
        }

        /// <summary>Sends one record a second (as an application with its own retry would) until it arrives.</summary>
        public bool Deliver(bool toServer, byte[] payload, long limitMs)
        {
            var events = toServer ? ServerEvents : ClientEvents;
            int before = events.Data.Count;
            long end = Net.Now + limitMs;
            while (Net.Now < end)
            {
                if (toServer)
                {
                    Client.Send(payload, 0, payload.Length, Net.Now);
                }
                else
                {
                    Server.Send(DtlsRig.ClientAddress, payload, 0, payload.Length, Net.Now);
                }
                if (Net.RunUntil(Net.Now + 1000, () => events.Data.Count > before))
                {
                    return events.Data[before].AsSpan().SequenceEqual(payload);
                }
            }
            return false;
        }
    }

    [Fact]
    public void HandshakeAndDataSurviveThirtyPercentLossEachWayOverManySeeds()
    {
        var profile = new LinkProfile { Loss = 0.30, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 20, JitterMs = 10 };
        int totalFlights = 0;
        int worstFlights = 0;
        const int seeds = 60;
        for (int seed = 1; seed <= seeds; seed++)
        {
            var p = new SimPair(seed, profile, c => c.MaxRetransmissions = 12);
            Assert.True(p.Connect(30 * 60_000), "seed " + seed + ": handshake did not complete");
            Assert.True(p.Deliver(true, "up"u8.ToArray(), 60_000), "seed " + seed);
            Assert.True(p.Deliver(false, "down"u8.ToArray(), 60_000), "seed " + seed);
            int flights = p.Client.Session.FlightsSent + p.Server.FindSession(DtlsRig.ClientAddress)!.FlightsSent;
            totalFlights += flights;
            worstFlights = Math.Max(worstFlights, flights);
            Assert.Equal(1, p.ServerEvents.Connected);
        }
        // Without loss a handshake is 3 client flights + 2 server flights; at 30% loss each way the
        // retransmissions stay bounded.
        Assert.True(totalFlights > seeds * 5, "the link lost nothing?"); // loss really forced retransmissions
        Assert.True(totalFlights / (double)seeds < 15, "mean flights " + totalFlights / (double)seeds);
        Assert.True(worstFlights <= 40, "worst flights " + worstFlights);
    }

    [Fact]
    public void PerfectLinkTakesExactlyFiveFlights()
    {
        var p = new SimPair(3, LinkProfile.Perfect());
        Assert.True(p.Connect(10_000));
        Assert.Equal(3, p.Client.Session.FlightsSent); // ClientHello, ClientHello+cookie, ClientKeyExchange..Finished
        Assert.Equal(2, p.Server.FindSession(DtlsRig.ClientAddress)!.FlightsSent); // ServerHello..Done, CCS+Finished
        Assert.Equal(1, p.Server.HelloVerifyRequestsSent);
    }

    [Fact]
    public void ReorderingAndDuplicationAloneNeverBreakTheHandshake()
    {
        var profile = new LinkProfile { Duplicate = 0.5, Reorder = 0.5, ReorderDelayMs = 300, LatencyMs = 10, JitterMs = 30 };
        for (int seed = 1; seed <= 20; seed++)
        {
            var p = new SimPair(seed, profile);
            Assert.True(p.Connect(10 * 60_000), "seed " + seed);
            Assert.True(p.Deliver(true, "x"u8.ToArray(), 30_000));
            Assert.Equal(1, p.ServerEvents.Connected);
            Assert.Equal(1, p.ClientEvents.Connected);
        }
    }
}
