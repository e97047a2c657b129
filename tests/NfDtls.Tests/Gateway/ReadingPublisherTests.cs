using NfDtls.Crypto;
using NfDtls.Gateway;
using NfDtls.Tests.Provisioning;
using NfDtls.Uplink;
using Xunit;

namespace NfDtls.Tests.Gateway;

/// <summary>
/// The edge gateway's MQTT uplink logic (portable: the board's M2Mqtt client only connects and publishes) against a
/// broker stand-in that can go away, lose acknowledgements and come back.
/// </summary>
public class ReadingPublisherTests
{
    private sealed class Broker : IBrokerClient
    {
        public bool Up = true;
        public bool Connected;
        public bool AckAutomatically = true;
        public int Connects;
        public int Attempts;
        public readonly List<long> AttemptTimes = new();
        public readonly List<(string Topic, string Payload, int Id)> Received = new();
        public ReadingPublisher? Publisher;
        public long NowMs;
        private int _nextId = 1;

        public bool IsConnected => Connected;

        public bool Connect()
        {
            Attempts++;
            AttemptTimes.Add(NowMs);
            Connected = Up;
            if (Up) Connects++;
            return Up;
        }

        public int Publish(string topic, byte[] payload)
        {
            if (!Connected || !Up)
            {
                Connected = false;
                return -1;
            }
            int id = _nextId++;
            Received.Add((topic, System.Text.Encoding.UTF8.GetString(payload), id));
            if (AckAutomatically) Publisher!.OnPublished(id, true);
            return id;
        }

        public void Disconnect() => Connected = false;

        public void GoAway()
        {
            Up = false;
            Connected = false;
        }
    }

    private static (ReadingPublisher Publisher, Broker Broker) Make(int queue = 16)
    {
        var broker = new Broker();
        var publisher = new ReadingPublisher(new PublisherConfig { QueueCapacity = queue, RetryBaseMs = 1000, RetryMaxMs = 8000, AckTimeoutMs = 5000 },
            broker, new SeededTestRandom(7));
        broker.Publisher = publisher;
        return (publisher, broker);
    }

    /// <summary>What the gateway core hands the uplink: a reading of one node with one measurement.</summary>
    private static AcceptedReading Reading(string node, long seq, double value, int measurements = 1)
    {
        var r = new AcceptedReading(8);
        r.Start(NodeCredential.Psk(node, new byte[] { 1 }, new byte[16]), seq, 0);
        for (int i = 0; i < measurements; i++) r.Add("m" + i, "Cel", value + i);
        return r;
    }

    [Fact]
    public void EachReadingIsPublishedOnceInOrderWithTheDesktopTopic()
    {
        var (p, b) = Make();
        p.SetWallClock(1_767_225_600_000, 0);
        for (int i = 0; i < 5; i++) p.Accept(Reading("node-001", i, 20 + i));
        b.NowMs = 10;
        p.Pump(10);
        Assert.Equal(5, b.Received.Count);
        Assert.All(b.Received, m => Assert.Equal("nfdtls/node-001/readings", m.Topic));
        Assert.Equal("[{\"bn\":\"urn:dev:node-001:\",\"n\":\"m0\",\"u\":\"Cel\",\"v\":22,\"t\":1767225600}]", b.Received[2].Payload);
        Assert.Equal(5, p.Published);
        Assert.Equal(0, p.Pending);
        Assert.Equal(0, p.Dropped);
    }

    [Fact]
    public void WhileTheBrokerIsAwayTheQueueKeepsTheNewestAndCountsWhatItDropped()
    {
        var (p, b) = Make(queue: 8);
        b.GoAway();
        long now = 0;
        for (int i = 0; i < 20; i++)
        {
            p.Accept(Reading("node-001", i, i));
            b.NowMs = now;
            p.Pump(now);
            now += 500;
        }
        Assert.Empty(b.Received);
        Assert.Equal(8, p.Pending);
        Assert.Equal(12, p.Dropped);
        Assert.True(p.ConnectFailures >= 2);
        // The waits between attempts grow (jittered doubling from 1 s): never an attempt every pump.
        Assert.True(b.Attempts < 20 / 2, "attempts: " + b.Attempts);
        var gaps = b.AttemptTimes.Zip(b.AttemptTimes.Skip(1), (x, y) => y - x).ToArray();
        Assert.True(gaps.Last() > gaps.First(), string.Join(",", gaps));

        b.Up = true;
        for (int k = 0; k < 40 && p.Pending > 0; k++)
        {
            now += 500;
            b.NowMs = now;
            p.Pump(now);
        }
        // The eight newest, each once, in order; 12 + 8 = 20: nothing lost without a count.
        Assert.Equal(Enumerable.Range(12, 8).Select(v => "\"v\":" + v + "}").ToArray(),
            b.Received.Select(m => m.Payload[m.Payload.IndexOf("\"v\":", StringComparison.Ordinal)..^1]).ToArray());
        Assert.Equal(8, p.Published);
        Assert.Equal(20, p.Published + p.Dropped);
    }

    [Fact]
    public void AMessageWhosePubackIsLostIsPublishedAgainAfterReconnecting()
    {
        var (p, b) = Make();
        b.AckAutomatically = false;
        p.Accept(Reading("node-001", 1, 1));
        p.Pump(0);
        Assert.Single(b.Received);
        Assert.Equal(1, p.Pending);
        p.Pump(4000); // still waiting for the PUBACK
        Assert.Single(b.Received);
        p.Pump(5000); // waited AckTimeoutMs: drop the connection, publish again
        p.Pump(5000);
        Assert.Equal(2, b.Received.Count);
        Assert.Equal(b.Received[0].Payload, b.Received[1].Payload);
        p.OnPublished(b.Received[1].Id, true);
        p.Pump(5001);
        Assert.Equal(1, p.Published);
        Assert.Equal(0, p.Pending);
        Assert.Equal(1, p.Reconnects);
    }

    [Fact]
    public void ReadingsThatCannotBeAMessageAreCountedNotQueued()
    {
        var (p, b) = Make();
        p.Accept(Reading("bad/id", 1, 1, measurements: 2)); // '/' would change the topic (MQTT 3.1.1 §4.7)
        p.Accept(Reading("node-001", 2, double.NaN));
        p.Pump(0);
        Assert.Empty(b.Received);
        Assert.Equal(3, p.Rejected);
    }
}
