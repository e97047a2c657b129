using System.Globalization;

namespace NfDtls.Sim;

/// <summary>
/// Flags → <see cref="SimConfig"/>: `--config file.json` is read first, then every other flag overrides its field.
/// A bad flag value is a <see cref="SimConfigException"/> naming the field, like a bad file value.
/// </summary>
public static class SimCommandLine
{
    public const string Help = """
        nf-dtls fleet simulator: sensor nodes (the same node code the boards run) push SenML readings over CoAP/DTLS
        to a gateway, on a seeded virtual network (default) or real loopback UDP (--udp).

        usage: dotnet run -c Release --project tools/NfDtls.Sim -- [options]

        fleet
          --config FILE          JSON config (fields as below, camelCase; flags override it)
          --nodes N              fleet size (default 200)
          --credentials MIX      share per kind: psk=1 (default) or psk=0.5,rpk=0.5 (rpk: ECDHE-ECDSA, RFC 7250 keys;
                                 x509: ECDHE-ECDSA with certificates from the fleet CA)
          --unknown N            nodes whose identity the gateway does not know (refused, reported)
          --period D             reading period, e.g. 60s, 1m (default 60s)
          --con | --non          confirmable (default) or non-confirmable readings
          --duration D           simulated time, e.g. 90s, 15m, 1h (default 1h)
          --seed N               seed for the network, the nodes' randomness and start times (default 1)
          --no-cid | --cid       Connection IDs (RFC 9146) off, or on (default): the gateway issues one per session
                                 and nodes put it in their records, so a NAT rebinding does not cost a handshake
        network
          --network NAME         perfect | lan | lossy (default) | bad | custom
          --loss P  --dup P  --reorder P   probabilities 0..1, override the profile
          --latency MS  --jitter MS  --mtu BYTES
          --partition AT:FOR:NODES   e.g. 10m:2m:0-49 (repeatable; NODES = all, 7 or a-b)
          --reboot AT:NODES          e.g. 20m:3 (repeatable)
          --gateway-restart AT:DOWN  e.g. 30m:10s (repeatable); the new gateway loads the session-ticket keys the
                                     old one saved, so nodes resume (RFC 5077) instead of a full handshake
          --gateway-restart-new-keys a restarted gateway starts with new ticket keys: every node does a full handshake
          --reboot-keeps-session     a rebooted node keeps its resumable session (RTC memory or flash) and resumes;
                                     by default a reboot loses RAM and the node does a full handshake
          --nat-rebind RATE | AT:NODES   a NAT gives nodes a new source port: RATE times per node per hour at
                                 random (seeded), e.g. 2; or at AT for NODES, e.g. 20m:0-49 (repeatable)
        output
          --plot FILE.png        chart of the run: readings, latency, handshakes, faults (FILE.svg: SVG)
          --pcap FILE.pcap       every datagram, virtual timestamps (Wireshark: decode port 5684 as DTLS)
          --keylog FILE          NSS key log so Wireshark/tshark decrypt the pcap (tls.keylog_file)
          --report FILE          also write the summary to FILE
          --mqtt HOST:PORT       the gateway publishes readings to this MQTT broker (topic per node)
          --udp                  real sockets on 127.0.0.1 in real time (duration is wall time then)
          --quiet                no progress line
          --help

        examples
          dotnet run -c Release --project tools/NfDtls.Sim
          dotnet run -c Release --project tools/NfDtls.Sim -- --nodes 1000 --duration 1h --network bad --plot fleet.png
          dotnet run -c Release --project tools/NfDtls.Sim -- --nodes 5 --duration 2m --pcap sim.pcap --keylog keys.txt
            tshark -r sim.pcap -o tls.keylog_file:keys.txt -Y coap
          dotnet run -c Release --project tools/NfDtls.Sim -- --non --loss 0.2 --reboot 30m:0-9 --gateway-restart 40m:15s
          dotnet run -c Release --project tools/NfDtls.Sim -- --nat-rebind 2 --plot rebinds.png
          dotnet run -c Release --project tools/NfDtls.Sim -- --nat-rebind 2 --no-cid
          dotnet run -c Release --project tools/NfDtls.Sim -- --udp --nodes 20 --duration 30s --period 2s
        exit codes: 0 ran (the report says how it went), 2 bad flag or config
        """;

    private static readonly string[] Switches =
    {
        "--con", "--non", "--cid", "--no-cid", "--udp", "--quiet", "--help", "-h", "--gateway-restart-new-keys",
        "--reboot-keeps-session",
    };

    private static readonly string[] Values =
    {
        "--config", "--nodes", "--credentials", "--unknown", "--period", "--duration", "--seed", "--network", "--loss",
        "--dup", "--reorder", "--latency", "--jitter", "--mtu", "--partition", "--reboot", "--gateway-restart", "--nat-rebind", "--plot",
        "--pcap", "--keylog", "--report", "--mqtt",
    };

    /// <summary>Returns null when --help was asked for.</summary>
    public static SimConfig? Parse(string[] args)
    {
        var flags = new List<(string Name, string? Value)>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string name = a;
            string? inline = null;
            int eq = a.IndexOf('=');
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = a[..eq];
                inline = a[(eq + 1)..];
            }
            if (Array.IndexOf(Switches, name) >= 0 && inline == null)
            {
                flags.Add((name, null));
            }
            else if (Array.IndexOf(Values, name) >= 0)
            {
                string value = inline ?? (i + 1 < args.Length ? args[++i] : throw new SimConfigException(name, "needs a value"));
                flags.Add((name, value));
            }
            else
            {
                throw new SimConfigException(a, "unknown option (see --help)");
            }
        }
        if (flags.Exists(f => f.Name is "--help" or "-h"))
        {
            return null;
        }
        var config = flags.Find(f => f.Name == "--config") is { Value: { } path } ? SimConfig.Load(path) : new SimConfig();
        foreach (var (name, value) in flags)
        {
            Apply(config, name, value);
        }
        config.Validate();
        return config;
    }

    private static void Apply(SimConfig c, string name, string? v)
    {
        switch (name)
        {
            case "--nodes": c.Nodes = Int(v!, "nodes"); break;
            case "--seed": c.Seed = Int(v!, "seed"); break;
            case "--unknown": c.UnknownNodes = Int(v!, "unknownNodes"); break;
            case "--period": c.PeriodSeconds = SimConfig.ParseDuration(v!, "period"); break;
            case "--duration": c.DurationSeconds = SimConfig.ParseDuration(v!, "duration"); break;
            case "--con": c.Confirmable = true; break;
            case "--non": c.Confirmable = false; break;
            case "--cid": c.ConnectionId = true; break;
            case "--no-cid": c.ConnectionId = false; break;
            case "--credentials": c.Credentials = Mix(v!); break;
            case "--network": c.Network.Profile = v!; break;
            case "--loss": c.Network.Loss = Double(v!, "network.loss"); break;
            case "--dup": c.Network.Duplicate = Double(v!, "network.duplicate"); break;
            case "--reorder": c.Network.Reorder = Double(v!, "network.reorder"); break;
            case "--latency": c.Network.LatencyMs = Int(v!, "network.latencyMs"); break;
            case "--jitter": c.Network.JitterMs = Int(v!, "network.jitterMs"); break;
            case "--mtu": c.Network.Mtu = Int(v!, "network.mtu"); break;
            case "--partition":
            {
                string[] p = Parts(v!, 3, "partitions", "AT:FOR:NODES");
                c.Partitions.Add(new SimConfig.PartitionConfig
                {
                    AtSeconds = SimConfig.ParseDuration(p[0], "partitions.atSeconds"),
                    DurationSeconds = SimConfig.ParseDuration(p[1], "partitions.durationSeconds"),
                    Nodes = p[2],
                });
                break;
            }
            case "--reboot":
            {
                string[] p = Parts(v!, 2, "reboots", "AT:NODES");
                c.Reboots.Add(new SimConfig.RebootConfig { AtSeconds = SimConfig.ParseDuration(p[0], "reboots.atSeconds"), Nodes = p[1] });
                break;
            }
            case "--gateway-restart":
            {
                string[] p = Parts(v!, 2, "gatewayRestarts", "AT:DOWN");
                c.GatewayRestarts.Add(new SimConfig.GatewayRestartConfig
                {
                    AtSeconds = SimConfig.ParseDuration(p[0], "gatewayRestarts.atSeconds"),
                    DownSeconds = SimConfig.ParseDuration(p[1], "gatewayRestarts.downSeconds"),
                });
                break;
            }
            case "--gateway-restart-new-keys": c.GatewayRestartNewKeys = true; break;
            case "--reboot-keeps-session": c.RebootKeepsSession = true; break;
            case "--nat-rebind":
            {
                if (v!.Contains(':'))
                {
                    string[] p = Parts(v, 2, "natRebinds", "AT:NODES or a rate");
                    c.NatRebinds.Add(new SimConfig.NatRebindConfig { AtSeconds = SimConfig.ParseDuration(p[0], "natRebinds.atSeconds"), Nodes = p[1] });
                }
                else
                {
                    c.NatRebindsPerHour = Double(v, "natRebindsPerHour");
                }
                break;
            }
            case "--udp": c.Udp = true; break;
            case "--plot": c.PlotPath = v; break;
            case "--pcap": c.PcapPath = v; break;
            case "--keylog": c.KeyLogPath = v; break;
            case "--report": c.ReportPath = v; break;
            case "--mqtt": c.MqttBroker = v; break;
            case "--quiet": c.Quiet = true; break;
        }
    }

    private static string[] Parts(string v, int n, string field, string shape)
    {
        string[] p = v.Split(':');
        return p.Length == n ? p : throw new SimConfigException(field, "wants " + shape + ", not '" + v + "'");
    }

    private static int Int(string v, string field) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new SimConfigException(field, "wants a whole number, not '" + v + "'");

    private static double Double(string v, string field) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : throw new SimConfigException(field, "wants a number, not '" + v + "'");

    private static Dictionary<string, double> Mix(string v)
    {
        var mix = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in v.Split(','))
        {
            string[] kv = part.Split('=');
            if (kv.Length == 1)
            {
                mix[kv[0]] = 1;
            }
            else if (kv.Length == 2)
            {
                mix[kv[0]] = Double(kv[1], "credentials." + kv[0]);
            }
            else
            {
                throw new SimConfigException("credentials", "wants kind=share,… like psk=0.7,rpk=0.3, not '" + v + "'");
            }
        }
        return mix;
    }
}
