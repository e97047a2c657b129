using System.Net;
using NfDtls.Config;
using NfDtls.Diagnostics;
using NfDtls.Net;
using NfDtls.Node;

namespace NfDtls.Firmware
{
    /// <summary>
    /// The portable node parses an IPv4 gateway address itself; a host name is resolved here with the board's DNS
    /// (System.Net) and handed over before the node starts.
    /// </summary>
    public static class GatewayResolver
    {
        public static bool Resolve(NodeSettings settings, SensorNode node, ILog log)
        {
            PeerAddress literal = new PeerAddress();
            if (GatewayAddressParser.TryParseIPv4(settings.GatewayHost, settings.GatewayPort, literal))
            {
                return true;
            }
            try
            {
                IPAddress[] found = Dns.GetHostEntry(settings.GatewayHost).AddressList;
                if (found == null || found.Length == 0)
                {
                    return false;
                }
                byte[] bytes = found[0].GetAddressBytes();
                node.SetGateway(new PeerAddress(bytes, 0, bytes.Length, settings.GatewayPort));
                log.Write("gateway: " + settings.GatewayHost + " is " + found[0].ToString());
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }
}
