namespace NfDtls.Simulation;

/// <summary>How a one-way link treats datagrams. Probabilities in [0, 1]; times in milliseconds.</summary>
public sealed class LinkProfile
{
    public double Loss { get; set; }
    public double Duplicate { get; set; }
    /// <summary>Chance a datagram is held back by an extra random delay of up to <see cref="ReorderDelayMs"/>, so later ones overtake it.</summary>
    public double Reorder { get; set; }
    public int ReorderDelayMs { get; set; } = 200;
    public int LatencyMs { get; set; } = 10;
    public int JitterMs { get; set; }
    /// <summary>Datagrams larger than this are dropped (path MTU); 0 = unlimited.</summary>
    public int Mtu { get; set; }
    /// <summary>While true, nothing crosses (a partition).</summary>
    public bool Down { get; set; }

    public static LinkProfile Perfect() => new() { LatencyMs = 1 };

    public static LinkProfile Lossy(double loss, int latencyMs = 20) =>
        new() { Loss = loss, Duplicate = 0.05, Reorder = 0.1, LatencyMs = latencyMs, JitterMs = latencyMs / 2 };

    public LinkProfile Clone() => (LinkProfile)MemberwiseClone();
}
