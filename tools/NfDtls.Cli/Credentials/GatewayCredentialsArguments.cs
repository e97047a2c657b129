using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using NfDtls.Dtls;

namespace NfDtls.Cli.Credentials;

/// <summary>
/// `--credentials gateway.json` on the server commands (dtls-server, serve --coaps), the file `nfdtls provision`
/// writes and `nfdtls gateway` reads: every PSK node in it may connect (RFC 4279 §2 identities, many at once).
/// An identity given with --psk-identity/--psk-key is added on top and wins over the file's key for that identity.
/// </summary>
public static class GatewayCredentialsArguments
{
    public const string Flag = "--credentials";

    public const string HelpLine = "  --credentials FILE    accept every PSK node of a gateway.json (nfdtls provision); flags add to it";

    /// <summary>The file `--credentials FILE` names, loaded; null when the option is not given.</summary>
    public static GatewayCredentials? Load(ParsedArguments arguments)
    {
        string? path = arguments.Get(Flag);
        if (path == null)
        {
            return null;
        }
        GatewayCredentials credentials;
        try
        {
            credentials = GatewayCredentials.Load(path);
        }
        catch (GatewayCredentialsException e)
        {
            throw new UsageException(Flag + ": " + e.Message);
        }
        if (PskNodeCount(credentials) == 0)
        {
            throw new UsageException(Flag + ": " + path + " has no psk node (rpk/x509 fleets: use nfdtls gateway or --cert/--rpk flags)");
        }
        return credentials;
    }

    /// <summary>
    /// The key table: the flag identity (if any) first, then every PSK node of the file whose identity differs.
    /// Null when neither gives a key.
    /// </summary>
    public static PskTable? Keys(GatewayCredentials? file, byte[]? identity, byte[]? key)
    {
        int n = (file == null ? 0 : PskNodeCount(file)) + (identity != null && key != null ? 1 : 0);
        if (n == 0)
        {
            return null;
        }
        var table = new PskTable(n);
        if (identity != null && key != null)
        {
            table.Add(identity, key);
        }
        if (file != null)
        {
            string? flagIdentity = identity == null ? null : System.Text.Encoding.UTF8.GetString(identity);
            foreach (var node in file.Nodes)
            {
                if (node.Security == NodeSettings.SecurityPsk && node.PskIdentity != null && node.PskKey != null && node.PskIdentity != flagIdentity)
                {
                    table.Add(SettingsText.ToUtf8(node.PskIdentity), node.PskKey);
                }
            }
        }
        return table;
    }

    private static int PskNodeCount(GatewayCredentials c)
    {
        int n = 0;
        foreach (var node in c.Nodes)
        {
            if (node.Security == NodeSettings.SecurityPsk)
            {
                n++;
            }
        }
        return n;
    }
}
