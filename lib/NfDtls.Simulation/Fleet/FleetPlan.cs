namespace NfDtls.Simulation.Fleet;

/// <summary>
/// What a deterministic fleet run does: how many nodes, for how long, over which network, and which faults happen
/// when. Times are virtual milliseconds from the start of the run.
/// </summary>
public sealed class FleetPlan
{
    public int Nodes { get; set; } = 10;
    public int Seed { get; set; } = 1;
    /// <summary>Readings taken before this time count; the run then drains for <see cref="DrainMs"/> so in-flight ones can land.</summary>
    public long DurationMs { get; set; } = 60_000;
    /// <summary>After <see cref="DurationMs"/>, how long to keep running for retransmissions to finish.</summary>
    public long DrainMs { get; set; } = 120_000;
    /// <summary>Nodes power up at a seeded random moment in [0, StartSpreadMs), as a real fleet does after an outage.</summary>
    public long StartSpreadMs { get; set; } = 10_000;
    /// <summary>Every node ⇄ gateway link, unless <see cref="LinkForNode"/> says otherwise.</summary>
    public LinkProfile Link { get; set; } = LinkProfile.Perfect();
    /// <summary>Per-link profiles: a node index → its profile (both directions), or null for <see cref="Link"/>.</summary>
    public Func<int, LinkProfile?>? LinkForNode { get; set; }
    public List<FleetPartition> Partitions { get; } = new();
    public List<FleetReboot> Reboots { get; } = new();
    public List<FleetGatewayRestart> GatewayRestarts { get; } = new();
    /// <summary>NAT rebindings at set times (nodes get a new source port, as a NAT that dropped their mapping would give).</summary>
    public List<FleetNatRebind> NatRebinds { get; } = new();
    /// <summary>
    /// NAT rebindings at random: each node on average this many times per hour of <see cref="DurationMs"/>
    /// (independent exponential gaps per node, drawn from the seed), 0 for none.
    /// </summary>
    public double NatRebindsPerNodeHour { get; set; }
    /// <summary>Buckets of the time series behind the plot.</summary>
    public int TimeBuckets { get; set; } = 60;
}

/// <summary>Nodes <see cref="First"/>..<see cref="Last"/> lose the gateway (both directions) for a while.</summary>
public sealed record FleetPartition(long AtMs, long DurationMs, int First, int Last);

/// <summary>Nodes <see cref="First"/>..<see cref="Last"/> lose power at <see cref="AtMs"/> and boot again at once, with fresh state.</summary>
public sealed record FleetReboot(long AtMs, int First, int Last);

/// <summary>A NAT in front of nodes <see cref="First"/>..<see cref="Last"/> gives each a new public address at <see cref="AtMs"/>.</summary>
public sealed record FleetNatRebind(long AtMs, int First, int Last);

/// <summary>The gateway goes away at <see cref="AtMs"/> (all its sessions lost) and a fresh one starts <see cref="DownMs"/> later.</summary>
public sealed record FleetGatewayRestart(long AtMs, long DownMs);
