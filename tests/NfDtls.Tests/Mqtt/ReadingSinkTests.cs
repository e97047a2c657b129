using System.Text;
using NfDtls.Desktop.Mqtt;
using Xunit;

namespace NfDtls.Tests.Mqtt;

public class ReadingSinkTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 23, 13, 50, 0, 123, TimeSpan.Zero);

    [Fact]
    public void SenmlPayloadIsOneRecordPackWithAbsoluteTime()
    {
        Assert.True(ReadingPayload.TryEncode(new NodeReading("node-001", "temperature", "Cel", 21.5, T, 9), ReadingFormat.SenML, out var p));
        Assert.Equal("[{\"bn\":\"urn:dev:node-001:\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":21.5,\"t\":1795441800.123}]", Encoding.UTF8.GetString(p));
        Assert.True(ReadingPayload.TryEncode(new NodeReading("n", "count", "", 3, T), ReadingFormat.SenML, out p));
        Assert.DoesNotContain("\"u\"", Encoding.UTF8.GetString(p));
    }

    [Fact]
    public void JsonPayloadIsFlatAndCarriesTheSequenceWhenKnown()
    {
        Assert.True(ReadingPayload.TryEncode(new NodeReading("node-001", "humidity", "%RH", 40.25, T, 9), ReadingFormat.Json, out var p));
        Assert.Equal("{\"node\":\"node-001\",\"name\":\"humidity\",\"unit\":\"%RH\",\"value\":40.25,\"time\":\"2026-11-23T13:50:00.123Z\",\"seq\":9}",
            Encoding.UTF8.GetString(p));
        Assert.True(ReadingPayload.TryEncode(new NodeReading("node-001", "humidity", "%RH", 40.25, T), ReadingFormat.Json, out p));
        Assert.DoesNotContain("seq", Encoding.UTF8.GetString(p));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteValuesAreNotEncoded(double v)
    {
        Assert.False(ReadingPayload.TryEncode(new NodeReading("n", "x", "", v, T), ReadingFormat.SenML, out var p));
        Assert.Empty(p);
    }

    [Fact]
    public void TopicIsPerNode() => Assert.Equal("nfdtls/node-7/readings", ReadingPayload.Topic("nfdtls", "node-7"));

    [Theory]
    [InlineData("broker", "broker", 1883)]
    [InlineData("broker:1884", "broker", 1884)]
    [InlineData("127.0.0.1:2000", "127.0.0.1", 2000)]
    [InlineData("[::1]:2001", "::1", 2001)]
    [InlineData("[::1]", "::1", 1883)]
    [InlineData("::1", "::1", 1883)]
    public void BrokerAddressParses(string text, string host, int port)
    {
        var o = MqttForwarderOptions.Parse(text);
        Assert.Equal(host, o.Host);
        Assert.Equal(port, o.Port);
    }

    [Theory]
    [InlineData("broker:0")]
    [InlineData("broker:70000")]
    [InlineData("broker:x")]
    [InlineData(":1883")]
    [InlineData("[::1")]
    [InlineData("")]
    public void BadBrokerAddressesAreRefused(string text) => Assert.Throws<FormatException>(() => MqttForwarderOptions.Parse(text));

    [Fact]
    public void MemorySinkKeepsTheNewestAndPrintsEachReading()
    {
        var printed = new StringWriter();
        var sink = new MemoryReadingSink(printed, capacity: 3);
        for (int i = 0; i < 5; i++)
        {
            sink.Accept(new NodeReading(i % 2 == 0 ? "a" : "b", "temperature", "Cel", i, T.AddSeconds(i)));
        }
        Assert.Equal(5, sink.Total);
        Assert.Equal(new double[] { 2, 3, 4 }, sink.Snapshot().Select(r => r.Value));
        Assert.Equal(new double[] { 2, 4 }, sink.ForNode("a").Select(r => r.Value));
        var lines = printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal("2026-11-23T13:50:01.123Z b temperature = 1 Cel", lines[1].TrimEnd('\r'));
    }

    [Fact]
    public void GatewayAdapterGivesOneReadingPerRecordWithShortNamesAndWallClockTime()
    {
        var sink = new MemoryReadingSink();
        var adapter = new GatewayReadingAdapter(sink, T);
        adapter.Accept(new NfDtls.Desktop.Gateway.GatewayReading("n1", 42, 2_500, "urn:dev:n1:", new[]
        {
            new NfDtls.Desktop.Gateway.GatewayMeasurement("urn:dev:n1:temperature", "Cel", 21.5),
            new NfDtls.Desktop.Gateway.GatewayMeasurement("urn:dev:n1:humidity", "%RH", 40),
            new NfDtls.Desktop.Gateway.GatewayMeasurement("other", "", 1),
        }));
        var got = sink.Snapshot();
        Assert.Equal(new[] { "temperature", "humidity", "other" }, got.Select(r => r.Name));
        Assert.All(got, r => Assert.Equal("n1", r.NodeId));
        Assert.All(got, r => Assert.Equal(42, r.Sequence));
        Assert.All(got, r => Assert.Equal(T.AddMilliseconds(2_500), r.Time));
        Assert.Equal(new[] { "Cel", "%RH", "" }, got.Select(r => r.Unit));
    }

    [Fact]
    public void TeeHandsEveryReadingToEverySink()
    {
        var a = new MemoryReadingSink();
        var b = new MemoryReadingSink();
        new TeeReadingSink(a, b).Accept(new NodeReading("n", "x", "", 1, T));
        Assert.Equal(1, a.Total);
        Assert.Equal(1, b.Total);
    }

    [Fact]
    public async Task ForwarderQueuesWithoutABrokerAndDropsTheOldestWhenFull()
    {
        // Port 1 on loopback: nothing listens, every connect fails fast.
        await using var f = new MqttReadingForwarder(new MqttForwarderOptions
        {
            Port = 1, QueueCapacity = 4, MinRetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        }).Start();
        for (int i = 0; i < 10; i++)
        {
            f.Accept(new NodeReading("n", "x", "", i, T));
        }
        f.Accept(new NodeReading("bad/id", "x", "", 1, T));
        await Task.Delay(200);
        Assert.False(f.IsConnected);
        Assert.Equal(0, f.Published);
        Assert.Equal(1, f.Rejected);
        // At most the queue plus the one reading the loop holds for its next attempt.
        Assert.InRange(f.Pending, 4, 5);
        Assert.Equal(10 - f.Pending, f.Dropped);
        Assert.False(await f.FlushAsync(TimeSpan.FromMilliseconds(100)));
    }
}
