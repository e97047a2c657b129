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
}
