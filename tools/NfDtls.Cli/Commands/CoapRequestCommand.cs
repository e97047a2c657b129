using System.Text;
using NfDtls.Cli.Coap;
using NfDtls.Cli.Credentials;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;
using NfDtls.Desktop.Coap;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls;

namespace NfDtls.Cli.Commands;

/// <summary>
/// `nfdtls get|put|post|delete|observe|discover URI`: one CoAP request (or an observation) over coap:// or
/// coaps:// (DTLS PSK). The response code goes to stderr, the payload to stdout; exit 0 on 2.xx, 1 on 4.xx/5.xx
/// or a reset, 3 when the DTLS handshake fails, 4 on timeout.
/// </summary>
public sealed class CoapRequestCommand : ICommand
{
    public CommandSyntax Syntax { get; } = EcdheArguments.Declare(new CommandSyntax()
        .Values("--payload", "--payload-file", "--content-format", "--accept", "--block-size", "--timeout", "--count",
            "--psk-identity", "--psk-key", "--keylog", SettingsFileArguments.Flag, SessionFileArgument.Flag)
        .Switches("--non", "-v|--verbose")
        .Argument("URI"));

    public IReadOnlyList<string> Names { get; } = new[] { "get", "put", "post", "delete", "observe", "discover" };

    public string Summary => "CoAP request to a coap:// or coaps:// URI (observe: notifications; discover: /.well-known/core)";

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls " + name + " URI [--payload TEXT | --payload-file F] [--content-format N] [--accept N]");
        w.WriteLine("          [--block-size 16..1024] [--non] [--timeout S] [--count N] [--psk-identity ID --psk-key HEX]");
        w.WriteLine("          [--cert F --key F --ca F | --rpk --key F --trust-key F] [--suite psk|ecdhe]");
        w.WriteLine("          [--settings FILE] [--keylog FILE] [--session FILE] [-v]");
        w.WriteLine();
        w.WriteLine("  get|put|post|delete  send that method to URI; observe: GET with Observe (RFC 7641), print every");
        w.WriteLine("  notification; discover: GET /.well-known/core (RFC 6690) of URI's host, URI's query as filter");
        w.WriteLine();
        w.WriteLine("  URI                   coap://HOST[:PORT]/path?query (5683) or coaps://… (5684, DTLS 1.2: PSK or ECDHE-ECDSA)");
        w.WriteLine("  --payload TEXT        request body (UTF-8)");
        w.WriteLine("  --payload-file F      request body from a file ('-' for stdin)");
        w.WriteLine("  --content-format N    Content-Format of the body (0 text, 40 link, 42 octets, 50 json, 60 cbor, 110/112 senml)");
        w.WriteLine("  --accept N            Accept option");
        w.WriteLine("  --block-size N        block size for Block1/Block2 (16, 32, …, 1024; RFC 7959)");
        w.WriteLine("  --non                 send NON-confirmable instead of CON");
        w.WriteLine("  --timeout S           give up after S seconds (default 30; observe: stop after S seconds)");
        w.WriteLine("  --count N             observe: stop after N notifications (the first response counts)");
        w.WriteLine("  --psk-identity ID     coaps: PSK identity (text)");
        w.WriteLine("  --psk-key HEX         coaps: PSK, hex (1..64 bytes)");
        w.WriteLine(SettingsFileArguments.HelpLine + " (psk, rpk or x509)");
        EcdheArguments.PrintHelp(w, false);
        w.WriteLine("  --keylog FILE         coaps: append NSS key log lines (CLIENT_RANDOM) for Wireshark");
        w.WriteLine("  --session FILE        coaps: resume the DTLS session saved in FILE (if any), save the new one there");
        w.WriteLine("                        (mode 0600; stderr says `resumed` or `full handshake`)");
        w.WriteLine("  -v, --verbose         request/response and DTLS handshake log on stderr");
        w.WriteLine();
        w.WriteLine("exit: 0 2.xx, 1 4.xx/5.xx or reset, 2 usage, 3 DTLS handshake failed, 4 timeout");
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  nfdtls get coap://127.0.0.1/hello");
        w.WriteLine("  nfdtls put coap://127.0.0.1/store --payload 'hello' --content-format 0");
        w.WriteLine("  nfdtls post coap://[::1]:5683/counter --non");
        w.WriteLine("  nfdtls delete coap://127.0.0.1/store");
        w.WriteLine("  nfdtls put coap://127.0.0.1/files/big.bin --payload-file big.bin --block-size 256");
        w.WriteLine("  nfdtls observe coap://127.0.0.1/clock --count 5");
        w.WriteLine("  nfdtls discover 'coap://127.0.0.1/?rt=counter'");
        w.WriteLine("  nfdtls get coaps://127.0.0.1/hello --psk-identity device-1 --psk-key 00112233445566778899aabbccddeeff -v");
        w.WriteLine("  nfdtls get coaps://192.168.1.10/readings --settings fleet/nodes/node-001.settings --keylog keys.txt");
        w.WriteLine("  nfdtls get coaps://gateway.local/hello --cert node.pem --key node.key --ca ca.pem");
        w.WriteLine("  nfdtls get coaps://127.0.0.1/hello --rpk --key node.key --trust-key server-pub.pem");
    }

    public int Run(string name, ParsedArguments o)
    {
        var settings = SettingsFileArguments.Apply(o, false);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("needs a URI");
        }
        bool verbose = o.Has("-v") || o.Has("--verbose");
        Action<string>? log = verbose ? s => Console.Error.WriteLine("nfdtls: " + s) : null;
        CoapTarget target = CoapTarget.Parse(o.Positional[0]);
        string path = target.PathAndQuery;
        if (name == "discover")
        {
            int q = path.IndexOf('?');
            string p = q < 0 ? path : path[..q];
            if (p is "" or "/")
            {
                path = "/.well-known/core" + (q < 0 ? "" : path[q..]);
            }
        }
        byte[]? payload = null;
        if (o.Get("--payload") is string text)
        {
            payload = Encoding.UTF8.GetBytes(text);
        }
        if (o.Get("--payload-file") is string file)
        {
            if (payload != null)
            {
                throw new UsageException("give --payload or --payload-file, not both");
            }
            try
            {
                payload = file == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(file);
            }
            catch (IOException e)
            {
                throw new UsageException("cannot read " + file + ": " + e.Message);
            }
        }
        int blockSize = o.GetInt("--block-size", 0, 16, 1024);
        if (blockSize != 0 && BlockOption.SzxForSize(blockSize) < 0)
        {
            throw new UsageException("--block-size wants 16, 32, 64, 128, 256, 512 or 1024");
        }
        double timeoutSeconds = o.GetDouble("--timeout", name == "observe" ? 0 : 30);
        int count = o.GetInt("--count", 0, 1, int.MaxValue);
        if (count > 0 && name != "observe")
        {
            throw new UsageException("--count is for observe");
        }
        int method = name switch
        {
            "put" => CoapCode.Put,
            "post" => CoapCode.Post,
            "delete" => CoapCode.Delete,
            _ => CoapCode.Get,
        };
        var spec = new CoapRequestSpec
        {
            Method = method,
            PathAndQuery = path,
            Payload = payload,
            ContentFormat = o.GetInt("--content-format", -1, 0, 65535),
            Accept = o.GetInt("--accept", -1, 0, 65535),
            BlockSize = blockSize,
            Confirmable = !o.Has("--non"),
            UriHost = target.UriHost,
        };
        byte[]? identity = null;
        byte[]? key = null;
        string host = target.EndPoint.Address.ToString();
        if (target.UriHost != null)
        {
            host = target.UriHost;
        }
        EcdheCredentials? fileEcdhe = null;
        bool ecdhe = false;
        if (target.Secure)
        {
            fileEcdhe = EcdheArguments.Wanted(o) ? null : SettingsFileArguments.Ecdhe(settings, host);
            if (o.Has("--psk-key") || o.Has("--psk-identity") || !(EcdheArguments.Wanted(o) || fileEcdhe != null))
            {
                identity = Encoding.UTF8.GetBytes(o.Require("--psk-identity"));
                key = o.GetHex("--psk-key");
                if (key.Length < 1 || key.Length > 64)
                {
                    throw new UsageException("--psk-key wants 1 to 64 bytes of hex");
                }
            }
            ecdhe = EcdheArguments.Wanted(o) || fileEcdhe != null;
        }
        else if ((o.Has("--psk-identity") || o.Has("--psk-key")) && settings == null)
        {
            throw new UsageException("--psk-identity/--psk-key are for coaps:// URIs");
        }
        else if (EcdheArguments.Wanted(o))
        {
            throw new UsageException("--cert/--key/--ca/--rpk/--trust-key/--suite are for coaps:// URIs");
        }
        if (o.Has("--keylog") && !target.Secure)
        {
            throw new UsageException("--keylog is for coaps:// URIs");
        }
        if (o.Has(SessionFileArgument.Flag) && !target.Secure)
        {
            throw new UsageException(SessionFileArgument.Flag + " is for coaps:// URIs");
        }
        using NssKeyLogFile? keyLog = o.Get("--keylog") is string keyLogPath ? new NssKeyLogFile(keyLogPath) : null;
        // RFC 6347 §4.2.4.1's 1 s initial timer, as dtls-client/dtls-server use: this is a desktop on a real network
        // (RFC 7925's 9 s is for constrained links), and a peer that drops our Finished shows itself by repeating its
        // flight within the --timeout.
        var dtlsConfig = new DtlsConfig { KeyLog = keyLog, InitialRetransmitMs = 1000, SessionTickets = o.Has(SessionFileArgument.Flag) };
        if (dtlsConfig.SessionTickets)
        {
            dtlsConfig.FlightBufferSize += 1024; // room for the ticket in our ClientHello (peers' tickets: a few hundred bytes)
        }
        if (ecdhe && !EcdheArguments.Apply(o, dtlsConfig, false, key != null, host, fileEcdhe))
        {
            identity = null; // --suite ecdhe: PSK credentials (from a settings file) stay out of the offer
            key = null;
        }
        if (verbose)
        {
            dtlsConfig.Log = new TextLog(Console.Error, "nfdtls: dtls ");
        }
        return Execute(name, target, spec, identity, key, timeoutSeconds, count, log, dtlsConfig, o).GetAwaiter().GetResult();
    }

    private static async Task<int> Execute(string name, CoapTarget target, CoapRequestSpec spec, byte[]? identity, byte[]? key,
        double timeoutSeconds, int count, Action<string>? log, DtlsConfig dtlsConfig, ParsedArguments o)
    {
        var config = new CoapConfig { BlockBufferSize = 4 * 1024 * 1024, ResponseTimeoutMs = 120_000 };
        using var cts = timeoutSeconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds)) : new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        CoapClient client;
        try
        {
            if (target.Secure)
            {
                log?.Invoke("DTLS handshake with " + target.EndPoint);
                client = await CoapClient.ConnectSecureAsync(target.EndPoint, identity, key, TimeSpan.FromSeconds(timeoutSeconds > 0 ? timeoutSeconds : 30), config, dtlsConfig, log,
                                                             SessionFileArgument.Load(o, name));
                if (o.Has(SessionFileArgument.Flag))
                {
                    SessionFileArgument.Report(client.WasResumed);
                    SessionFileArgument.Save(o, name, client.SaveResumption());
                }
            }
            else
            {
                client = CoapClient.Connect(target.EndPoint, config);
                client.Log = log;
            }
        }
        catch (CoapHandshakeException e)
        {
            Console.Error.WriteLine("nfdtls " + name + ": " + e.Message);
            return e.NoAnswer ? ExitCodes.Timeout : ExitCodes.HandshakeFailed;
        }
        using (client)
        {
            try
            {
                if (name == "observe")
                {
                    return await Observe(client, spec, count, cts, log);
                }
                CoapResult r = await client.SendAsync(spec, cts.Token);
                Print(r);
                return r.IsSuccess ? ExitCodes.Ok : ExitCodes.Failure;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("nfdtls " + name + ": no response within " + timeoutSeconds + " s");
                return ExitCodes.Timeout;
            }
            catch (CoapFailureException e)
            {
                Console.Error.WriteLine("nfdtls " + name + ": " + CoapFailure.ToText(e.Reason));
                return e.Reason == CoapFailure.Timeout ? ExitCodes.Timeout : ExitCodes.Failure;
            }
        }
    }

    private static async Task<int> Observe(CoapClient client, CoapRequestSpec spec, int count, CancellationTokenSource cts, Action<string>? log)
    {
        int seen = 0;
        int lastCode = 0;
        var stop = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, stop.Token);
        CoapResult? last = await client.ObserveAsync(spec, r =>
        {
            seen++;
            lastCode = r.Code;
            log?.Invoke("notification " + seen + (r.Observe >= 0 ? " (Observe " + r.Observe + ")" : " (not observing)"));
            Print(r);
            Console.Out.WriteLine();
            Console.Out.Flush();
            return count == 0 || seen < count;
        }, linked.Token);
        if (last == null)
        {
            Console.Error.WriteLine("nfdtls observe: no response");
            return ExitCodes.Timeout;
        }
        if (!CoapCode.IsSuccess(lastCode == 0 ? last.Code : lastCode))
        {
            return ExitCodes.Failure;
        }
        if (count > 0 && seen < count)
        {
            Console.Error.WriteLine("nfdtls observe: " + seen + " of " + count + " notifications before the timeout");
            return ExitCodes.Timeout;
        }
        return ExitCodes.Ok;
    }

    private static void Print(CoapResult r)
    {
        Console.Error.WriteLine(r.CodeText + " " + CodeName(r.Code) + (r.ContentFormat >= 0 ? " (content-format " + r.ContentFormat + ")" : ""));
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(r.Payload, 0, r.Payload.Length);
        stdout.Flush();
    }

    private static string CodeName(int code) => code switch
    {
        CoapCode.Created => "Created",
        CoapCode.Deleted => "Deleted",
        CoapCode.Valid => "Valid",
        CoapCode.Changed => "Changed",
        CoapCode.Content => "Content",
        CoapCode.Continue => "Continue",
        CoapCode.BadRequest => "Bad Request",
        CoapCode.Unauthorized => "Unauthorized",
        CoapCode.BadOption => "Bad Option",
        CoapCode.Forbidden => "Forbidden",
        CoapCode.NotFound => "Not Found",
        CoapCode.MethodNotAllowed => "Method Not Allowed",
        CoapCode.NotAcceptable => "Not Acceptable",
        CoapCode.RequestEntityIncomplete => "Request Entity Incomplete",
        CoapCode.PreconditionFailed => "Precondition Failed",
        CoapCode.RequestEntityTooLarge => "Request Entity Too Large",
        CoapCode.UnsupportedContentFormat => "Unsupported Content-Format",
        CoapCode.InternalServerError => "Internal Server Error",
        CoapCode.NotImplemented => "Not Implemented",
        CoapCode.ServiceUnavailable => "Service Unavailable",
        CoapCode.GatewayTimeout => "Gateway Timeout",
        _ => "",
    };

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
