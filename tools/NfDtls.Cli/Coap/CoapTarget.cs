using System.Net;

namespace NfDtls.Cli.Coap;

/// <summary>A coap:// or coaps:// URI taken apart (RFC 7252 §6.1, §6.2): endpoint, Uri-Host to send, path and query.</summary>
public sealed class CoapTarget
{
    public required bool Secure { get; init; }
    public required IPEndPoint EndPoint { get; init; }
    /// <summary>The host when it is a name (sent as Uri-Host, §6.4 step 5); null for a literal address.</summary>
    public string? UriHost { get; init; }
    /// <summary>"/path?query", still percent-encoded.</summary>
    public required string PathAndQuery { get; init; }

    public static CoapTarget Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != "coap" && uri.Scheme != "coaps"))
        {
            throw new UsageException("wants a coap:// or coaps:// URI, not '" + text + "'");
        }
        if (uri.Fragment.Length > 0)
        {
            throw new UsageException("a CoAP URI has no fragment (RFC 7252 §6.1): '" + text + "'");
        }
        bool secure = uri.Scheme == "coaps";
        int port = uri.IsDefaultPort || uri.Port < 0 ? (secure ? 5684 : 5683) : uri.Port;
        string host = uri.DnsSafeHost;
        string? uriHost = null;
        if (!IPAddress.TryParse(host, out var address))
        {
            var found = Dns.GetHostAddresses(host);
            address = found.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? found.FirstOrDefault()
                ?? throw new UsageException("cannot resolve " + host);
            uriHost = host;
        }
        string path = uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        return new CoapTarget { Secure = secure, EndPoint = new IPEndPoint(address, port), UriHost = uriHost, PathAndQuery = path };
    }
}
