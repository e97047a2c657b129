using NfDtls.Config;
using NfDtls.Desktop.Files;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// Writes a provisioned fleet to a folder:
/// <code>
/// DIR/gateway.json            the gateway's credentials (GatewayCredentials)
/// DIR/nodes/&lt;node-id&gt;.settings one NodeSettings file per device (copy it onto the board)
/// DIR/ca-key.pem              the fleet CA's private key (PKCS#8), to sign more nodes later; keep it offline
/// DIR/edge-gateway.settings   with an edge gateway board: its settings (EdgeGatewaySettingsFile)
/// </code>
/// Every file holds secrets, so on Unix each is created owner-read/write only (0600).
/// </summary>
public static class FleetFiles
{
    public const string GatewayFile = "gateway.json";
    public const string NodesFolder = "nodes";
    public const string CaKeyFile = "ca-key.pem";
    public const string SettingsExtension = ".settings";

    /// <summary>Writes the files and returns their paths (gateway first).</summary>
    public static IReadOnlyList<string> Write(ProvisionedFleet fleet, string dir, string headerNote) => Write(fleet, dir, headerNote, null);

    /// <summary>Also writes <paramref name="edgeGatewayText"/> (when not null) as DIR/edge-gateway.settings, owner-only.</summary>
    public static IReadOnlyList<string> Write(ProvisionedFleet fleet, string dir, string headerNote, string? edgeGatewayText)
    {
        Directory.CreateDirectory(dir);
        string nodesDir = Path.Combine(dir, NodesFolder);
        Directory.CreateDirectory(nodesDir);
        var written = new List<string>();
        string gw = Path.Combine(dir, GatewayFile);
        WriteSecret(gw, fleet.Gateway.ToJson());
        written.Add(gw);
        foreach (var n in fleet.Nodes)
        {
            string path = Path.Combine(nodesDir, n.NodeId + SettingsExtension);
            WriteSecret(path, NodeSettingsWriter.Write(n, "nf-dtls node settings for " + n.NodeId + " (" + n.Security + ")\n" + headerNote));
            written.Add(path);
        }
        if (edgeGatewayText != null)
        {
            string edge = Path.Combine(dir, EdgeGatewaySettingsFile.FileName);
            WriteSecret(edge, edgeGatewayText);
            written.Add(edge);
        }
        string caKey = Path.Combine(dir, CaKeyFile);
        WriteSecret(caKey, System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", fleet.CaPrivateKeyPkcs8) + "\n");
        written.Add(caKey);
        return written;
    }

    private static void WriteSecret(string path, string text) =>
        SecretFile.WriteAtomically(path, new System.Text.UTF8Encoding(false).GetBytes(text));
}
