using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Tests.Sim;

/// <summary>The fleet harness itself, driven by the trivial plaintext <see cref="TestFleet"/>.</summary>
public class FleetRunnerTests
{
    private static (FleetRunner Runner, TestFleet Fleet) Make(FleetPlan plan, bool confirmable = true, long periodMs = 5_000)
    {
        var fleet = new TestFleet(confirmable, periodMs);
        var runner = new FleetRunner(plan, fleet);
        fleet.Recorder = runner.Recorder;
        return (runner, fleet);
    }

    private static string Report(FleetRunner r) => FleetReport.Write(r.Recorder, r.Network.Stats, new[] { "test" });

    [Fact]
    public void SameSeedSameReportDifferentSeedDifferentReport()
    {
        string Run(int seed)
        {
            var (runner, _) = Make(new FleetPlan { Nodes = 20, Seed = seed, DurationMs = 60_000, Link = LinkProfile.Lossy(0.2) });
            runner.Run();
            return Report(runner);
        }
        string a = Run(7), b = Run(7), c = Run(8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void PerfectNetworkDeliversEveryReadingExactlyOnce()
    {
        var (runner, _) = Make(new FleetPlan { Nodes = 30, DurationMs = 60_000, Link = LinkProfile.Perfect() });
        runner.Run();
        var r = runner.Recorder;
        Assert.True(r.ReadingsSent >= 30 * 10, "each node takes a reading every 5 s for 50+ s");
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(0, r.ReadingsDuplicated);
        Assert.Equal(0, r.Retransmissions);
        Assert.Equal(1, r.LatencyPercentile(50)); // the perfect link takes 1 ms one way
    }

    [Fact]
    public void ConfirmableOverLossyLinkDeliversAllAndCountsDuplicates()
    {
        var (runner, _) = Make(new FleetPlan { Nodes = 20, DurationMs = 120_000, Link = new LinkProfile { Loss = 0.2, LatencyMs = 20 } });
        runner.Run();
        var r = runner.Recorder;
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.True(r.Retransmissions > 0);
        // A lost echo makes the node resend a reading the gateway already has: the harness sees the second copy.
        Assert.True(r.ReadingsDuplicated > 0);
        Assert.True(r.LatencyPercentile(99) >= 1000, "some readings needed a resend one second later");
    }

    [Fact]
    public void NonConfirmableLossShowsInTheReport()
    {
        var (runner, _) = Make(new FleetPlan { Nodes = 20, DurationMs = 120_000, Link = new LinkProfile { Loss = 0.2, LatencyMs = 20 } }, confirmable: false);
        runner.Run();
        var r = runner.Recorder;
        double lostShare = (double)r.ReadingsLost / r.ReadingsSent;
        Assert.InRange(lostShare, 0.12, 0.28);
        Assert.Contains("lost " + FleetReport.N(r.ReadingsLost), Report(runner));
    }

    [Fact]
    public void PartitionHoldsReadingsBackUntilItHeals()
    {
        var plan = new FleetPlan { Nodes = 4, DurationMs = 100_000, StartSpreadMs = 0 };
        plan.Partitions.Add(new FleetPartition(20_000, 30_000, 0, 1));
        var (runner, _) = Make(plan);
        runner.RunUntil(49_000);
        long partitioned = runner.Recorder.DeliveredPerNode[0];
        long free = runner.Recorder.DeliveredPerNode[2];
        Assert.True(free > partitioned + 4, "nodes 0-1 deliver nothing while cut off");
        runner.Run();
        Assert.Equal(runner.Recorder.ReadingsSent, runner.Recorder.ReadingsDelivered);
        Assert.True(runner.Recorder.LatencyMax >= 25_000);
    }

    [Fact]
    public void RebootMakesAFreshNodeThatCarriesOn()
    {
        var plan = new FleetPlan { Nodes = 3, DurationMs = 60_000, StartSpreadMs = 0 };
        plan.Reboots.Add(new FleetReboot(30_000, 1, 1));
        var (runner, fleet) = Make(plan);
        runner.Run();
        Assert.Contains((1, 1), fleet.NodesCreated);
        Assert.DoesNotContain((0, 1), fleet.NodesCreated);
        Assert.Equal(1, runner.Recorder.Reboots);
        long[] seqs = runner.Recorder.SequencesOf(1);
        Assert.Contains(seqs, s => s >= 1_000_000);
        Assert.Equal(runner.Recorder.ReadingsSent, runner.Recorder.ReadingsDelivered);
    }

    [Fact]
    public void GatewayRestartLosesTrafficWhileDownThenRecovers()
    {
        var plan = new FleetPlan { Nodes = 5, DurationMs = 60_000 };
        plan.GatewayRestarts.Add(new FleetGatewayRestart(20_000, 10_000));
        var (runner, fleet) = Make(plan);
        runner.Run();
        Assert.Equal(2, fleet.GatewaysCreated);
        Assert.True(runner.Network.Stats.Undeliverable > 0);
        Assert.Equal(runner.Recorder.ReadingsSent, runner.Recorder.ReadingsDelivered);
        Assert.Contains("gateway restarts 1", Report(runner));
    }

    [Fact]
    public void PerNodeLinkProfileApplies()
    {
        var plan = new FleetPlan { Nodes = 4, DurationMs = 60_000, LinkForNode = i => i == 3 ? new LinkProfile { Loss = 1 } : null };
        var (runner, _) = Make(plan, confirmable: false);
        runner.Run();
        Assert.Equal(0, runner.Recorder.DeliveredPerNode[3]);
        Assert.True(runner.Recorder.DeliveredPerNode[0] > 0);
        Assert.Contains("1 delivered nothing", Report(runner));
    }

    [Fact]
    public void PlotIsAPng()
    {
        var (runner, _) = Make(new FleetPlan { Nodes = 5, DurationMs = 60_000, Link = LinkProfile.Lossy(0.1) });
        runner.Run();
        string path = Path.Combine(Path.GetTempPath(), "fleet-plot-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            FleetPlot.Save(runner.Recorder, path, "test");
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class UdpFleetRunnerTests
{
    [Fact]
    public void SameFleetRunsOverLoopbackSockets()
    {
        var fleet = new TestFleet(true, 200);
        var plan = new FleetPlan { Nodes = 4, DurationMs = 1_500, DrainMs = 1_000, StartSpreadMs = 100 };
        plan.Reboots.Add(new FleetReboot(700, 2, 2));
        using var runner = new UdpFleetRunner(plan, fleet);
        fleet.Recorder = runner.Recorder;
        runner.Run();
        var r = runner.Recorder;
        Assert.True(r.ReadingsSent >= 4 * 5, "four nodes, a reading every 200 ms for 1.4+ s");
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        Assert.Equal(1, r.Reboots);
        Assert.Contains((2, 1), fleet.NodesCreated);
        Assert.True(runner.Stats.BytesSent >= r.ReadingsDelivered * 12 * 2);
    }
}
