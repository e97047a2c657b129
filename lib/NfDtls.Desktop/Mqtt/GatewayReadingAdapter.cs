using NfDtls.Desktop.Gateway;

namespace NfDtls.Desktop.Mqtt;

/// <summary>
/// Hands the gateway's accepted samples (<see cref="SensorGateway.ReadingAccepted"/>) to an <see cref="IReadingSink"/>,
/// one <see cref="NodeReading"/> per SenML record: <c>gateway.ReadingAccepted = new GatewayReadingAdapter(sink, start).Accept;</c>.
/// The gateway's clock is milliseconds from an arbitrary zero (virtual in the simulator), so the caller says which
/// wall-clock instant that zero is.
/// </summary>
public sealed class GatewayReadingAdapter(IReadingSink sink, DateTimeOffset clockZero)
{
    public void Accept(GatewayReading reading)
    {
        var time = clockZero.AddMilliseconds(reading.ReceivedAtMs);
        foreach (var m in reading.Measurements)
        {
            sink.Accept(new NodeReading(reading.NodeId, ShortName(reading.NodeId, m.Name), m.Unit, m.Value, time, reading.Sequence));
        }
    }

    /// <summary>The record's name without the node's own base name (RFC 8428 §4.5.1: bn + n), e.g. "temperature".</summary>
    public static string ShortName(string nodeId, string fullName)
    {
        string bn = ReadingPayload.BaseName(nodeId);
        return fullName.StartsWith(bn, StringComparison.Ordinal) && fullName.Length > bn.Length ? fullName[bn.Length..] : fullName;
    }
}
