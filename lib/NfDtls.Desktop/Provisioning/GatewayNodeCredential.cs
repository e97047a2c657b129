namespace NfDtls.Desktop.Provisioning;

/// <summary>What the gateway knows of one node: how it authenticates and the material to check it with.</summary>
public sealed class GatewayNodeCredential
{
    public string Id { get; set; } = "";

    /// <summary>psk | rpk | x509 (NodeSettings.Security*).</summary>
    public string Security { get; set; } = "psk";

    /// <summary>psk: the identity the node sends (RFC 4279 §2) and the shared key.</summary>
    public string? PskIdentity { get; set; }
    public byte[]? PskKey { get; set; }

    /// <summary>rpk and x509: the node's P-256 public key, 65 bytes uncompressed (for x509, the one in its certificate).</summary>
    public byte[]? PublicKey { get; set; }

    /// <summary>x509: the node's certificate, DER.</summary>
    public byte[]? Certificate { get; set; }
}
