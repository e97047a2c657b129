namespace NfDtls.Desktop.Gateway;

/// <summary>One SenML record of a reading: its name (without the pack's base name), unit and value.</summary>
public sealed record GatewayMeasurement(string Name, string Unit, double Value);

/// <summary>
/// A sample a node pushed, as the gateway accepted it: which node (its credential id), the sample's sequence number
/// (-1 when the pack had none), when it arrived (the gateway's clock, ms), the pack's base name and the measurements.
/// </summary>
public sealed record GatewayReading(string NodeId, long Sequence, long ReceivedAtMs, string BaseName, IReadOnlyList<GatewayMeasurement> Measurements);
