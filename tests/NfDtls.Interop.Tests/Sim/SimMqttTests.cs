using System.Text.Json;
using NfDtls.Desktop.Mqtt;
using NfDtls.Interop.Tests.Mqtt;
using NfDtls.Interop.Tests.Peers;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Interop.Tests.Sim;

/// <summary>
/// End to end: simulated nodes → DTLS/CoAP → the gateway → its MQTT forwarder → a real Mosquitto → mosquitto_sub.
/// Every reading the gateway accepted arrives at the subscriber, on its node's topic, with the value it was sent with.
/// </summary>
public class SimMqttTests
{
    [Fact]
    public async Task ReadingsFromTheSimulatedFleetArriveAtAMosquittoSubscriber()
    {
        using var broker = MosquittoBroker.Start();
        string mosquittoSub = PeerProcess.Which("mosquitto_sub")
            ?? throw new InvalidOperationException("mosquitto_sub is not installed: tests/test.sh installs it (mosquitto-clients)");
        // stdbuf -oL: line-buffered, so the SUBACK and each message show up as they happen.
        using var sub = PeerProcess.Start("stdbuf", new[]
        {
            "-oL", mosquittoSub, "-h", "127.0.0.1", "-p", broker.Port.ToString(), "-t", "nfdtls/+/readings", "-q", "1", "-v", "-d",
        });
        Assert.True(sub.WaitFor("SUBACK", TimeSpan.FromSeconds(10)), sub.Output);

        var memory = new MemoryReadingSink();
        await using var forwarder = new MqttReadingForwarder(new MqttForwarderOptions { Port = broker.Port }).Start();
        var plan = new FleetPlan { Nodes = 4, Seed = 11, DurationMs = 3 * 60_000, Link = LinkProfile.Lossy(0.1) };
        var recorder = new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        var fleet = new SensorFleet(new SensorFleetOptions
        {
            Nodes = plan.Nodes, Seed = plan.Seed, ReadingPeriodMs = 30_000, ReadingSink = new TeeReadingSink(memory, forwarder),
        }, recorder);
        new FleetRunner(plan, fleet, recorder).Run();
        Assert.Equal(recorder.ReadingsSent, recorder.ReadingsDelivered);
        Assert.True(await forwarder.FlushAsync(TimeSpan.FromSeconds(30)), "published " + forwarder.Published);

        NodeReading[] accepted = memory.Snapshot();
        Assert.True(accepted.Length >= 4 * 6 * 2, "four nodes, six samples of two measurements each (at least)");
        string[] lines = Array.Empty<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            lines = sub.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith("nfdtls/", StringComparison.Ordinal)).ToArray();
            if (lines.Length >= accepted.Length)
            {
                break;
            }
            await Task.Delay(50);
        }
        Assert.Equal(accepted.Length, lines.Length);
        foreach (var group in accepted.GroupBy(r => r.NodeId))
        {
            var mine = lines.Where(l => l.StartsWith("nfdtls/" + group.Key + "/readings ", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l[(l.IndexOf(' ') + 1)..]).RootElement[0]).ToArray();
            var expected = group.ToArray();
            Assert.Equal(expected.Length, mine.Length);
            for (int i = 0; i < mine.Length; i++)
            {
                Assert.Equal(expected[i].Name, mine[i].GetProperty("n").GetString());
                Assert.Equal(expected[i].Value, mine[i].GetProperty("v").GetDouble());
            }
        }
        Assert.Equal(4, accepted.Select(r => r.NodeId).Distinct().Count());
    }
}
