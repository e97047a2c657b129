using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>Where the simulated hosts live: the gateway on 10.0.0.1:5684 (CoAPS), node i on 10.1.0.0 + i + 1, port 5684.</summary>
public static class FleetAddresses
{
    public const int CoapsPort = 5684;

    public static PeerAddress Gateway() => PeerAddress.FromIPv4(10, 0, 0, 1, CoapsPort);

    public static PeerAddress Node(int index)
    {
        int host = index + 1;
        return PeerAddress.FromIPv4(10, 1 + (host >> 16), (host >> 8) & 0xFF, host & 0xFF, CoapsPort);
    }
}
