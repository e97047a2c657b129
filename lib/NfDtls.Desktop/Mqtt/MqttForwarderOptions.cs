namespace NfDtls.Desktop.Mqtt;

/// <summary>Where and how <see cref="MqttReadingForwarder"/> publishes.</summary>
public sealed class MqttForwarderOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>MQTT over TCP, IANA port 1883.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier; fixed ids let a broker keep the gateway's session across reconnects.</summary>
    public string ClientId { get; set; } = "nfdtls-gateway-" + Guid.NewGuid().ToString("N")[..8];

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Topics are &lt;prefix&gt;/&lt;node-id&gt;/readings.</summary>
    public string TopicPrefix { get; set; } = "nfdtls";

    public ReadingFormat Format { get; set; } = ReadingFormat.SenML;

    /// <summary>Readings held while the broker is away; beyond this the oldest are dropped (and counted).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>First wait before reconnecting; doubles per failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>"HOST:PORT" (or "HOST", port 1883; "[v6]:PORT" for IPv6), as the gateway's --mqtt flag takes it.</summary>
    public static MqttForwarderOptions Parse(string hostPort)
    {
        var o = new MqttForwarderOptions();
        string host = hostPort;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']');
            if (close < 0 || (close + 1 < hostPort.Length && hostPort[close + 1] != ':'))
            {
                throw new FormatException("MQTT broker wants HOST:PORT or [IPv6]:PORT, not '" + hostPort + "'");
            }
            host = hostPort[1..close];
            port = close + 2 <= hostPort.Length - 1 ? hostPort[(close + 2)..] : null;
        }
        else if (hostPort.IndexOf(':') >= 0 && hostPort.IndexOf(':') == hostPort.LastIndexOf(':'))
        {
            int colon = hostPort.IndexOf(':');
            host = hostPort[..colon];
            port = hostPort[(colon + 1)..];
        }
        if (port != null)
        {
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) || p < 1 || p > 65535)
            {
                throw new FormatException("MQTT broker wants a port from 1 to 65535, not '" + port + "'");
            }
            o.Port = p;
        }
        if (host.Length == 0)
        {
            throw new FormatException("MQTT broker wants HOST:PORT, not '" + hostPort + "'");
        }
        o.Host = host;
        return o;
    }
}
