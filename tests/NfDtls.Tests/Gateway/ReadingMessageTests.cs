using System.Text.Json;
using NfDtls.Desktop.Mqtt;
using NfDtls.Uplink;
using Xunit;

namespace NfDtls.Tests.Gateway;

/// <summary>The board's MQTT messages (portable ReadingMessage) against the desktop gateway's (MQTTnet forwarder's ReadingPayload).</summary>
public class ReadingMessageTests
{
    [Theory]
    [InlineData("node-001", "temperature", "Cel", 21.5, 1_767_225_600_123L)]
    [InlineData("lab-7", "humidity", "%RH", 40.25, 1_767_225_601_000L)]
    [InlineData("node-002", "count", "", 3, 1_767_225_659_999L)]
    [InlineData("n", "pressure", "Pa", 101325.75, 1_800_000_000_500L)]
    public void SameTopicAndPayloadAsTheDesktopGateway(string node, string name, string unit, double value, long unixMs)
    {
        var desktop = new NodeReading(node, name, unit, value, DateTimeOffset.FromUnixTimeMilliseconds(unixMs), 7);
        Assert.True(ReadingPayload.TryEncode(desktop, ReadingFormat.SenML, out byte[] expected));

        var buffer = new byte[256];
        int length = new ReadingMessage().Write(node, name, unit, value, true, unixMs / 1000.0, buffer, 0, buffer.Length);
        Assert.True(length > 0);
        string board = System.Text.Encoding.UTF8.GetString(buffer, 0, length);

        Assert.Equal(ReadingPayload.Topic("nfdtls", node), ReadingMessage.Topic("nfdtls", node));
        // Same fields in the same order with the same values (number spelling may differ: 1.7e9 vs 1700000000).
        Assert.Equal(Flatten(System.Text.Encoding.UTF8.GetString(expected)), Flatten(board));
    }

    [Fact]
    public void NoTimeBeforeTheGatewayKnowsTheCalendar()
    {
        var buffer = new byte[256];
        int length = new ReadingMessage().Write("node-001", "t", "Cel", 1, false, 0, buffer, 0, buffer.Length);
        Assert.Equal("[{\"bn\":\"urn:dev:node-001:\",\"n\":\"t\",\"u\":\"Cel\",\"v\":1}]", System.Text.Encoding.UTF8.GetString(buffer, 0, length));
        Assert.Equal(-1, new ReadingMessage().Write("node-001", "t", "Cel", double.PositiveInfinity, false, 0, buffer, 0, buffer.Length));
        Assert.Equal(-1, new ReadingMessage().Write("node-001", "t", "Cel", 1, false, 0, buffer, 0, 20));
    }

    private static string[] Flatten(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().SelectMany(o => o.EnumerateObject())
            .Select(p => p.Name + "=" + (p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture) : p.Value.GetString()))
            .ToArray();
    }
}
