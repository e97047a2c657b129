using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;

namespace NfDtls.Cli.Credentials;

/// <summary>
/// `--ticket-keys FILE` on the DTLS servers (`nfdtls gateway`, `dtls-server --tickets`, `serve --coaps --tickets`): the
/// session-ticket keys (RFC 5077 §5.5) are loaded from FILE at start when it holds valid ones, and written there (mode
/// 0600, atomically) at start, whenever the server rotates its key and at a clean stop, so a restarted server still
/// resumes the sessions it issued tickets for. `nfdtls gateway` keeps them by default beside its credentials file
/// (<see cref="DefaultBeside"/>); `--no-ticket-keys` forgets them on restart.
/// </summary>
public static class TicketKeysArgument
{
    public const string Flag = "--ticket-keys";
    public const string Off = "--no-ticket-keys";

    public const string HelpLine = "  --ticket-keys FILE    keep the ticket keys in FILE (mode 0600) so a restart still resumes its clients";

    /// <summary>The gateway's default: gateway.json → gateway.ticket-keys in the same directory.</summary>
    public static string DefaultBeside(string credentialsPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(credentialsPath)) ?? ".";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(credentialsPath) + ".ticket-keys");
    }

    /// <summary>Usage error when FILE is given without tickets on.</summary>
    public static void RequireTickets(ParsedArguments o, bool tickets, string what)
    {
        if (o.Get(Flag) != null && !tickets)
        {
            throw new UsageException(Flag + " needs " + what);
        }
        if (o.Get(Flag) is string path && (path.Length == 0 || Directory.Exists(path)))
        {
            throw new UsageException(Flag + " wants a file name");
        }
    }

    /// <summary>
    /// Loads the keys into <paramref name="server"/> (before it runs) and starts keeping them; null when
    /// <paramref name="path"/> is null. A damaged file is reported on stderr and replaced; never throws for file problems.
    /// </summary>
    public static TicketKeyFile? Open(string? path, DtlsServer server, Func<Func<long, byte[]?>, byte[]?> invoke, string command)
    {
        if (path == null)
        {
            return null;
        }
        var file = new TicketKeyFile(path, server, invoke, Console.Error, "nfdtls " + command);
        file.Load();
        file.Keep();
        return file;
    }
}
