using NfDtls.Net;

namespace NfDtls.Simulation;

/// <summary>
/// Something attached to the <see cref="VirtualNetwork"/>: usually an adapter around a sans-IO engine.
/// The network calls it with datagrams and timer wake-ups and asks for its next deadline afterwards.
/// </summary>
public interface ISimHost
{
    /// <summary>A datagram arrived. The buffer is only valid during the call.</summary>
    void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs);

    /// <summary>The host's deadline has come (or passed).</summary>
    void Tick(long nowMs);

    /// <summary>Next time the host wants <see cref="Tick"/>; <see cref="long.MaxValue"/> for none.</summary>
    long NextDeadline { get; }
}
