using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Mqtt;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Interop.Tests.Mqtt;

/// <summary>
/// End to end: simulated sensor nodes (the board code) ⇄ DTLS/CoAP ⇄ the gateway, whose accepted readings go through
/// the MQTT forwarder to a real Mosquitto and arrive at a subscriber, one topic per node (issue 6).
/// </summary>
public class GatewayToMosquittoTests
{
    [Fact]
    public async Task ReadingsTheGatewayAcceptsArriveAtASubscriberOnEachNodesTopic()
    {
        using var broker = MosquittoBroker.Start();
        var received = new List<(string Topic, string Payload)>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            lock (received) received.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V311).WithClientId("e2e-sub").Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("nfdtls/+/readings", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await using var forwarder = new MqttReadingForwarder(new MqttForwarderOptions { Port = broker.Port }).Start();
        // What the gateway accepted, one NodeReading per SenML record, kept beside the forwarder.
        var accepted = new MemoryReadingSink();

        var plan = new FleetPlan { Nodes = 3, DurationMs = 3 * 60_000, Link = LinkProfile.Perfect(), Seed = 5 };
        var recorder = new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        var fleet = new SensorFleet(new SensorFleetOptions
        {
            Nodes = plan.Nodes, Seed = plan.Seed, ReadingPeriodMs = 30_000,
            ReadingSink = new TeeReadingSink(accepted, forwarder),
        }, recorder);
        new FleetRunner(plan, fleet, recorder).Run();

        Assert.Equal(3, recorder.HandshakesDone);
        var all = accepted.Snapshot();
        int records = all.Length;
        Assert.True(records >= 3 * 5 * 2, "gateway accepted " + records + " records");
        Assert.True(await forwarder.FlushAsync(TimeSpan.FromSeconds(30)), "pending " + forwarder.Pending);
        Assert.Equal(records, forwarder.Published);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            lock (received) if (received.Count >= records) break;
            await Task.Delay(20);
        }
        (string Topic, string Payload)[] got;
        lock (received) got = received.ToArray();
        Assert.Equal(records, got.Length);

        // Every node's readings on its own topic, in the order the gateway accepted them, values intact.
        foreach (var node in all.Select(r => r.NodeId).Distinct())
        {
            var expected = all.Where(r => r.NodeId == node).ToArray();
            var mine = got.Where(g => g.Topic == "nfdtls/" + node + "/readings")
                .Select(g => JsonDocument.Parse(g.Payload).RootElement[0]).ToArray();
            Assert.Equal(expected.Length, mine.Length);
            for (int i = 0; i < mine.Length; i++)
            {
                Assert.Equal("urn:dev:" + node + ":", mine[i].GetProperty("bn").GetString());
                Assert.Equal(expected[i].Name, mine[i].GetProperty("n").GetString());
                Assert.Equal(expected[i].Value, mine[i].GetProperty("v").GetDouble());
            }
        }
    }
}
