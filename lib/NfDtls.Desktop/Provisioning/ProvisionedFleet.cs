using NfDtls.Config;

namespace NfDtls.Desktop.Provisioning;

/// <summary>A provisioned fleet: the gateway's credentials, one settings object per node, and the CA's private key (kept apart).</summary>
public sealed class ProvisionedFleet(GatewayCredentials gateway, NodeSettings[] nodes, byte[] caPrivateKeyPkcs8)
{
    public GatewayCredentials Gateway { get; } = gateway;
    public NodeSettings[] Nodes { get; } = nodes;

    /// <summary>PKCS#8 DER of the CA key: lets more nodes be signed later; never given to the gateway or a node.</summary>
    public byte[] CaPrivateKeyPkcs8 { get; } = caPrivateKeyPkcs8;
}
