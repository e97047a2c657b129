namespace NfDtls.Simulation.Fleet;

/// <summary>The kinds of fault a fleet run injects; the chart gives each its own marker.</summary>
public enum FleetFaultKind
{
    /// <summary>Nodes lose power and boot again with fresh state (a point in time).</summary>
    NodeReboot,
    /// <summary>The gateway goes away with all its sessions and a fresh one starts later (a span: the time it is down).</summary>
    GatewayRestart,
    /// <summary>Nodes lose the gateway in both directions for a while (a span).</summary>
    Partition,
    /// <summary>A NAT in front of nodes gives them a new address and port (a point in time; RFC 9146 Connection IDs keep the session).</summary>
    NatRebind,
}

/// <summary>
/// One injected fault as it happened: <see cref="AtMs"/> from the start of the run, <see cref="DurationMs"/> for the
/// span kinds (0 for a point in time), and the nodes it hit (<see cref="FirstNode"/>..<see cref="LastNode"/>, -1 for
/// the gateway).
/// </summary>
public sealed record FleetFault(FleetFaultKind Kind, long AtMs, long DurationMs, int FirstNode, int LastNode);
