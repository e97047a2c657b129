using System.Text;
using NfDtls.Cli.Credentials;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;

namespace NfDtls.Cli.Commands;

/// <summary>`nfdtls dtls-client`: a DTLS 1.2 PSK client (TLS_PSK_WITH_AES_128_CCM_8) against any server.</summary>
public sealed class DtlsClientCommand : ICommand
{
    public IReadOnlyList<string> Names => new[] { "dtls-client" };

    public string Summary => "DTLS 1.2 client (PSK or ECDHE-ECDSA, CCM_8): send text, print what comes back";

    public CommandSyntax Syntax { get; } = EcdheArguments.Declare(new CommandSyntax()
        .Values("--connect", "--psk-identity", "--psk-key", "--send", "--timeout", "--keylog", SettingsFileArguments.Flag,
            SessionFileArgument.Flag)
        .Switches("-v|--verbose"));

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls dtls-client --connect HOST:PORT --psk-identity ID --psk-key HEX [--send TEXT] [--timeout SECONDS]");
        w.WriteLine("                          [-v] [--keylog FILE] [--session FILE]");
        w.WriteLine("       nfdtls dtls-client --connect HOST:PORT --ca FILE [--cert FILE --key FILE] [--server-name NAME] ...");
        w.WriteLine("       nfdtls dtls-client --connect HOST:PORT --rpk --trust-key FILE [--key FILE] ...");
        w.WriteLine("       nfdtls dtls-client --settings NODE.settings [--connect HOST:PORT] ...");
        w.WriteLine();
        w.WriteLine("Handshakes DTLS 1.2 with TLS_PSK_WITH_AES_128_CCM_8, sends TEXT as one application record (or each line");
        w.WriteLine("of stdin, newline included, as one record), prints every record received on stdout and the negotiated");
        w.WriteLine("suite on stderr.");
        w.WriteLine("Exits 0 after at least one record came back or the server closed cleanly.");
        w.WriteLine();
        w.WriteLine("  --connect HOST:PORT   server address");
        w.WriteLine("  --psk-identity ID     PSK identity (text)");
        w.WriteLine("  --psk-key HEX         PSK, hex (1..64 bytes)");
        w.WriteLine("  --send TEXT           send TEXT once (default: read lines from stdin)");
        w.WriteLine("  --timeout SECONDS     handshake and reply timeout (default 10)");
        w.WriteLine("  -v                    readable handshake log on stderr");
        w.WriteLine("  --keylog FILE         append NSS key log lines (CLIENT_RANDOM) for Wireshark");
        w.WriteLine(SessionFileArgument.HelpLine);
        w.WriteLine("                        (stderr says `resumed` or `full handshake`; session IDs and tickets, RFC 5077)");
        w.WriteLine(SettingsFileArguments.HelpLine + " (also gives --connect)");
        EcdheArguments.PrintHelp(w, false);
        w.WriteLine();
        w.WriteLine("exit codes: 0 ok, 2 usage, 3 handshake failed (alert, wrong key), 4 timeout");
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  nfdtls dtls-client --connect 127.0.0.1:5684 --psk-identity device-1 --psk-key 00112233445566778899aabbccddeeff --send hello");
        w.WriteLine("  echo hi | nfdtls dtls-client --connect [::1]:4433 --psk-identity Client_identity --psk-key 1a2b3c4d -v");
        w.WriteLine("  nfdtls dtls-client --connect localhost:4433 --ca ca.pem --cert client.pem --key client.key --send hello");
        w.WriteLine("  nfdtls dtls-client --connect 127.0.0.1:4433 --rpk --trust-key server.pub --key client.key --send hello");
        w.WriteLine("  nfdtls dtls-client --settings fleet/nodes/node-001.settings --connect 127.0.0.1:5684 --send hello");
        w.WriteLine("  nfdtls dtls-client --connect 127.0.0.1:5684 --psk-identity device-1 --psk-key 0011... --session s.bin --send hi");
    }

    public int Run(string name, ParsedArguments o)
    {
        var settings = SettingsFileArguments.Apply(o, true);
        var server = EndPointArgument.Parse(o.Require("--connect"), "--connect");
        byte[]? identity = null;
        byte[]? key = null;
        string connectText = o.Require("--connect");
        string host = connectText.StartsWith('[') ? connectText[1..connectText.IndexOf(']')] : connectText[..connectText.LastIndexOf(':')];
        var fileEcdhe = EcdheArguments.Wanted(o) ? null : SettingsFileArguments.Ecdhe(settings, host);
        if (o.Has("--psk-key") || o.Has("--psk-identity") || !(EcdheArguments.Wanted(o) || fileEcdhe != null))
        {
            identity = Encoding.UTF8.GetBytes(o.Require("--psk-identity"));
            key = o.GetHex("--psk-key");
            if (key.Length == 0 || key.Length > 64)
            {
                throw new UsageException("--psk-key wants 1 to 64 bytes of hex");
            }
        }
        double timeoutSeconds = o.GetDouble("--timeout", 10);
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        string? text = o.Get("--send");

        DtlsConfig config = DtlsUdpClient.DefaultConfig();
        if (!EcdheArguments.Apply(o, config, false, key != null, host, fileEcdhe))
        {
            identity = null;
            key = null;
        }
        if (o.Has("-v") || o.Has("--verbose"))
        {
            config.Log = new TextLog(Console.Error);
        }
        using NssKeyLogFile? keyLog = o.Get("--keylog") is string path ? new NssKeyLogFile(path) : null;
        config.KeyLog = keyLog;
        byte[]? resumption = SessionFileArgument.Load(o, name);
        if (o.Has(SessionFileArgument.Flag))
        {
            config.SessionTickets = true; // RFC 5077 §3.2: ask for a ticket (the server may give a session ID instead)
            config.FlightBufferSize += 1024; // room for the ticket in our ClientHello (peers' tickets: a few hundred bytes)
        }

        using var client = new DtlsUdpClient(server, identity!, key!, config);
        if (resumption != null && !client.LoadResumption(resumption))
        {
            Console.Error.WriteLine("nfdtls " + name + ": " + SessionFileArgument.Flag + ": not a saved session (full handshake)");
        }
        var stdout = Console.Out;
        client.DataReceived += data =>
        {
            lock (stdout)
            {
                string text = Encoding.UTF8.GetString(data);
                stdout.Write(text.EndsWith('\n') ? text : text + "\n");
                stdout.Flush();
            }
        };
        if (!client.Connect(timeout))
        {
            return Failed(client.Session);
        }
        Console.Error.WriteLine("suite " + CipherSuite.Name(client.Session.CipherSuite));
        if (o.Has(SessionFileArgument.Flag))
        {
            SessionFileArgument.Report(client.Session.WasResumed);
            SessionFileArgument.Save(o, name, client.SaveResumption());
        }

        int received = 0;
        if (text != null)
        {
            client.Send(Encoding.UTF8.GetBytes(text));
        }
        else
        {
            string? line;
            while ((line = Console.In.ReadLine()) != null && client.IsConnected)
            {
                client.Send(Encoding.UTF8.GetBytes(line + "\n")); // a line, as s_client and gnutls-cli send it
                while (client.Receive(TimeSpan.Zero) != null)
                {
                    received++;
                }
            }
        }
        // Wait for the first record back (or the server's close).
        var deadline = DateTime.UtcNow + timeout;
        while (received == 0 && DateTime.UtcNow < deadline)
        {
            if (client.Receive(TimeSpan.FromMilliseconds(100)) != null)
            {
                received++;
            }
            else if (!client.Session.IsActive)
            {
                break;
            }
        }
        // A short grace for records that follow the first.
        while (received > 0 && client.Receive(TimeSpan.FromMilliseconds(200)) != null)
        {
            received++;
        }
        DtlsSessionState state = client.Session.State;
        if (client.Session.IsActive)
        {
            client.Close();
        }
        if (received > 0 || (state == DtlsSessionState.Closed))
        {
            return ExitCodes.Ok;
        }
        if (state == DtlsSessionState.Failed)
        {
            return Failed(client.Session);
        }
        Console.Error.WriteLine("nfdtls dtls-client: no record came back within " + timeoutSeconds + " s");
        return ExitCodes.Timeout;
    }

    private static int Failed(DtlsSession s)
    {
        switch (s.Failure)
        {
            case DtlsFailure.PeerAlert:
                Console.Error.WriteLine("nfdtls dtls-client: handshake failed: server sent alert " + AlertDescription.Name(s.AlertDescription));
                return ExitCodes.HandshakeFailed;
            case DtlsFailure.LocalAlert:
                Console.Error.WriteLine("nfdtls dtls-client: handshake failed: " + AlertDescription.Name(s.AlertDescription));
                return ExitCodes.HandshakeFailed;
            default:
                if (s.LikelyWrongPsk)
                {
                    // A PSK handshake whose server answered every flight but never accepted our Finished: servers drop
                    // a Finished they cannot authenticate (RFC 6347 §4.1.2.7) and repeat their flight instead.
                    Console.Error.WriteLine("nfdtls dtls-client: handshake failed: the server kept answering but never accepted our Finished (wrong PSK for this identity?)");
                    return ExitCodes.HandshakeFailed;
                }
                if (s.PeerRepeatedItsFlightAfterOurFinished)
                {
                    Console.Error.WriteLine("nfdtls dtls-client: handshake failed: the server kept repeating its flight and never accepted ours (our certificate or key refused?)");
                    return ExitCodes.HandshakeFailed;
                }
                if (s.WaitingForPeerFinished)
                {
                    // Silence after our Finished: a peer that drops a Finished it cannot authenticate and never repeats
                    // its flight (GnuTLS) looks exactly like a link that failed, so no key is blamed.
                    Console.Error.WriteLine("nfdtls dtls-client: handshake timed out waiting for the server's Finished (it answered every flight before)");
                    return ExitCodes.Timeout;
                }
                Console.Error.WriteLine("nfdtls dtls-client: handshake timed out (" + s.HandshakeStep + ", no answer from the server)");
                return ExitCodes.Timeout;
        }
    }
}
