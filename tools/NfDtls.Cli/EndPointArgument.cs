using System.Net;
using System.Net.Sockets;

namespace NfDtls.Cli;

/// <summary>A HOST:PORT option value (IPv6 as [addr]:port); HOST may be a name, resolved preferring IPv4.</summary>
public static class EndPointArgument
{
    public static IPEndPoint Parse(string text, string flag)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port) || port < 0 || port > 65535)
        {
            throw new UsageException(flag + " wants HOST:PORT, not '" + text + "'");
        }
        string host = text[..colon].Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            var found = Dns.GetHostAddresses(host);
            address = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault()
                ?? throw new UsageException("cannot resolve " + host);
        }
        return new IPEndPoint(address, port);
    }
}
