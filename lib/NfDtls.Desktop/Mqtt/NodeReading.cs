namespace NfDtls.Desktop.Mqtt;

/// <summary>
/// One reading the gateway accepted from a node: which node, what (SenML name and unit, RFC 8428 §4.5), the value and
/// when it was taken. <see cref="Sequence"/> is the node's reading number when it sent one (-1 otherwise), so consumers
/// downstream can de-duplicate too.
/// </summary>
public sealed record NodeReading(string NodeId, string Name, string Unit, double Value, DateTimeOffset Time, long Sequence = -1);
