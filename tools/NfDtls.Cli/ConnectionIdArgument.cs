using System.Globalization;
using NfDtls.Dtls.Record;

namespace NfDtls.Cli;

/// <summary>
/// `--cid LENGTH` on the server commands: the RFC 9146 Connection ID length the server issues to each client that
/// offers the extension (4..32 bytes), 0 for none. A client that keeps sending with the CID from a new address (a NAT
/// rebinding) keeps its session, and the server answers at the new address.
/// </summary>
public static class ConnectionIdArgument
{
    public const string Flag = "--cid";

    public static string HelpLine(int fallback) => fallback == 0
        ? "  --cid LENGTH          issue RFC 9146 Connection IDs of LENGTH bytes (4..32; default 0: none), so a client"
          + "\n                        whose address changes (NAT rebinding) keeps its session"
        : "  --cid LENGTH          RFC 9146 Connection ID length issued to each node (4..32; default "
          + fallback.ToString(CultureInfo.InvariantCulture) + "; 0: none):"
          + "\n                        a node whose address changes behind a NAT keeps its session";

    /// <summary>The length `--cid` asks for, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Get(ParsedArguments arguments, int fallback)
    {
        string? text = arguments.Get(Flag);
        if (text == null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || (length != 0 && (length < 4 || length > RecordProtection.MaxCidLength)))
        {
            throw new UsageException(Flag + " wants 0 (no Connection ID) or a length from 4 to 32 bytes, not '" + text + "'");
        }
        return length;
    }
}
