using System.Text;
using NfDtls.Config;
using NfDtls.Gateway;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// Writes an edge gateway's settings file (what firmware/EdgeGateway reads at boot, lib/NfDtls.Gateway's
/// <see cref="GatewaySettingsReader"/> format): the board's gateway.settings defaults, the broker address, the gateway's
/// key and certificate, the fleet CA and every node's credential. It holds secrets (PSKs, the gateway's private key,
/// the broker password): written owner-only like the nodes' files, never printed.
/// </summary>
public static class EdgeGatewaySettingsFile
{
    public const string FileName = "edge-gateway.settings";

    /// <summary>
    /// The file's text: <paramref name="boardText"/> (a board's gateway.settings, may be null) read by the portable
    /// reader first, so a file the board cannot read is refused here, then the fleet on top.
    /// </summary>
    public static string Write(GatewayCredentials credentials, string? boardText, string mqttHost, int mqttPort, string header)
    {
        var s = new GatewaySettings(Math.Max(1, credentials.Nodes.Count));
        if (boardText != null && !GatewaySettingsReader.TryParse(boardText, s, out string error, requireBroker: false))
        {
            throw new ProvisioningException("gateway board settings: " + error);
        }
        foreach (var n in credentials.Nodes)
        {
            if (n.Security == NodeSettings.SecurityPsk && (n.PskIdentity ?? "").Any(c => c <= ' ' || c == '#' || c == '"'))
            {
                throw new ProvisioningException("node " + n.Id + ": a PSK identity with spaces, '#' or quotes cannot go into the edge gateway's settings");
            }
        }
        var b = new StringBuilder();
        foreach (var line in header.Split('\n'))
        {
            b.Append("# ").Append(line).Append('\n');
        }
        b.Append("# Secret: PSKs and the gateway's private key. Copy onto the edge gateway only.\n");
        Line(b, "port", credentials.Port);
        Line(b, "session_capacity", Math.Max(s.SessionCapacity, credentials.Nodes.Count));
        Line(b, "connection_id_length", s.ConnectionIdLength);
        Line(b, "max_datagram_size", s.MaxDatagramSize);
        Line(b, "max_record_plaintext", s.MaxRecordPlaintext);
        Line(b, "handshake_buffer_size", s.HandshakeBufferSize);
        Line(b, "flight_buffer_size", s.FlightBufferSize);
        Line(b, "mqtt_host", mqttHost);
        Line(b, "mqtt_port", mqttPort);
        Line(b, "mqtt_client_id", s.MqttClientId);
        Line(b, "mqtt_topic_prefix", s.MqttTopicPrefix);
        Line(b, "mqtt_queue_capacity", s.MqttQueueCapacity);
        if (credentials.PrivateKey != null) Line(b, "private_key", SettingsText.ToHex(credentials.PrivateKey));
        if (credentials.Certificate != null) Line(b, "certificate", SettingsText.ToHex(credentials.Certificate));
        if (credentials.CaCertificate != null) Line(b, "ca_certificate", SettingsText.ToHex(credentials.CaCertificate));
        foreach (var n in credentials.Nodes)
        {
            string material = n.Security == NodeSettings.SecurityPsk
                ? n.PskIdentity + " " + SettingsText.ToHex(n.PskKey ?? Array.Empty<byte>())
                : SettingsText.ToHex(n.PublicKey ?? Array.Empty<byte>());
            Line(b, "node", n.Id + " " + n.Security + " " + material);
        }
        string text = b.ToString();
        // What the board will read: refuse here what it would refuse there.
        if (!GatewaySettingsReader.TryParse(text, new GatewaySettings(Math.Max(1, credentials.Nodes.Count)), out string problem))
        {
            throw new ProvisioningException("edge gateway settings: " + problem);
        }
        return text;
    }

    private static void Line(StringBuilder b, string key, object value) =>
        b.Append(key).Append(" = ").Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
}
