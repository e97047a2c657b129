using System.Net;
using NfDtls.Config;
using NfDtls.Diagnostics;
using NfDtls.Net;
using NfDtls.Node;

namespace NfDtls.Firmware
{
    /// <summary>
    /// The portable node parses an IPv4 gateway address itself; a host name is resolved here with the board's DNS
    /// (System.Net) and written back into the settings as dotted IPv4 text before the node is constructed.
    /// </summary>
    public static class GatewayResolver
    {
        public static bool Resolve(NodeSettings settings, ILog log)
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
                for (int i = 0; i < found.Length; i++)
                {
                    byte[] bytes = found[i].GetAddressBytes();
                    if (bytes.Length == 4)
                    {
                        log.Write("gateway: " + settings.GatewayHost + " is " + found[i].ToString());
                        settings.GatewayHost = found[i].ToString();
                        return true;
                    }
                }
                return false;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }
    }
}
