namespace NfDtls.Simulation;

/// <summary>What the network did, for reports.</summary>
public sealed class NetworkStats
{
    public long Sent;
    public long Delivered;
    public long Dropped;
    public long Duplicated;
    public long Reordered;
    public long BytesSent;
    public long BytesDelivered;
    public long Undeliverable;
}
