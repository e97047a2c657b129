using NfDtls.Config;

namespace NfDtls.Desktop.Provisioning;

/// <summary>What `nfdtls provision` (or the simulator) asks for: how many nodes, named how, secured how, talking to which gateway.</summary>
public sealed class ProvisioningPlan
{
    public int Nodes { get; set; } = 1;

    /// <summary>Node ids are prefix + a zero-padded number from 1 (node-001 …).</summary>
    public string Prefix { get; set; } = "node-";

    /// <summary>Security modes given out round-robin (e.g. { "psk" } or { "psk", "rpk", "x509" } for a mixed fleet).</summary>
    public string[] Security { get; set; } = { NodeSettings.SecurityPsk };

    public string GatewayHost { get; set; } = "192.168.1.10";
    public int GatewayPort { get; set; } = NodeSettings.DefaultGatewayPort;

    /// <summary>PSK length in bytes (RFC 7925 §4.2: at least 128 bits; RFC 4279 §5.3: at most 64 bytes).</summary>
    public int PskKeyLength { get; set; } = 16;

    /// <summary>
    /// Settings every node starts from (a board's board.settings: buffer sizes, period); null = NodeSettings defaults.
    /// Identity, gateway and credential fields are always set by the provisioner.
    /// </summary>
    public string? BaseSettingsText { get; set; }

    /// <summary>Overrides the base reading period when set.</summary>
    public int? ReadingPeriodMs { get; set; }

    public string WifiSsid { get; set; } = "";
    public string WifiPassword { get; set; } = "";

    /// <summary>Common name of the fleet CA.</summary>
    public string CaName { get; set; } = "nf-dtls fleet CA";

    public string NodeId(int index)
    {
        int width = Math.Max(3, Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return Prefix + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
    }
}
