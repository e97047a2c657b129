using System.Globalization;
using System.Net;
using NfDtls.Cli.Credentials;
using NfDtls.Desktop.Dtls;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Mqtt;
using NfDtls.Desktop.Net;
using NfDtls.Desktop.Provisioning;

namespace NfDtls.Cli.Commands;

/// <summary>`nfdtls gateway`: the sensor gateway on a real UDP socket (CoAP over DTLS in, readings out).</summary>
public sealed class GatewayCommand : ICommand
{
    public IReadOnlyList<string> Names => new[] { "gateway" };

    public string Summary => "sensor gateway: nodes push SenML over CoAP/DTLS, readings printed or sent to MQTT";

    public CommandSyntax Syntax { get; } = new CommandSyntax()
        .Values("--credentials", "--listen", "--mqtt", "--keylog", "--sessions", "--for", "--session-cache", ConnectionIdArgument.Flag, TicketKeysArgument.Flag)
        .Switches("--quiet|-q", "-v|--verbose", "--no-tickets", TicketKeysArgument.Off);

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls gateway --credentials gateway.json [--listen HOST:PORT] [--mqtt HOST:PORT] [--quiet] [-v]");
        w.WriteLine("                      [--sessions N] [--cid LENGTH] [--keylog FILE] [--for SECONDS] [--session-cache N] [--no-tickets]");
        w.WriteLine("                      [--ticket-keys FILE | --no-ticket-keys]");
        w.WriteLine();
        w.WriteLine("Authenticates each node as the credentials file (written by `nfdtls provision`) says: PSK identity, raw");
        w.WriteLine("public key (rpk), or certificate from the fleet CA (x509; the gateway presents its own CA-signed one),");
        w.WriteLine("accepts SenML JSON readings on POST coaps://HOST/readings, drops resent samples, and hands every reading");
        w.WriteLine("on: printed one per line (default), and with --mqtt published to the broker on nfdtls/<node>/readings.");
        w.WriteLine("Unknown identities, keys and certificates are refused and printed. Each session gets a Connection ID");
        w.WriteLine("(RFC 9146) unless --cid 0: a node whose address or port changes behind a NAT keeps its session. Ctrl-C");
        w.WriteLine("stops and prints a summary. Nodes resume their sessions (RFC 5077 tickets, session IDs); the ticket keys");
        w.WriteLine("are kept in a file (default: gateway.ticket-keys beside the credentials file, mode 0600), so nodes still");
        w.WriteLine("resume after the gateway restarts.");
        w.WriteLine();
        w.WriteLine("  --credentials FILE    gateway.json: node ids and their PSKs, keys or certificates (secrets: keep it private)");
        w.WriteLine("  --listen HOST:PORT    address to bind (default 0.0.0.0:5684, the CoAPS port; port 0 picks one)");
        w.WriteLine("  --mqtt HOST:PORT      publish readings to this MQTT broker (QoS 1, one topic per node)");
        w.WriteLine("  --quiet, -q           do not print each reading");
        w.WriteLine("  --sessions N          DTLS sessions held at once (default: nodes in the file + 16)");
        w.WriteLine("  --session-cache N     session resumption by session ID, N entries (default 256; 0: off)");
        w.WriteLine("  --no-tickets          no RFC 5077 session tickets (on by default)");
        w.WriteLine("  --ticket-keys FILE    where the ticket keys are kept across restarts (written at start, on each key");
        w.WriteLine("                        rotation and at stop; default: gateway.ticket-keys beside --credentials)");
        w.WriteLine("  --no-ticket-keys      keep no ticket keys: a restart makes new ones, nodes do full handshakes");
        w.WriteLine(ConnectionIdArgument.HelpLine(GatewayOptions.DefaultConnectionIdLength));
        w.WriteLine("  --keylog FILE         append NSS key log lines for Wireshark (debugging only)");
        w.WriteLine("  -v, --verbose         DTLS handshake and CoAP log on stderr");
        w.WriteLine("  --for SECONDS         stop after this long (scripts, tests)");
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  nfdtls provision --nodes 3 --gateway-host 192.168.1.10 --out fleet/");
        w.WriteLine("  nfdtls gateway --credentials fleet/gateway.json");
        w.WriteLine("  nfdtls gateway --credentials fleet/gateway.json --listen 0.0.0.0:5684 --mqtt 127.0.0.1:1883 --quiet");
        w.WriteLine("  nfdtls gateway --credentials fleet/gateway.json --cid 0     # no Connection IDs");
        w.WriteLine("  mosquitto_sub -t 'nfdtls/+/readings' -v     # what the gateway publishes");
    }

    public int Run(string name, ParsedArguments o)
    {
        GatewayCredentials credentials;
        try
        {
            credentials = GatewayCredentials.Load(o.Require("--credentials"));
        }
        catch (GatewayCredentialsException e)
        {
            throw new UsageException("--credentials: " + e.Message);
        }
        catch (IOException e)
        {
            throw new UsageException("--credentials: " + e.Message);
        }
        var listen = o.Get("--listen") is string l ? EndPointArgument.Parse(l, "--listen") : new IPEndPoint(IPAddress.Any, credentials.Port);
        int sessions = o.GetInt("--sessions", credentials.Nodes.Count + 16, 1, 1_000_000);
        int cid = ConnectionIdArgument.Get(o, GatewayOptions.DefaultConnectionIdLength);
        if (cid > 0 && sessions > 0x10000)
        {
            throw new UsageException("--sessions: Connection IDs name at most 65536 sessions (or --cid 0)");
        }
        double seconds = o.GetDouble("--for", 0);
        bool quiet = o.Has("--quiet") || o.Has("-q");
        bool tickets = !o.Has("--no-tickets");
        TicketKeysArgument.RequireTickets(o, tickets, "tickets (drop --no-tickets)");
        if (o.Get(TicketKeysArgument.Flag) != null && o.Has(TicketKeysArgument.Off))
        {
            throw new UsageException(TicketKeysArgument.Flag + " and " + TicketKeysArgument.Off + " exclude each other");
        }
        string? ticketKeys = !tickets || o.Has(TicketKeysArgument.Off) ? null
            : o.Get(TicketKeysArgument.Flag) ?? TicketKeysArgument.DefaultBeside(o.Require("--credentials"));

        var stdout = TextWriter.Synchronized(Console.Out);
        var memory = new MemoryReadingSink(quiet ? null : stdout, 1000);
        MqttReadingForwarder? mqtt = null;
        if (o.Get("--mqtt") is string broker)
        {
            try
            {
                mqtt = new MqttReadingForwarder(MqttForwarderOptions.Parse(broker), Console.Error).Start();
            }
            catch (FormatException e)
            {
                throw new UsageException("--mqtt: " + e.Message);
            }
        }
        using NssKeyLogFile? keyLog = o.Get("--keylog") is string path ? new NssKeyLogFile(path) : null;
        using var host = new UdpEndpointHost(listen, 65535);
        var gateway = new SensorGateway(credentials, new GatewayOptions
        {
            SessionCapacity = sessions,
            SessionCacheSize = o.GetInt("--session-cache", 256, 0, 1_000_000),
            SessionTickets = tickets,
            ConnectionIdLength = cid,
            KeyLog = keyLog,
            Log = o.Has("-v") || o.Has("--verbose") ? new TextLog(Console.Error, "gateway: ") : NfDtls.Diagnostics.NullLog.Instance,
            Sink = mqtt != null ? new TeeReadingSink(memory, mqtt) : memory,
        }, host);
        gateway.IdentityRefused = identity => stdout.WriteLine("refused unknown identity '" + identity + "'");
        // Loaded before the first datagram; written now, on each key rotation and at the end (clean stop).
        using var keptKeys = TicketKeysArgument.Open(ticketKeys, gateway.Dtls, host.Invoke, name);
        host.Start(gateway);
        stdout.WriteLine("gateway listening on " + host.LocalEndPoint + ", " + credentials.Nodes.Count.ToString(CultureInfo.InvariantCulture)
            + " nodes known" + (mqtt != null ? ", publishing to MQTT " + o.Get("--mqtt") : ""));

        using var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        stop.Wait(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan);

        string summary = host.Invoke(_ => "gateway: " + gateway.HandshakesCompleted.ToString(CultureInfo.InvariantCulture) + " handshakes, "
            + gateway.ReadingsAccepted.ToString(CultureInfo.InvariantCulture) + " samples accepted ("
            + memory.Total.ToString(CultureInfo.InvariantCulture) + " readings), "
            + gateway.ReadingsDuplicate.ToString(CultureInfo.InvariantCulture) + " resent samples dropped, "
            + gateway.RefusedHandshakes.ToString(CultureInfo.InvariantCulture) + " handshakes refused");
        if (mqtt != null)
        {
            mqtt.FlushAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            summary += ", " + mqtt.Published.ToString(CultureInfo.InvariantCulture) + " published to MQTT";
            mqtt.Dispose();
        }
        stdout.WriteLine(summary);
        return ExitCodes.Ok;
    }
}
