using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Sim;

/// <summary>The real thing: SensorNode (board code) ⇄ DTLS ⇄ CoAP ⇄ SensorGateway on the virtual network.</summary>
public class SensorFleetTests(ITestOutputHelper output)
{
    internal static (FleetRunner Runner, SensorFleet Fleet) Make(FleetPlan plan, SensorFleetOptions options)
    {
        options.Nodes = plan.Nodes;
        options.Seed = plan.Seed;
        var recorder = new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        var fleet = new SensorFleet(options, recorder);
        var runner = new FleetRunner(plan, fleet, recorder);
        return (runner, fleet);
    }

    private string Report(FleetRunner r)
    {
        string report = FleetReport.Write(r.Recorder, r.Network.Stats, new[] { "test" });
        output.WriteLine(report);
        return report;
    }

    [Fact]
    public void PerfectNetworkEveryReadingExactlyOnce()
    {
        var (runner, fleet) = Make(new FleetPlan { Nodes = 10, DurationMs = 5 * 60_000, Link = LinkProfile.Perfect() },
            new SensorFleetOptions { ReadingPeriodMs = 10_000 });
        runner.Run();
        Report(runner);
        var r = runner.Recorder;
        Assert.Equal(10, r.HandshakesDone);
        Assert.Equal(0, r.HandshakesFailed);
        Assert.True(r.ReadingsSent >= 10 * 28);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.Equal(0, r.Retransmissions);
    }

    private static FleetPlan Plan(int nodes, int minutes, LinkProfile link, int seed = 1) =>
        new() { Nodes = nodes, DurationMs = minutes * 60_000L, Link = link, Seed = seed };

    private (FleetRunner Runner, SensorFleet Fleet) Run(FleetPlan plan, SensorFleetOptions? options = null)
    {
        var made = Make(plan, options ?? new SensorFleetOptions { ReadingPeriodMs = 30_000 });
        made.Runner.Run();
        Report(made.Runner);
        return made;
    }

    [Fact]
    public void SameSeedSameReportDifferentSeedDifferentReport()
    {
        string Once(int seed)
        {
            var (runner, _) = Make(Plan(15, 10, LinkProfile.Lossy(0.1), seed), new SensorFleetOptions { ReadingPeriodMs = 30_000 });
            runner.Run();
            return FleetReport.Write(runner.Recorder, runner.Network.Stats, new[] { "seeded" });
        }
        string a = Once(3), b = Once(3), c = Once(4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TwentyPercentLossWithConEveryReadingArrivesNoneTwice()
    {
        var (runner, fleet) = Run(Plan(20, 15, new LinkProfile { Loss = 0.2, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 40, JitterMs = 20 }));
        var r = runner.Recorder;
        Assert.True(r.ReadingsSent >= 20 * 29);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.True(r.Retransmissions > 50, "20% loss costs retransmissions");
        Assert.True(runner.Network.Stats.Dropped > 100);
        // Resends that did reach the gateway twice were caught there, not at the application.
        Assert.True(fleet.Gateway!.ReadingsDuplicate + fleet.Gateway.Coap.DuplicatesReceived > 0);
    }

    [Fact]
    public void NonConfirmableLossShowsInTheReport()
    {
        var (runner, _) = Run(Plan(20, 15, new LinkProfile { Loss = 0.2, LatencyMs = 40 }),
            new SensorFleetOptions { ReadingPeriodMs = 30_000, Confirmable = false });
        var r = runner.Recorder;
        double lost = (double)r.ReadingsLost / r.ReadingsSent;
        Assert.InRange(lost, 0.1, 0.5);
        Assert.Equal(0, r.ReadingsDuplicated);
        string report = FleetReport.Write(r, runner.Network.Stats, new[] { "non" });
        Assert.Contains("lost " + FleetReport.N(r.ReadingsLost) + " (", report);
    }

    [Fact]
    public void RebootedNodeHandshakesAgainAndCarriesOn()
    {
        var plan = Plan(6, 10, LinkProfile.Lossy(0.05));
        plan.Reboots.Add(new FleetReboot(4 * 60_000, 2, 3));
        var (runner, fleet) = Run(plan);
        var r = runner.Recorder;
        Assert.Equal(2, r.Reboots);
        Assert.Equal(8, r.HandshakesDone); // six first handshakes and two full ones after the reboot (RAM lost)
        Assert.Equal(1, fleet.Nodes[2]!.HandshakesCompleted); // the new instance's own handshake
        // After the reboot node 2 numbers its samples from 1,000,000; they arrive.
        long[] after = r.SequencesOf(2).Where(s => s >= 1_000_000).ToArray();
        Assert.True(after.Length >= 10);
        Assert.All(after, s => Assert.Equal(1, r.DeliveriesOf(2, s)));
        // Samples taken before the reboot and not yet acknowledged are lost with the node's RAM: at most a few.
        Assert.True(r.ReadingsLost <= 2);
    }

    /// <summary>Full handshakes completed at or after <paramref name="fromMs"/>, from the recorder's time series.</summary>
    private static long FullHandshakesFrom(FleetRecorder r, long fromMs) =>
        r.HandshakesPerBucket.Skip((int)(fromMs / r.BucketMs)).Sum();

    [Fact]
    public void FleetSurvivesAGatewayRestartByResumingItsSessions()
    {
        var plan = Plan(10, 15, LinkProfile.Lossy(0.05));
        plan.GatewayRestarts.Add(new FleetGatewayRestart(5 * 60_000, 20_000));
        var (runner, fleet) = Run(plan);
        var r = runner.Recorder;
        Assert.Equal(1, r.GatewayRestarts);
        // The restarted gateway loaded the old one's ticket keys: every node came back with its ticket (RFC 5077).
        Assert.Equal(10, r.HandshakesDone);
        Assert.Equal(0, FullHandshakesFrom(r, 5 * 60_000));
        Assert.True(r.HandshakesResumed >= 10, "every node resumed with the new gateway");
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.True(fleet.Gateway!.ReadingsAccepted > 0, "the new gateway took readings");
        Assert.True(runner.Network.Stats.Undeliverable > 0);
        Assert.Contains("handshakes  full 10, resumed " + FleetReport.N(r.HandshakesResumed) + ", failed ", Report(runner));
    }

    [Fact]
    public void EveryKindOfNodeResumesAfterAGatewayRestart()
    {
        // psk, rpk and x509 nodes: each one's ticket room is sized to what the gateway seals for it (its identity, or
        // its P-256 key), so a ticket that did not fit would show here as a full handshake after the restart.
        var plan = Plan(9, 12, LinkProfile.Lossy(0.02));
        plan.GatewayRestarts.Add(new FleetGatewayRestart(5 * 60_000, 20_000));
        var (runner, fleet) = Run(plan, new SensorFleetOptions { ReadingPeriodMs = 30_000, Security = new[] { "psk", "rpk", "x509" } });
        var r = runner.Recorder;
        Assert.Equal(9, r.HandshakesDone);
        Assert.Equal(0, FullHandshakesFrom(r, 5 * 60_000));
        Assert.True(r.HandshakesResumed >= 9);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(fleet.Nodes[i]!.Dtls.Session.WasResumed, fleet.Settings(i).Security + " node resumed");
        }
    }

    [Fact]
    public void GatewayRestartWithNewTicketKeysCostsEveryNodeAFullHandshake()
    {
        var plan = Plan(10, 15, LinkProfile.Lossy(0.05));
        plan.GatewayRestarts.Add(new FleetGatewayRestart(5 * 60_000, 20_000));
        var (runner, _) = Run(plan, new SensorFleetOptions { ReadingPeriodMs = 30_000, GatewayRestartKeepsTicketKeys = false });
        var r = runner.Recorder;
        Assert.Equal(0, r.HandshakesResumed);
        Assert.True(FullHandshakesFrom(r, 5 * 60_000) >= 10, "every node had to handshake in full with the new gateway");
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
    }

    [Fact]
    public void PartitionedNodesResumeWhenTheNetworkComesBack()
    {
        var plan = Plan(6, 15, LinkProfile.Lossy(0.02));
        plan.Partitions.Add(new FleetPartition(3 * 60_000, 4 * 60_000, 0, 2));
        var (runner, _) = Run(plan);
        var r = runner.Recorder;
        Assert.Equal(6, r.HandshakesDone);
        Assert.True(r.HandshakesResumed >= 3, "the three cut-off nodes resumed");
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
    }

    [Fact]
    public void RebootedNodesDoAFullHandshakeUnlessTheBoardKeepsTheSession()
    {
        FleetRecorder Once(bool keep)
        {
            var plan = Plan(6, 10, LinkProfile.Lossy(0.05));
            plan.Reboots.Add(new FleetReboot(4 * 60_000, 2, 3));
            return Run(plan, new SensorFleetOptions { ReadingPeriodMs = 30_000, RebootKeepsSession = keep }).Runner.Recorder;
        }
        var lost = Once(false);
        Assert.Equal(8, lost.HandshakesDone); // RAM lost: six first handshakes and two full ones after the reboot
        Assert.Equal(0, lost.HandshakesResumed);
        var kept = Once(true);
        Assert.Equal(6, kept.HandshakesDone);
        Assert.Equal(2, kept.HandshakesResumed);
    }

    [Fact]
    public void SameSeedSameReportWithFaultsAndResumption()
    {
        string Once()
        {
            var plan = Plan(12, 12, LinkProfile.Lossy(0.1), seed: 5);
            plan.GatewayRestarts.Add(new FleetGatewayRestart(4 * 60_000, 15_000));
            plan.Partitions.Add(new FleetPartition(6 * 60_000, 3 * 60_000, 0, 3));
            plan.Reboots.Add(new FleetReboot(8 * 60_000, 5, 6));
            var (runner, _) = Make(plan, new SensorFleetOptions { ReadingPeriodMs = 30_000 });
            runner.Run();
            Assert.True(runner.Recorder.HandshakesResumed > 0);
            return FleetReport.Write(runner.Recorder, runner.Network.Stats, new[] { "seeded" });
        }
        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void PartitionedNodesCatchUpWhenItHeals()
    {
        var plan = Plan(6, 15, LinkProfile.Lossy(0.02));
        plan.Partitions.Add(new FleetPartition(3 * 60_000, 4 * 60_000, 0, 2));
        var (runner, _) = Run(plan);
        var r = runner.Recorder;
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.True(r.LatencyMax >= 3 * 60_000, "samples waited out the partition in the backlog");
    }

    [Fact]
    public void UnknownIdentityIsRefusedAndReported()
    {
        // The gateway hides the unknown identity (a decoy key, RFC 4279 §2) and drops the Finished that then cannot
        // authenticate (RFC 6347 §4.1.2.7), so the intruder fails as a wrong key does: by its own timeout (~7 min).
        var (runner, fleet) = Run(Plan(5, 8, LinkProfile.Perfect()), new SensorFleetOptions { ReadingPeriodMs = 30_000, UnknownNodes = 1 });
        var r = runner.Recorder;
        Assert.True(r.RefusedHandshakes >= 1);
        Assert.Equal(0, r.DeliveredPerNode[4]);
        Assert.True(r.HandshakesFailed >= 1);
        Assert.Equal(4, r.DeliveredPerNode.Count(d => d > 0));
        string report = FleetReport.Write(r, runner.Network.Stats, new[] { "intruder" });
        Assert.Contains("refused (unknown identity) " + FleetReport.N(r.RefusedHandshakes), report);
        Assert.Contains("intruder-node-005 x", report);
        Assert.Equal(r.RefusedHandshakes, fleet.Gateway!.RefusedHandshakes);
    }

    [Fact]
    public void SameFleetRunsOnLoopbackUdp()
    {
        var plan = new FleetPlan { Nodes = 5, Seed = 2, DurationMs = 2_500, DrainMs = 1_500, StartSpreadMs = 200 };
        plan.Reboots.Add(new FleetReboot(1_200, 1, 1));
        var recorder = new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        var fleet = new SensorFleet(new SensorFleetOptions { Nodes = 5, Seed = 2, ReadingPeriodMs = 250 }, recorder);
        using (var runner = new UdpFleetRunner(plan, fleet, recorder))
        {
            runner.Run();
            output.WriteLine(FleetReport.Write(recorder, runner.Stats, new[] { "udp" }));
        }
        Assert.True(recorder.HandshakesDone >= 6, "five nodes and the rebooted one again");
        Assert.True(recorder.ReadingsSent >= 5 * 6);
        // All of them, but for at most the one the rebooted node had in flight when it lost power.
        Assert.InRange(recorder.ReadingsDelivered, recorder.ReadingsSent - 1, recorder.ReadingsSent);
        Assert.Equal(0, recorder.ReadingsDuplicated);
        Assert.Contains(recorder.SequencesOf(1), s => s >= 1_000_000);
    }

    [Fact]
    public void RawPublicKeyNodesAuthenticateWithEcdheAndDeliver()
    {
        var (runner, fleet) = Run(Plan(4, 5, LinkProfile.Lossy(0.05)),
            new SensorFleetOptions { ReadingPeriodMs = 30_000, Security = new[] { "psk", "rpk" } });
        var r = runner.Recorder;
        Assert.Equal("rpk", fleet.Settings(1).Security);
        Assert.Null(fleet.Settings(1).PskKey);
        Assert.Equal(NfDtls.Dtls.CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, fleet.Nodes[1]!.Dtls.Session.CipherSuite);
        Assert.Equal(NfDtls.Dtls.CipherSuite.TlsPskWithAes128Ccm8, fleet.Nodes[0]!.Dtls.Session.CipherSuite);
        Assert.True(r.HandshakesDone >= 4);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        // The gateway named each rpk node by the key it proved: every node's readings were credited to it.
        Assert.All(r.DeliveredPerNode, d => Assert.True(d >= 9));
    }

    [Fact]
    public void StormyDayEverythingAtOnceNoReadingTwice()
    {
        var plan = Plan(30, 20, new LinkProfile { Loss = 0.15, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 80, JitterMs = 40 }, seed: 21);
        plan.Partitions.Add(new FleetPartition(5 * 60_000, 3 * 60_000, 0, 9));
        plan.Reboots.Add(new FleetReboot(8 * 60_000, 10, 14));
        plan.GatewayRestarts.Add(new FleetGatewayRestart(12 * 60_000, 30_000));
        plan.NatRebindsPerNodeHour = 3;
        var (runner, _) = Run(plan, new SensorFleetOptions { ReadingPeriodMs = 30_000, UnknownNodes = 1, Security = new[] { "psk", "psk", "rpk" } });
        var r = runner.Recorder;
        long intruder = r.SequencesOf(29).Length;
        Assert.Equal(0, r.DeliveredPerNode[29]);
        Assert.True(r.RefusedHandshakes > 0);
        Assert.Equal(0, r.ReadingsDuplicated);
        // Everything else arrives, but for at most one sample per rebooted node that was in flight when it lost power.
        Assert.InRange(r.ReadingsDelivered, r.ReadingsSent - intruder - 5, r.ReadingsSent - intruder);
        Assert.Equal(1, r.DeliveredPerNode.Count(d => d == 0));
        Assert.True(r.NatRebinds > 10 && r.RebindsSurvived > r.NatRebinds / 2, r.RebindsSurvived + " of " + r.NatRebinds + " rebindings survived");
    }
}
