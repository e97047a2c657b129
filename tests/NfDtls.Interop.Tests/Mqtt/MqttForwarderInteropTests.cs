using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using NfDtls.Desktop.Mqtt;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Mqtt;

/// <summary>The gateway's MQTT forwarder against a real Mosquitto, read back by mosquitto_sub and by an MQTTnet subscriber.</summary>
public class MqttForwarderInteropTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static NodeReading Reading(string node, int i) =>
        new(node, i % 2 == 0 ? "temperature" : "humidity", i % 2 == 0 ? "Cel" : "%RH", 20.25 + i, T0.AddSeconds(i), i);

    [Fact]
    public async Task ReadingsArriveAtMosquittoSubAsSenmlOnTheirNodesTopic()
    {
        using var broker = MosquittoBroker.Start();
        // stdbuf -oL: mosquitto_sub's stdout is block-buffered into a pipe, and the test waits for its SUBACK line.
        string mosquittoSub = PeerProcess.Which("mosquitto_sub")
            ?? throw new InvalidOperationException("mosquitto_sub is not installed: tests/test.sh installs it (mosquitto-clients)");
        using var sub = PeerProcess.Start("stdbuf", new[]
        {
            "-oL", mosquittoSub, "-h", "127.0.0.1", "-p", broker.Port.ToString(), "-t", "nfdtls/+/readings", "-q", "1", "-v", "-d", "-C", "6", "-W", "30",
        });
        Assert.True(sub.WaitFor("SUBACK", TimeSpan.FromSeconds(10)), sub.Output);

        await using var forwarder = new MqttReadingForwarder(new MqttForwarderOptions { Port = broker.Port }).Start();
        var sent = new List<NodeReading>();
        for (int i = 0; i < 3; i++)
        {
            foreach (var node in new[] { "node-001", "node-002" })
            {
                var r = Reading(node, i);
                sent.Add(r);
                forwarder.Accept(r);
            }
        }
        Assert.True(await forwarder.FlushAsync(TimeSpan.FromSeconds(20)), "published " + forwarder.Published);
        Assert.True(sub.WaitForExit(TimeSpan.FromSeconds(30)), sub.Output);

        var lines = sub.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("nfdtls/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(6, lines.Length);
        foreach (var node in new[] { "node-001", "node-002" })
        {
            var mine = lines.Where(l => l.StartsWith("nfdtls/" + node + "/readings ", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l[(l.IndexOf(' ') + 1)..]).RootElement[0]).ToArray();
            var expected = sent.Where(r => r.NodeId == node).ToArray();
            Assert.Equal(expected.Length, mine.Length);
            for (int i = 0; i < mine.Length; i++)
            {
                // RFC 8428: base name + name, unit, value, absolute time in seconds.
                Assert.Equal("urn:dev:" + node + ":", mine[i].GetProperty("bn").GetString());
                Assert.Equal(expected[i].Name, mine[i].GetProperty("n").GetString());
                Assert.Equal(expected[i].Unit, mine[i].GetProperty("u").GetString());
                Assert.Equal(expected[i].Value, mine[i].GetProperty("v").GetDouble());
                Assert.Equal(expected[i].Time.ToUnixTimeSeconds(), mine[i].GetProperty("t").GetDouble());
            }
        }
        Assert.Equal(6, forwarder.Published);
        Assert.Equal(0, forwarder.Dropped);
    }

    private static async Task<IMqttClient> Subscriber(int port, string clientId, bool cleanSession, List<(string Topic, string Payload)> received)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (received) received.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311).WithCleanSession(cleanSession).Build();
        await client.ConnectAsync(options, CancellationToken.None);
        return client;
    }

    private static async Task Subscribe(IMqttClient client)
    {
        var sub = new MqttClientSubscribeOptionsBuilder().WithTopicFilter("nfdtls/+/readings", MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await client.SubscribeAsync(sub, CancellationToken.None);
    }

    private static async Task<bool> WaitCount(List<(string, string)> received, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (received) if (received.Count >= count) return true;
            await Task.Delay(20);
        }
        return false;
    }

    [Fact]
    public async Task JsonFormatCarriesNodeNameUnitValueTimeAndSequence()
    {
        using var broker = MosquittoBroker.Start();
        var received = new List<(string Topic, string Payload)>();
        using var sub = await Subscriber(broker.Port, "json-sub", true, received);
        await Subscribe(sub);
        await using var forwarder = new MqttReadingForwarder(new MqttForwarderOptions { Port = broker.Port, Format = ReadingFormat.Json, TopicPrefix = "site7" }).Start();
        // Not a topic level, not a JSON number: refused at the door, never published.
        forwarder.Accept(new NodeReading("a/b", "t", "Cel", 1, T0));
        forwarder.Accept(new NodeReading("node-x", "t", "Cel", double.NaN, T0));
        forwarder.Accept(Reading("node-009", 4));
        Assert.True(await forwarder.FlushAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, forwarder.Rejected);
        // The default prefix filter sees nothing: the prefix moved the topic.
        await Task.Delay(200);
        lock (received) Assert.Empty(received);

        var sub2Received = new List<(string Topic, string Payload)>();
        using var sub2 = await Subscriber(broker.Port, "json-sub2", true, sub2Received);
        await sub2.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("site7/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        forwarder.Accept(Reading("node-009", 5));
        Assert.True(await WaitCount(sub2Received, 1, TimeSpan.FromSeconds(20)));
        var (topic, payload) = sub2Received[0];
        Assert.Equal("site7/node-009/readings", topic);
        var o = JsonDocument.Parse(payload).RootElement;
        Assert.Equal("node-009", o.GetProperty("node").GetString());
        Assert.Equal("humidity", o.GetProperty("name").GetString());
        Assert.Equal("%RH", o.GetProperty("unit").GetString());
        Assert.Equal(25.25, o.GetProperty("value").GetDouble());
        Assert.Equal("2026-11-23T12:00:05.000Z", o.GetProperty("time").GetString());
        Assert.Equal(5, o.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task ReadingsQueuedWhileTheBrokerIsDownArriveAfterItComesBack()
    {
        string persist = Path.Combine(Path.GetTempPath(), "nfdtls-mosq-persist-" + Guid.NewGuid().ToString("N"));
        try
        {
            int port;
            var received = new List<(string Topic, string Payload)>();
            using (var broker = MosquittoBroker.Start(0, persist))
            {
                port = broker.Port;
                // A persistent subscriber session (MQTT 3.1.1 §3.1.2.4): the broker queues QoS 1 messages for it while it is away.
                using (var sub = await Subscriber(port, "persistent-sub", false, received))
                {
                    await Subscribe(sub);
                    await sub.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
                }
                broker.Stop();
            }
            await using var fwd = new MqttReadingForwarder(new MqttForwarderOptions
            {
                Port = port, MinRetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(400),
            }).Start();
            for (int i = 0; i < 3; i++) fwd.Accept(Reading("node-005", i));
            await Task.Delay(500);
            Assert.False(fwd.IsConnected);
            Assert.Equal(3, fwd.Pending);
            Assert.Equal(0, fwd.Published);

            using (var broker = MosquittoBroker.Start(port, persist))
            {
                Assert.True(await fwd.FlushAsync(TimeSpan.FromSeconds(20)), "still pending " + fwd.Pending);
                Assert.Equal(3, fwd.Published);

                broker.Stop();
                for (int i = 3; i < 6; i++) fwd.Accept(Reading("node-005", i));
                await Task.Delay(300);
                Assert.Equal(3, fwd.Pending);
            }
            using (var broker = MosquittoBroker.Start(port, persist))
            {
                Assert.True(await fwd.FlushAsync(TimeSpan.FromSeconds(20)), "still pending " + fwd.Pending);
                Assert.True(fwd.Reconnects >= 1);
                using var sub = await Subscriber(port, "persistent-sub", false, received);
                Assert.True(await WaitCount(received, 6, TimeSpan.FromSeconds(20)), "received " + received.Count);
            }
            var values = received.Select(r => JsonDocument.Parse(r.Payload).RootElement[0].GetProperty("v").GetDouble()).ToArray();
            Assert.Equal(Enumerable.Range(0, 6).Select(i => 20.25 + i), values);
            Assert.All(received, r => Assert.Equal("nfdtls/node-005/readings", r.Topic));
        }
        finally
        {
            if (Directory.Exists(persist)) Directory.Delete(persist, true);
        }
    }
}
