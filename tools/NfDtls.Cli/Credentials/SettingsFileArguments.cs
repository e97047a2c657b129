using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Desktop.Pki;
using NfDtls.Pki;

namespace NfDtls.Cli.Credentials;

/// <summary>
/// `--settings FILE` on the client commands (dtls-client, get/put/post/delete/observe/discover): a device settings
/// file written by `nfdtls provision` (NodeSettings key=value) supplies the credentials. A PSK file supplies the
/// same --psk-identity/--psk-key values a user would type, each used only when that flag is not given, so explicit
/// flags win. An rpk/x509 file yields ECDHE credentials (RFC 7250 raw public keys, or the node certificate with the
/// fleet CA as trust anchor), used unless ECDHE flags are given.
/// </summary>
public static class SettingsFileArguments
{
    public const string Flag = "--settings";

    public const string HelpLine = "  --settings FILE       credentials from a device settings file (nfdtls provision); flags override it";

    /// <summary>
    /// Loads the file `--settings FILE` names (null when not given) and supplies its PSK identity and key to
    /// <paramref name="arguments"/>; <paramref name="defaultConnect"/>: also `--connect GATEWAY:PORT` (dtls-client).
    /// </summary>
    public static NodeSettings? Apply(ParsedArguments arguments, bool defaultConnect)
    {
        string? path = arguments.Get(Flag);
        if (path == null)
        {
            return null;
        }
        NodeSettings settings;
        try
        {
            settings = NodeSettingsFile.Load(path);
        }
        catch (NodeSettingsFileException e)
        {
            throw new UsageException(Flag + ": " + e.Message);
        }
        if (settings.Security == NodeSettings.SecurityPsk && settings.PskKey != null)
        {
            arguments.Supply("--psk-identity", settings.PskIdentity);
            arguments.Supply("--psk-key", SettingsText.ToHex(settings.PskKey));
        }
        if (defaultConnect && settings.GatewayHost.Length > 0)
        {
            string host = settings.GatewayHost.Contains(':') ? "[" + settings.GatewayHost + "]" : settings.GatewayHost;
            arguments.Supply("--connect", host + ":" + settings.GatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return settings;
    }

    /// <summary>
    /// The ECDHE credentials of an rpk or x509 settings file (null for psk): our P-256 key, our certificate (x509)
    /// or raw public key (rpk, RFC 7250), and how the gateway is checked — its pinned raw public key, or the fleet
    /// CA certificate as trust anchor with <paramref name="connectHost"/> as the expected name or address.
    /// </summary>
    public static EcdheCredentials? Ecdhe(NodeSettings? settings, string? connectHost)
    {
        if (settings == null || settings.Security == NodeSettings.SecurityPsk)
        {
            return null;
        }
        var c = new EcdheCredentials { PrivateKey = settings.PrivateKey, Clock = SystemWallClock.Instance };
        if (settings.Security == NodeSettings.SecurityRpk)
        {
            c.RawPublicKeys = true;
            c.TrustedKeys = new RpkAllowList(1);
            if (settings.GatewayPublicKey != null)
            {
                byte[] spki = SpkiOf(settings.GatewayPublicKey);
                c.TrustedKeys.AddSpki(spki, 0, spki.Length);
            }
            c.TrustAnchors = new TrustAnchorStore(1);
            return c;
        }
        c.CertificateChain = new[] { settings.Certificate };
        c.TrustAnchors = new TrustAnchorStore(1);
        if (settings.CaCertificate != null)
        {
            int error = c.TrustAnchors.AddCertificate(settings.CaCertificate, 0, settings.CaCertificate.Length);
            if (error != CertificateError.None)
            {
                throw new UsageException(Flag + ": the CA certificate is not usable (" + CertificateError.Name(error) + ")");
            }
        }
        c.TrustedKeys = new RpkAllowList(1);
        string? name = connectHost?.Trim('[', ']');
        if (name != null && System.Net.IPAddress.TryParse(name, out var ip))
        {
            c.ExpectedServerAddress = ip.GetAddressBytes();
        }
        else if (name != null)
        {
            c.ExpectedServerName = System.Text.Encoding.ASCII.GetBytes(name);
        }
        return c;
    }

    /// <summary>The DER SubjectPublicKeyInfo of a 65-byte uncompressed P-256 point (RFC 5480).</summary>
    private static byte[] SpkiOf(byte[] point)
    {
        using var k = System.Security.Cryptography.ECDsa.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            Q = new System.Security.Cryptography.ECPoint { X = point[1..33], Y = point[33..65] },
        });
        return k.ExportSubjectPublicKeyInfo();
    }
}
