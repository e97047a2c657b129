using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// Where the simulated hosts live: the gateway on 10.0.0.1:5684 (CoAPS), node i on 10.1.0.0 + i + 1, port 5684, and
/// on a port from 49152 up after a NAT rebinding.
/// </summary>
public static class FleetAddresses
{
    public const int CoapsPort = 5684;

    public static PeerAddress Gateway() => PeerAddress.FromIPv4(10, 0, 0, 1, CoapsPort);

    public static PeerAddress Node(int index) => Node(index, 0);

    /// <summary>
    /// Node <paramref name="index"/>'s public address after its <paramref name="rebinds"/>-th NAT rebinding: the same
    /// host, a new port from the dynamic range (RFC 6335 §6: 49152-65535), as a NAT hands out.
    /// </summary>
    public static PeerAddress Node(int index, int rebinds)
    {
        int host = index + 1;
        int port = rebinds == 0 ? CoapsPort : 49152 + (rebinds - 1) % 16384;
        return PeerAddress.FromIPv4(10, 1 + (host >> 16), (host >> 8) & 0xFF, host & 0xFF, port);
    }
}
