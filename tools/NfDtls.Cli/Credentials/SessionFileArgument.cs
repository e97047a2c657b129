using NfDtls.Desktop.Files;

namespace NfDtls.Cli.Credentials;

/// <summary>
/// `--session FILE` on the DTLS client commands (dtls-client, get/put/post/delete/observe over coaps://): the resumable
/// state of the last session (RFC 5246 §7.3 session ID or RFC 5077 ticket, with its master secret) is loaded from FILE
/// when it exists, offered by the handshake, and replaced by the new session's afterwards. The file holds a master
/// secret, so it is written with mode 0600 (through a temporary file, so a crash never leaves half a state).
/// </summary>
public static class SessionFileArgument
{
    public const string Flag = "--session";

    public const string HelpLine = "  --session FILE        resume the session saved in FILE (if any), save the new one there (mode 0600)";

    /// <summary>The state in the file `--session` names: null when not given, absent, empty or unreadable (a warning then).</summary>
    public static byte[]? Load(ParsedArguments arguments, string command)
    {
        string? path = arguments.Get(Flag);
        if (path == null || !File.Exists(path))
        {
            return null;
        }
        try
        {
            byte[] state = File.ReadAllBytes(path);
            return state.Length > 0 ? state : null;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("nfdtls " + command + ": " + Flag + " " + path + ": " + e.Message + " (full handshake)");
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine("nfdtls " + command + ": " + Flag + " " + path + ": " + e.Message + " (full handshake)");
            return null;
        }
    }

    /// <summary>Says on stderr how the handshake went: exactly `resumed` or `full handshake`.</summary>
    public static void Report(bool resumed) => Console.Error.WriteLine(resumed ? "resumed" : "full handshake");

    /// <summary>Writes the new state (mode 0600); removes the file when the session is not resumable.</summary>
    public static void Save(ParsedArguments arguments, string command, byte[]? state)
    {
        string? path = arguments.Get(Flag);
        if (path == null)
        {
            return;
        }
        try
        {
            if (state == null)
            {
                File.Delete(path);
                return;
            }
            SecretFile.WriteAtomically(path, state);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("nfdtls " + command + ": " + Flag + " " + path + ": " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine("nfdtls " + command + ": " + Flag + " " + path + ": " + e.Message);
        }
    }
}
