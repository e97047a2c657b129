using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>Where the simulated hosts live: the gateway on 10.0.0.1:5684 (CoAPS), node i on 10.1.x.y:5684.</summary>
public static class FleetAddresses
{
    public const int CoapsPort = 5684;

    public static PeerAddress Gateway() => PeerAddress.FromIPv4(10, 0, 0, 1, CoapsPort);

    public static PeerAddress Node(int index) =>
        PeerAddress.FromIPv4(10, 1 + (index >> 16), (index >> 8) & 0xFF, index & 0xFF, CoapsPort);
}
