using System.Text;
using NfDtls.Cli.Credentials;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;

namespace NfDtls.Cli.Commands;

/// <summary>`nfdtls dtls-server`: a DTLS 1.2 PSK server for many clients, optionally echoing.</summary>
public sealed class DtlsServerCommand : ICommand
{
    public IReadOnlyList<string> Names => new[] { "dtls-server" };

    public string Summary => "DTLS 1.2 server (PSK or ECDHE-ECDSA, CCM_8): print handshakes and records, --echo them";

    public CommandSyntax Syntax { get; } = EcdheArguments.Declare(new CommandSyntax()
        .Values("--listen", "--psk-identity", "--psk-key", "--count", "--keylog", "--session-cache", ConnectionIdArgument.Flag, GatewayCredentialsArguments.Flag, TicketKeysArgument.Flag)
        .Switches("--echo", "--tickets", "-v|--verbose"));

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls dtls-server --listen HOST:PORT --psk-identity ID --psk-key HEX [--echo] [--count N]");
        w.WriteLine("                          [-v] [--keylog FILE] [--cid LENGTH] [--tickets [--ticket-keys FILE]] [--session-cache N]");
        w.WriteLine("       nfdtls dtls-server --listen HOST:PORT --cert FILE --key FILE [--ca FILE --require-client-auth] ...");
        w.WriteLine("       nfdtls dtls-server --listen HOST:PORT --rpk --key FILE [--trust-key FILE --require-client-auth] ...");
        w.WriteLine("       nfdtls dtls-server --listen HOST:PORT --credentials gateway.json ...");
        w.WriteLine();
        w.WriteLine("Serves many DTLS 1.2 clients at once (TLS_PSK_WITH_AES_128_CCM_8, stateless cookies). Prints each");
        w.WriteLine("completed handshake and each received record on stdout.");
        w.WriteLine();
        w.WriteLine("  --listen HOST:PORT    address to bind (port 0 picks one; the bound address is printed)");
        w.WriteLine("  --psk-identity ID     the PSK identity clients must present (text)");
        w.WriteLine("  --psk-key HEX         PSK, hex (1..64 bytes)");
        w.WriteLine("  --echo                send every record back to its sender");
        w.WriteLine("  --count N             exit after N sessions completed (handshake done, then closed)");
        w.WriteLine("  -v                    readable handshake log on stderr");
        w.WriteLine("  --keylog FILE         append NSS key log lines (CLIENT_RANDOM) for Wireshark");
        w.WriteLine("  --tickets             session resumption with RFC 5077 tickets (AES-128-CCM sealed, no state kept)");
        w.WriteLine("  --ticket-keys FILE    --tickets: keep the ticket keys in FILE (mode 0600; loaded at start, written at start,");
        w.WriteLine("                        on each key rotation and at exit) so a restarted server still resumes its clients");
        w.WriteLine("  --session-cache N     session resumption by session ID, N cache entries (least recently used replaced)");
        w.WriteLine(ConnectionIdArgument.HelpLine(0));
        w.WriteLine(GatewayCredentialsArguments.HelpLine);
        EcdheArguments.PrintHelp(w, true);
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:5684 --psk-identity device-1 --psk-key 00112233445566778899aabbccddeeff --echo");
        w.WriteLine("  nfdtls dtls-server --listen 127.0.0.1:4444 --psk-identity Client_identity --psk-key 1a2b3c4d --count 1 -v");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:4433 --cert server.pem --key server.key --ca ca.pem --require-client-auth --echo");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:4433 --rpk --key server.key --trust-key client.pub --require-client-auth --echo");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:5684 --credentials fleet/gateway.json --echo");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:5684 --psk-identity device-1 --psk-key 0011... --tickets --session-cache 64");
        w.WriteLine("  nfdtls dtls-server --listen 0.0.0.0:5684 --psk-identity device-1 --psk-key 00112233445566778899aabbccddeeff --cid 6 --echo");
    }

    public int Run(string name, ParsedArguments o)
    {
        var file = GatewayCredentialsArguments.Load(o);
        var listen = EndPointArgument.Parse(o.Require("--listen"), "--listen");
        byte[]? identity = null;
        byte[]? key = null;
        if (o.Has("--psk-key") || o.Has("--psk-identity") || (!EcdheArguments.Wanted(o) && file == null))
        {
            identity = Encoding.UTF8.GetBytes(o.Require("--psk-identity"));
            key = o.GetHex("--psk-key");
            if (key.Length == 0 || key.Length > 64)
            {
                throw new UsageException("--psk-key wants 1 to 64 bytes of hex");
            }
        }
        int count = o.GetInt("--count", 0, 1);
        bool echo = o.Has("--echo");

        DtlsConfig config = DtlsUdpClient.DefaultConfig();
        config.ConnectionIdLength = ConnectionIdArgument.Get(o, 0);
        if (o.Has("-v") || o.Has("--verbose"))
        {
            config.Log = new TextLog(Console.Error);
        }
        using NssKeyLogFile? keyLog = o.Get("--keylog") is string path ? new NssKeyLogFile(path) : null;
        config.KeyLog = keyLog;
        config.SessionTickets = o.Has("--tickets");
        TicketKeysArgument.RequireTickets(o, config.SessionTickets, "--tickets");
        config.SessionCacheSize = o.GetInt("--session-cache", 0, 0, 1_000_000);
        bool psk = EcdheArguments.Apply(o, config, true, key != null || file != null, null);
        var keys = (psk ? GatewayCredentialsArguments.Keys(file, identity, key) : null) ?? new PskTable(1);

        using var server = new DtlsUdpServer(listen, keys, config);
        using var keptKeys = TicketKeysArgument.Open(o.Get(TicketKeysArgument.Flag), server.Engine, server.Invoke, name);
        var stdout = Console.Out;
        int completed = 0;
        using var done = new ManualResetEventSlim();
        var counted = new HashSet<DtlsSession>(ReferenceEqualityComparer.Instance);

        void Complete(DtlsSession s)
        {
            if (counted.Remove(s) && count > 0 && ++completed >= count)
            {
                done.Set();
            }
        }

        server.Connected += s =>
        {
            counted.Add(s);
            Print(stdout, "handshake " + s.Peer + " identity " + s.PskIdentityText() + " suite " + CipherSuite.Name(s.CipherSuite)
                + (s.UsesConnectionId ? " connection-id " + s.OwnConnectionIdLength + "/" + s.PeerConnectionIdLength : "")
                + (s.WasResumed ? " resumed" : ""));
        };
        server.DataReceived += (s, buf, off, n) =>
        {
            Print(stdout, "record " + s.Peer + " " + Encoding.UTF8.GetString(buf, off, n).TrimEnd('\n', '\r'));
            if (echo)
            {
                server.SendFromHandler(s.Peer, buf, off, n);
            }
        };
        server.AlertReceived += (s, level, description) =>
        {
            if (description != AlertDescription.CloseNotify)
            {
                Print(stdout, "alert " + s.Peer + " " + (level == 2 ? "fatal " : "warning ") + AlertDescription.Name(description));
            }
        };
        // The engine's own move report (RFC 9146 §6), before the record that moved the session.
        server.PeerMoved += (from, to) => Print(stdout, "moved " + from + " -> " + to + " (connection ID)");
        // The client is not told (RFC 4279 §2: its handshake fails as with a wrong key); the operator is.
        server.UnknownPskIdentity += s => Print(stdout, "unknown identity " + s.Peer + " '" + s.PskIdentityText() + "'");
        server.Closed += s =>
        {
            Print(stdout, "closed " + s.Peer + (s.Failure == DtlsFailure.None ? "" : " (" + s.Failure + (s.AlertDescription >= 0 ? " " + AlertDescription.Name(s.AlertDescription) : "") + ")"));
            Complete(s);
        };
        server.Start();
        Print(stdout, "listening " + server.LocalEndPoint);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            done.Set();
        };
        done.Wait();
        // Give the last close_notify / echo a moment to leave.
        Thread.Sleep(100);
        return ExitCodes.Ok;
    }

    private static void Print(TextWriter w, string line)
    {
        lock (w)
        {
            w.WriteLine(line);
            w.Flush();
        }
    }
}
