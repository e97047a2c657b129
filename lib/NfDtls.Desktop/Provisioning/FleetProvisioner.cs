using NfDtls.Config;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// Creates a fleet's credentials: for each node a PSK identity and key, or a P-256 key pair (raw public key,
/// RFC 7250), or a key pair with a certificate from a small CA created here; the gateway always gets its own P-256
/// key and a CA-signed certificate, so any mix of modes works against one gateway. Every node's settings are
/// checked with <see cref="NodeSettingsCheck"/> before they are handed out.
/// </summary>
public static class FleetProvisioner
{
    /// <summary>Provisions with the operating system's CSPRNG.</summary>
    public static ProvisionedFleet Create(ProvisioningPlan plan) => Create(plan, SystemRandom.Instance, DateTimeOffset.UtcNow);

    /// <summary>
    /// Provisions drawing PSKs, private keys and serial numbers from <paramref name="random"/> (a seeded generator
    /// gives the same keys twice; certificate signatures still differ because ECDSA signing is randomized).
    /// </summary>
    public static ProvisionedFleet Create(ProvisioningPlan plan, IRandom random, DateTimeOffset now)
    {
        Validate(plan);
        var gateway = new GatewayCredentials { Port = plan.GatewayPort };
        using var caKey = P256KeyPair.Generate(random);
        using var ca = FleetCertificates.CreateCa(caKey, plan.CaName, now);
        using var gatewayKey = P256KeyPair.Generate(random);
        gateway.PrivateKey = gatewayKey.PrivateKey;
        gateway.PublicKey = gatewayKey.PublicKey;
        gateway.Certificate = FleetCertificates.Issue(ca, caKey, gatewayKey, "nf-dtls gateway", true, plan.GatewayHost, random, now);
        gateway.CaCertificate = ca.RawData;

        var nodes = new NodeSettings[plan.Nodes];
        for (int i = 0; i < plan.Nodes; i++)
        {
            string id = plan.NodeId(i);
            string mode = plan.Security[i % plan.Security.Length];
            var s = BaseSettings(plan);
            s.NodeId = id;
            s.GatewayHost = plan.GatewayHost;
            s.GatewayPort = plan.GatewayPort;
            s.Security = mode;
            if (plan.ReadingPeriodMs is int period)
            {
                s.ReadingPeriodMs = period;
            }
            s.WifiSsid = plan.WifiSsid;
            s.WifiPassword = plan.WifiPassword;
            var g = new GatewayNodeCredential { Id = id, Security = mode };
            if (mode == NodeSettings.SecurityPsk)
            {
                s.PskIdentity = id;
                s.PskKey = new byte[plan.PskKeyLength];
                random.GetBytes(s.PskKey, 0, s.PskKey.Length);
                g.PskIdentity = s.PskIdentity;
                g.PskKey = s.PskKey;
            }
            else
            {
                using var key = P256KeyPair.Generate(random);
                s.PrivateKey = key.PrivateKey;
                s.PublicKey = key.PublicKey;
                g.PublicKey = key.PublicKey;
                if (mode == NodeSettings.SecurityRpk)
                {
                    s.GatewayPublicKey = gatewayKey.PublicKey;
                }
                else
                {
                    s.Certificate = FleetCertificates.Issue(ca, caKey, key, id, false, null, random, now);
                    s.CaCertificate = ca.RawData;
                    g.Certificate = s.Certificate;
                }
            }
            if (!NodeSettingsCheck.Check(s, out string error))
            {
                throw new ProvisioningException("node " + id + ": " + error);
            }
            gateway.Add(g);
            nodes[i] = s;
        }
        return new ProvisionedFleet(gateway, nodes, caKey.Key.ExportPkcs8PrivateKey());
    }

    private static NodeSettings BaseSettings(ProvisioningPlan plan)
    {
        var s = new NodeSettings();
        if (plan.BaseSettingsText != null && !NodeSettingsReader.TryParse(plan.BaseSettingsText, s, out string error))
        {
            throw new ProvisioningException("board settings: " + error);
        }
        return s;
    }

    private static void Validate(ProvisioningPlan plan)
    {
        if (plan.Nodes < 1 || plan.Nodes > 100000)
        {
            throw new ProvisioningException("nodes: must be from 1 to 100000");
        }
        if (plan.Security.Length == 0)
        {
            throw new ProvisioningException("security: name at least one of psk, rpk, x509");
        }
        foreach (var m in plan.Security)
        {
            if (m != NodeSettings.SecurityPsk && m != NodeSettings.SecurityRpk && m != NodeSettings.SecurityX509)
            {
                throw new ProvisioningException("security: must be psk, rpk or x509, not '" + m + "'");
            }
        }
        if (plan.PskKeyLength < NodeSettingsCheck.MinPskKeyLength || plan.PskKeyLength > NodeSettingsCheck.MaxPskKeyLength)
        {
            throw new ProvisioningException("psk key length: must be from 16 to 64 bytes");
        }
    }
}

/// <summary>A provisioning request that cannot be met; the message names what to change.</summary>
public sealed class ProvisioningException(string message) : Exception(message);
