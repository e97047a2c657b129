using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// Builds the endpoints a fleet run drives: one gateway and the nodes. Called again on a reboot or a gateway restart
/// (a new instance with fresh state, as after a power cycle). Implementations report what happens to the
/// <see cref="FleetRecorder"/> they are given.
/// </summary>
public interface IFleetFactory
{
    /// <param name="incarnation">0 for the first gateway, 1 after the first restart, …</param>
    IDatagramEndpoint CreateGateway(PeerAddress address, IDatagramSink sink, int incarnation, long nowMs);

    /// <param name="index">Node number, 0-based.</param>
    /// <param name="boot">0 on first power-up, then 1, 2 … after each reboot.</param>
    IDatagramEndpoint CreateNode(int index, int boot, PeerAddress address, PeerAddress gateway, IDatagramSink sink, long nowMs);
}
