using NfDtls.Coap;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Config;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Sim;

/// <summary>
/// NAT rebinding in the fleet (issue 13 §3): the real SensorNodes and SensorGateway, a NAT giving nodes new source
/// ports under their sessions. With RFC 9146 Connection IDs (on by default) the readings keep flowing on the same
/// session; without them the gateway sees strangers and the nodes must notice and handshake again.
/// </summary>
public class NatRebindFleetTests(ITestOutputHelper output)
{
    private const int Nodes = 12;

    private static FleetPlan Plan(double rebindsPerHour, int minutes = 20, int seed = 1) => new()
    {
        Nodes = Nodes,
        Seed = seed,
        DurationMs = minutes * 60_000L,
        Link = LinkProfile.Lossy(0.05, 30),
        NatRebindsPerNodeHour = rebindsPerHour,
    };

    private (FleetRunner Runner, SensorFleet Fleet, string Report) Run(FleetPlan plan, SensorFleetOptions options)
    {
        var (runner, fleet) = SensorFleetTests.Make(plan, options);
        runner.Run();
        string report = FleetReport.Write(runner.Recorder, runner.Network.Stats, new[] { "nat" });
        output.WriteLine(report);
        return (runner, fleet, report);
    }

    [Fact]
    public void WithConnectionIdsEveryRebindingIsSurvivedWithoutAHandshake()
    {
        var (runner, fleet, report) = Run(Plan(6), new SensorFleetOptions { ReadingPeriodMs = 30_000 });
        var r = runner.Recorder;
        Assert.InRange(r.NatRebinds, 12, 60); // 12 nodes, 6 an hour, 20 minutes: about 24
        Assert.Equal(r.NatRebinds, r.RebindsSurvived);
        Assert.Equal(0, r.RebindsHandshaken);
        Assert.Equal(0, r.RebindsUndecided);
        Assert.Equal(Nodes, r.HandshakesDone); // the first handshakes, nothing more
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.Equal(0, r.ReadingsUnexpected);
        Assert.Contains("rebinds     " + FleetReport.N(r.NatRebinds) + " (NAT), " + FleetReport.N(r.NatRebinds)
            + " survived without a handshake, 0 recovered by a new handshake\n", report);
        int moved = 0;
        for (int i = 0; i < Nodes; i++)
        {
            var node = fleet.Nodes[i]!;
            Assert.True(node.Dtls.Session.UsesConnectionId);
            Assert.Equal(4, node.Dtls.Session.PeerConnectionIdLength); // the gateway's CID in the node's records
            Assert.Equal(0, node.Dtls.Session.OwnConnectionIdLength);  // send-only: plain records to the node
            Assert.Equal(0, node.SessionsLost);
            if (runner.RebindsOf(i) > 0)
            {
                moved++;
                // The gateway's session followed the node to the address the NAT gave it last.
                Assert.True(fleet.Gateway!.PeerOf(fleet.Settings(i).NodeId)!.SameAs(runner.NodeAddress(i)));
                Assert.NotEqual(FleetAddresses.CoapsPort, runner.NodeAddress(i).Port);
            }
        }
        Assert.True(moved >= 6, "most nodes were rebound: " + moved);
        Assert.Equal(Nodes, fleet.Gateway!.SessionCount);
    }

    [Theory]
    [InlineData(NodeSettings.ConnectionIdOff, 4)]          // the node is set not to use one
    [InlineData(NodeSettings.ConnectionIdSendOnly, 0)]     // the gateway issues none
    public void WithoutConnectionIdsNodesNoticeAndHandshakeAgainAndNoReadingIsLost(int node, int gateway)
    {
        var (runner, fleet, report) = Run(Plan(6), new SensorFleetOptions
        {
            ReadingPeriodMs = 30_000,
            NodeConnectionIdLength = node,
            GatewayConnectionIdLength = gateway,
        });
        var r = runner.Recorder;
        Assert.InRange(r.NatRebinds, 12, 60);
        Assert.Equal(0, r.RebindsSurvived);
        Assert.Equal(r.NatRebinds, r.RebindsHandshaken);
        Assert.True(r.HandshakesDone + r.HandshakesResumed > Nodes + r.NatRebinds / 2,
            "a new handshake after (almost) every rebinding: " + r.HandshakesDone + " full, " + r.HandshakesResumed + " resumed");
        // Session resumption (RFC 5077 tickets, on by default) makes those new handshakes abbreviated ones.
        Assert.True(r.HandshakesResumed > r.NatRebinds / 2, "resumed: " + r.HandshakesResumed);
        // CON readings wait in the node's backlog while it finds out (CoAP gives up after MAX_TRANSMIT_WAIT) and
        // reconnects: late, but all there, and once each.
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.True(r.LatencyMax > 45_000, "a reading waited for the node to notice: " + r.LatencyMax);
        Assert.True(fleet.Nodes.Sum(n => n!.SessionsLost) > 0, "the nodes gave up their dead sessions");
        Assert.All(fleet.Nodes, n => Assert.False(n!.Dtls.Session.UsesConnectionId));
        Assert.Contains(" (NAT), 0 survived without a handshake, " + FleetReport.N(r.NatRebinds) + " recovered by a new handshake\n", report);
    }

    [Fact]
    public void NonConfirmableNodesWithoutCidNoticeByTheirConfirmableProbe()
    {
        var plan = new FleetPlan { Nodes = 6, DurationMs = 20 * 60_000L, Link = LinkProfile.Perfect(), StartSpreadMs = 5_000 };
        plan.NatRebinds.Add(new FleetNatRebind(3 * 60_000, 0, 5));
        var (runner, fleet, _) = Run(plan, new SensorFleetOptions
        {
            ReadingPeriodMs = 20_000,
            Confirmable = false,
            NodeConnectionIdLength = NodeSettings.ConnectionIdOff,
        });
        var r = runner.Recorder;
        Assert.Equal(6, r.NatRebinds);
        Assert.Equal(6, r.RebindsHandshaken);
        Assert.Equal(6, r.HandshakesDone);    // the first ones; the new handshake after the rebinding resumes (tickets)
        Assert.Equal(6, r.HandshakesResumed);
        var fault = Assert.Single(r.Faults);
        Assert.Equal(new FleetFault(FleetFaultKind.NatRebind, 3 * 60_000, 0, 0, 5), fault);
        // NON readings sent into the void until a CON one timed out: lost. Everything after the new session: delivered.
        Assert.True(r.ReadingsLost >= 6, "lost while the nodes did not know: " + r.ReadingsLost);
        for (int i = 0; i < 6; i++)
        {
            long[] late = r.SequencesOf(i).Where(s => r.DeliveriesOf(i, s) >= 0).TakeLast(20).ToArray();
            Assert.All(late, s => Assert.Equal(1, r.DeliveriesOf(i, s)));
            Assert.Equal(1, fleet.Nodes[i]!.SessionsLost);
        }
    }

    [Fact]
    public void ScheduledRebindingOfEveryNodeIsMarkedAndSurvived()
    {
        var plan = Plan(0, minutes: 8);
        plan.NatRebinds.Add(new FleetNatRebind(4 * 60_000, 0, Nodes - 1));
        plan.NatRebinds.Add(new FleetNatRebind(5 * 60_000, 2, 3));
        var (runner, _, _) = Run(plan, new SensorFleetOptions { ReadingPeriodMs = 20_000 });
        var r = runner.Recorder;
        Assert.Equal(Nodes + 2, r.NatRebinds);
        Assert.Equal(Nodes + 2, r.RebindsSurvived);
        Assert.Equal(Nodes, r.HandshakesDone);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(new[] { 4 * 60_000L, 5 * 60_000L }, r.Faults.Where(f => f.Kind == FleetFaultKind.NatRebind).Select(f => f.AtMs));
        Assert.All(r.RandomRebindsPerBucket, n => Assert.Equal(0, n)); // scheduled ones are markers, not a series
        Assert.Equal(2, runner.RebindsOf(2));
        Assert.True(FleetAddresses.Node(2, 2).SameAs(runner.NodeAddress(2)));
    }

    [Fact]
    public void SameSeedSameRunWithRebindingsOtherSeedOtherRebindings()
    {
        string Once(int seed)
        {
            var plan = Plan(12, minutes: 6, seed: seed);
            var (runner, _) = SensorFleetTests.Make(plan, new SensorFleetOptions { ReadingPeriodMs = 20_000 });
            runner.Run();
            return FleetReport.Write(runner.Recorder, runner.Network.Stats, new[] { "seeded" })
                + string.Join(",", runner.Recorder.RandomRebindsPerBucket);
        }
        string a = Once(7), b = Once(7), c = Once(8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Contains("rebinds ", a);
    }

    [Fact]
    public void RebindingsWithConnectionIdsTakeTheSameReadingsAndCostNoHandshake()
    {
        // The fault draws its times from a generator of its own: the nodes start and sample as in the plain run, and
        // with Connection IDs every one of those readings arrives with no handshake beyond the first ones.
        var (plain, _) = SensorFleetTests.Make(Plan(0, minutes: 6), new SensorFleetOptions { ReadingPeriodMs = 20_000 });
        plain.Run();
        var (rebound, _) = SensorFleetTests.Make(Plan(12, minutes: 6), new SensorFleetOptions { ReadingPeriodMs = 20_000 });
        rebound.Run();
        Assert.True(rebound.Recorder.NatRebinds > 5);
        Assert.Equal(plain.Recorder.ReadingsSent, rebound.Recorder.ReadingsSent);
        Assert.Equal(plain.Recorder.ReadingsDelivered, rebound.Recorder.ReadingsDelivered);
        Assert.Equal(plain.Recorder.HandshakesDone, rebound.Recorder.HandshakesDone);
        Assert.Equal(plain.Recorder.SequencesOf(3), rebound.Recorder.SequencesOf(3));
    }

    /// <summary>Notifications of one observation, with the time each arrived.</summary>
    private sealed class Notifications : ICoapResponseHandler
    {
        public readonly List<(long At, int Code)> Got = new();
        public int Failures;

        public void OnResponse(int exchange, CoapMessage response, long nowMs) => Got.Add((nowMs, response.Code));

        public void OnFailure(int exchange, int reason, long nowMs) => Failures++;
    }

    [Fact]
    public void TheGatewaysObservationOfANodeFollowsItThroughARebinding()
    {
        // The gateway observes node 0's /readings (RFC 7641); a NAT then gives node 0 a new port. With the CID the
        // session follows, and so must the CoAP layers on both ends: the notifications keep coming, on the same
        // observation, with no new registration and no new handshake.
        var plan = new FleetPlan { Nodes = 2, DurationMs = 4 * 60_000L, Link = LinkProfile.Perfect(), StartSpreadMs = 1_000 };
        plan.NatRebinds.Add(new FleetNatRebind(95_000, 0, 0));
        var (runner, fleet) = SensorFleetTests.Make(plan, new SensorFleetOptions { ReadingPeriodMs = 10_000 });
        var notes = new Notifications();
        runner.Network.At(30_000, () =>
        {
            var gateway = fleet.Gateway!;
            var m = gateway.Coap.CreateMessage();
            m.Type = CoapType.Confirmable;
            m.Code = CoapCode.Get;
            m.AddOptionString(CoapOption.UriPath, "readings");
            m.AddOptionUInt(CoapOption.Observe, 0);
            Assert.True(gateway.Request(m, gateway.PeerOf(fleet.Settings(0).NodeId)!, notes, 30_000) >= 0);
            runner.Network.Poke(gateway);
        });
        // And a request of the gateway's own after the move goes to the node's new address: PUT /config.
        var put = new Notifications();
        runner.Network.At(150_000, () =>
        {
            var gateway = fleet.Gateway!;
            var peer = gateway.PeerOf(fleet.Settings(0).NodeId)!;
            Assert.True(peer.SameAs(runner.NodeAddress(0)), "the gateway knows the node by its new address");
            var m = gateway.Coap.CreateMessage();
            m.Type = CoapType.Confirmable;
            m.Code = CoapCode.Put;
            m.AddOptionString(CoapOption.UriPath, "config");
            byte[] body = System.Text.Encoding.ASCII.GetBytes("period=5000");
            m.AddOptionUInt(CoapOption.ContentFormat, CoapContentFormat.TextPlain);
            m.SetPayload(body, 0, body.Length);
            Assert.True(gateway.Request(m, peer, put, 150_000) >= 0);
            runner.Network.Poke(gateway);
        });
        runner.Run();
        var r = runner.Recorder;
        output.WriteLine(string.Join(" ", notes.Got.Select(n => n.At)));
        Assert.Equal(CoapCode.Changed, Assert.Single(put.Got).Code);
        Assert.Equal(5000, fleet.Nodes[0]!.ReadingPeriodMs);
        Assert.Equal(1, r.NatRebinds);
        Assert.Equal(1, r.RebindsSurvived);
        Assert.Equal(2, r.HandshakesDone);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, notes.Failures);
        Assert.All(notes.Got, n => Assert.Equal(CoapCode.Content, n.Code));
        // A sample every 10 s: about 6 notifications before the rebinding, and one per sample after it to the end of
        // the run (4 min and 2 min of drain; every 5 s from 150 s on).
        Assert.InRange(notes.Got.Count(n => n.At < 95_000), 6, 8);
        Assert.True(notes.Got.Count(n => n.At > 95_000) >= 25, "notifications after the rebinding: " + notes.Got.Count(n => n.At > 95_000));
    }
}
