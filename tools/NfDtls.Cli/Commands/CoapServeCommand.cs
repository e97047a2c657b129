using System.Net;
using System.Text;
using NfDtls.Cli.Credentials;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap;
using NfDtls.Desktop.Coap.Resources;
using NfDtls.Desktop.Coap;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;

namespace NfDtls.Cli.Commands;

/// <summary>
/// `nfdtls serve`: a small CoAP server (coap://, or coaps:// with a PSK, a certificate or a raw public key) with /.well-known/core, /hello, a large
/// /large (block-wise), observable /counter and /clock (notified every second), a read-write /store and, with
/// --dir, the files of a directory under /files.
/// </summary>
public sealed class CoapServeCommand : ICommand
{
    public CommandSyntax Syntax { get; } = EcdheArguments.Declare(new CommandSyntax()
        .Values("--listen", "--psk-identity", "--psk-key", "--dir", "--block-size", "--interval", "--keylog", "--session-cache", GatewayCredentialsArguments.Flag, TicketKeysArgument.Flag)
        .Switches("--coaps", "--tickets", "-v|--verbose"));

    public IReadOnlyList<string> Names { get; } = new[] { "serve" };

    public string Summary => "a small CoAP server: discovery, block-wise, observable /counter and /clock, files of a directory";

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls serve [--listen HOST:PORT] [--coaps --psk-identity ID --psk-key HEX] [--dir D] [--block-size N] [-v]");
        w.WriteLine("                    [--coaps --credentials gateway.json] [--keylog FILE] [--interval MS]");
        w.WriteLine("                    [--coaps --tickets [--ticket-keys FILE]] [--coaps --session-cache N]");
        w.WriteLine("                    [--coaps --cert F --key F [--ca F --require-client-auth]]");
        w.WriteLine("                    [--coaps --rpk --key F [--trust-key F --require-client-auth]]");
        w.WriteLine();
        w.WriteLine("  --listen HOST:PORT    where to listen (default 0.0.0.0:5683, with --coaps 0.0.0.0:5684)");
        w.WriteLine("  --coaps               serve coaps:// (DTLS 1.2, TLS_PSK_WITH_AES_128_CCM_8) with the PSK below");
        w.WriteLine("  --psk-identity ID     the PSK identity clients must present (text)");
        w.WriteLine("  --psk-key HEX         PSK, hex (1..64 bytes)");
        EcdheArguments.PrintHelp(w, true);
        w.WriteLine(GatewayCredentialsArguments.HelpLine);
        w.WriteLine("  --keylog FILE         --coaps: append NSS key log lines (CLIENT_RANDOM) for Wireshark");
        w.WriteLine("  --tickets             --coaps: DTLS session resumption with RFC 5077 tickets");
        w.WriteLine("  --ticket-keys FILE    --tickets: keep the ticket keys in FILE (mode 0600) so a restart still resumes clients");
        w.WriteLine("  --session-cache N     --coaps: DTLS session resumption by session ID, N cache entries");
        w.WriteLine("  --dir D               serve the files of D under /files/NAME (GET, PUT, DELETE; GET /files lists)");
        w.WriteLine("  --block-size N        largest block sent (16..1024, default 1024; 512 under DTLS)");
        w.WriteLine("  --interval MS         notification period of /counter and /clock (default 1000)");
        w.WriteLine("  -v, --verbose         log requests (and with --coaps the DTLS handshakes) on stderr");
        w.WriteLine();
        w.WriteLine("resources: /.well-known/core, /hello, /large, /counter (obs; POST increments), /clock (obs), /store (GET PUT POST DELETE)");
        w.WriteLine("runs until Ctrl+C. examples:");
        w.WriteLine("  nfdtls serve --listen 127.0.0.1:5683 --dir ./shared");
        w.WriteLine("  nfdtls serve --coaps --psk-identity device-1 --psk-key 00112233445566778899aabbccddeeff");
        w.WriteLine("  nfdtls serve --coaps --credentials fleet/gateway.json --keylog keys.txt -v");
        w.WriteLine("  nfdtls serve --coaps --cert server.pem --key server.key --ca ca.pem --require-client-auth");
        w.WriteLine("  nfdtls serve --coaps --rpk --key server.key --trust-key client-pub.pem --require-client-auth");
        w.WriteLine("  coap-client-gnutls -m get coap://127.0.0.1/.well-known/core");
    }

    public int Run(string name, ParsedArguments o)
    {
        var file = GatewayCredentialsArguments.Load(o);
        bool secure = o.Has("--coaps");
        IPEndPoint bind = EndPointArgument.Parse(o.Get("--listen") ?? (secure ? "0.0.0.0:5684" : "0.0.0.0:5683"), "--listen");
        int blockSize = o.GetInt("--block-size", 1024, 16, 1024);
        if (BlockOption.SzxForSize(blockSize) < 0)
        {
            throw new UsageException("--block-size wants 16, 32, 64, 128, 256, 512 or 1024");
        }
        int interval = o.GetInt("--interval", 1000, 10, 3_600_000);
        bool verbose = o.Has("-v") || o.Has("--verbose");
        TicketKeysArgument.RequireTickets(o, secure && o.Has("--tickets"), "--coaps --tickets");
        PskTable? keys = null;
        if (secure)
        {
            byte[]? identity = null;
            byte[]? key = null;
            if (o.Has("--psk-identity") || o.Has("--psk-key") || (file == null && !EcdheArguments.Wanted(o)))
            {
                identity = Encoding.UTF8.GetBytes(o.Require("--psk-identity"));
                key = o.GetHex("--psk-key");
                if (key.Length < 1 || key.Length > 64)
                {
                    throw new UsageException("--psk-key wants 1 to 64 bytes of hex");
                }
            }
            keys = GatewayCredentialsArguments.Keys(file, identity, key);
        }
        else if (o.Has("--psk-identity") || o.Has("--psk-key") || file != null || o.Has("--keylog") || EcdheArguments.Wanted(o) || o.Has("--require-client-auth")
                 || o.Has("--tickets") || o.Has("--session-cache"))
        {
            throw new UsageException("--psk-identity/--psk-key/--credentials/--keylog/--tickets/--session-cache and the certificate options need --coaps");
        }
        using NssKeyLogFile? keyLog = o.Get("--keylog") is string keyLogPath ? new NssKeyLogFile(keyLogPath) : null;
        // RFC 6347 §4.2.4.1's 1 s initial timer, as dtls-client/dtls-server use: this is a desktop on a real network
        // (RFC 7925's 9 s is for constrained links), and a peer that drops our Finished shows itself by repeating its
        // flight within the --timeout.
        var dtlsConfig = new DtlsConfig
        {
            KeyLog = keyLog,
            InitialRetransmitMs = 1000,
            SessionTickets = o.Has("--tickets"),
            SessionCacheSize = o.GetInt("--session-cache", 0, 0, 1_000_000),
        };
        if (secure && (EcdheArguments.Wanted(o) || o.Has("--require-client-auth")))
        {
            // TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7925 §4.4) next to PSK when PSK credentials were given too.
            if (!EcdheArguments.Apply(o, dtlsConfig, true, keys != null, null))
            {
                keys = null;
            }
            keys ??= new PskTable(1);
        }
        if (verbose)
        {
            dtlsConfig.Log = new TextLog(Console.Error, "nfdtls serve: dtls ");
        }
        var config = new CoapConfig
        {
            BlockSize = blockSize,
            BlockBufferSize = 4 * 1024 * 1024,
            BlockBufferCount = 4,
            ObserverCapacity = 64,
            DedupCapacity = 256,
            ResponseCacheBytes = 64 * 1024,
            ServerTransmitCapacity = 16,
            ResponseBufferSize = 4096, // also the /.well-known/core document
            Log = verbose ? new ConsoleLog() : NfDtls.Diagnostics.NullLog.Instance,
        };
        using var server = new CoapServerHost(bind, config, keys, dtlsConfig);
        var counter = new CounterResource("counter");
        var clock = new ClockResource("clock");
        counter.Changed = () => { };
        server.AddResource(new TextResource("hello", "Hello from nfdtls", "greeting"));
        server.AddResource(new LargeResource("large"));
        server.AddResource(counter);
        server.AddResource(clock);
        server.AddResource(new StoreResource("store"));
        if (o.Get("--dir") is string dir)
        {
            if (!Directory.Exists(dir))
            {
                throw new UsageException("--dir: no directory " + dir);
            }
            server.AddResource(new DirectoryResource("files", dir));
        }
        using var keptKeys = server.Dtls != null ? TicketKeysArgument.Open(o.Get(TicketKeysArgument.Flag), server.Dtls, server.Invoke, name) : null;
        server.Start();
        Console.Error.WriteLine("nfdtls serve: listening on " + (secure ? "coaps://" : "coap://") + server.LocalEndPoint);
        using var done = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.Set(); };
        while (!done.Wait(interval))
        {
            counter.Increment();
            int n = server.Notify(counter) + server.Notify(clock);
            if (verbose && n > 0)
            {
                Console.Error.WriteLine("nfdtls serve: " + n + " notifications");
            }
        }
        return ExitCodes.Ok;
    }

    private sealed class ConsoleLog : NfDtls.Diagnostics.ILog
    {
        public bool Enabled => true;
        public void Write(string message) => Console.Error.WriteLine("nfdtls serve: " + message);
    }
}
