using System.Globalization;
using NfDtls.Config;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Mqtt;
using NfDtls.Dtls;
using NfDtls.Simulation.Capture;
using NfDtls.Simulation.Fleet;

namespace NfDtls.Sim;

/// <summary>Runs one simulation as the command line describes; returns the process exit code.</summary>
public static class SimProgram
{
    public static int Run(string[] args)
    {
        SimConfig? config;
        try
        {
            config = SimCommandLine.Parse(args);
        }
        catch (SimConfigException e)
        {
            Console.Error.WriteLine("nfdtls-sim: bad configuration: " + e.Message);
            Console.Error.WriteLine("  (see --help)");
            return 2;
        }
        if (config == null)
        {
            Console.WriteLine(SimCommandLine.Help);
            return 0;
        }
        string[] security;
        try
        {
            security = SecurityRoundRobin(config);
        }
        catch (SimConfigException e)
        {
            Console.Error.WriteLine("nfdtls-sim: bad configuration: " + e.Message);
            return 2;
        }

        var plan = SimPlan.ToPlan(config);
        if (config.Udp)
        {
            // Real time: a short start spread and drain, so `--udp --duration 30s` takes about 30 s.
            plan.StartSpreadMs = Math.Min(plan.StartSpreadMs, 2_000);
            plan.DrainMs = 5_000;
        }
        using var keyLog = config.KeyLogPath != null ? KeyLogWriter.Create(config.KeyLogPath) : null;
        using var pcap = config.PcapPath != null ? PcapWriter.Create(config.PcapPath) : null;
        ReadingOutlet readings;
        try
        {
            readings = new ReadingOutlet(config.MqttBroker);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine("nfdtls-sim: bad configuration: mqttBroker: " + e.Message);
            return 2;
        }
        // The chart's time series counts per reading period: one reading per node per bucket, no aliasing.
        var recorder = FleetRecorder.PerReadingPeriod(plan.Nodes, plan.DurationMs, (long)(config.PeriodSeconds * 1000));
        var fleet = new SensorFleet(new SensorFleetOptions
        {
            Nodes = config.Nodes,
            Seed = config.Seed,
            ReadingPeriodMs = (int)(config.PeriodSeconds * 1000),
            Confirmable = config.Confirmable,
            NodeConnectionIdLength = config.ConnectionId ? NodeSettings.ConnectionIdSendOnly : NodeSettings.ConnectionIdOff,
            GatewayConnectionIdLength = config.ConnectionId ? GatewayOptions.DefaultConnectionIdLength : 0,
            Security = security,
            UnknownNodes = config.UnknownNodes,
            KeyLog = keyLog != null ? new KeyLogAdapter(keyLog) : null,
            ReadingSink = readings.Sink,
            GatewayRestartKeepsTicketKeys = !config.GatewayRestartNewKeys,
            RebootKeepsSession = config.RebootKeepsSession,
        }, recorder);

        var progress = new ProgressLine(!config.Quiet);
        string report;
        string mode = config.Udp ? "UDP on 127.0.0.1, real time" : "deterministic, virtual time";
        if (config.Udp)
        {
            using var runner = new UdpFleetRunner(plan, fleet, recorder);
            if (pcap != null)
            {
                runner.Tap = (t, from, to, bytes) => pcap.Write(t, from, to, bytes.Span);
            }
            runner.Run(r => progress.Update(r.Now, r.EndMs, r.Recorder));
            progress.Update(runner.EndMs, runner.EndMs, recorder, force: true);
            progress.Finish();
            report = FleetReport.Write(recorder, runner.Stats, SimPlan.Header(config, mode));
        }
        else
        {
            var runner = new FleetRunner(plan, fleet, recorder);
            if (pcap != null)
            {
                runner.Network.Tap = (t, from, to, bytes) => pcap.Write(t, from, to, bytes.Span);
            }
            runner.Run(r => progress.Update(r.Now, r.EndMs, r.Recorder), 200);
            progress.Update(runner.EndMs, runner.EndMs, recorder, force: true);
            progress.Finish();
            report = FleetReport.Write(recorder, runner.Network.Stats, SimPlan.Header(config, mode));
        }
        report += readings.Summary();
        Console.Write(report);
        if (config.ReportPath != null)
        {
            File.WriteAllText(config.ReportPath, report);
        }
        var notes = new List<string>();
        if (readings.Finish() is { } mqttNote)
        {
            notes.Add(mqttNote);
        }
        readings.Dispose();
        if (config.PlotPath != null)
        {
            FleetPlot.Save(recorder, config.PlotPath, "nf-dtls fleet simulation: " + config.Nodes.ToString(CultureInfo.InvariantCulture)
                + " nodes (" + mode + ")", SimPlan.ChartSubtitle(config));
            notes.Add("plot " + config.PlotPath);
        }
        if (pcap != null)
        {
            notes.Add("pcap " + config.PcapPath + " (" + pcap.Packets.ToString(CultureInfo.InvariantCulture) + " datagrams)");
        }
        if (keyLog != null)
        {
            notes.Add("key log " + config.KeyLogPath + " (" + keyLog.Lines.ToString(CultureInfo.InvariantCulture) + " sessions)");
        }
        // Wall-clock facts go to stderr: the report on stdout stays byte-identical for a seed.
        notes.Add("wall time " + progress.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        Console.Error.WriteLine("nfdtls-sim: " + string.Join("; ", notes));
        return 0;
    }

    /// <summary>The credentials mix as a round-robin list of modes (psk=0.75,rpk=0.25 → psk, psk, psk, rpk).</summary>
    private static string[] SecurityRoundRobin(SimConfig c)
    {
        double total = c.Credentials.Values.Sum();
        // Each kind's slots spread evenly over the 20 (psk=1,rpk=1,x509=1 → psk, rpk, x509, psk, …), so even a
        // small fleet gets every kind, not just the first one's block.
        var slotted = new List<(double At, string Kind)>();
        foreach (var (kind, share) in c.Credentials.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            int slots = (int)Math.Round(20 * share / total);
            for (int i = 0; i < slots; i++)
            {
                slotted.Add(((i + 0.5) / slots, kind));
            }
        }
        var modes = slotted.OrderBy(m => m.At).ThenBy(m => m.Kind, StringComparer.Ordinal).Select(m => m.Kind).ToList();
        return modes.Count > 0 ? modes.ToArray() : new[] { "psk" };
    }

    /// <summary>The DTLS engine's key-log hook → the NSS key-log file.</summary>
    private sealed class KeyLogAdapter(KeyLogWriter writer) : IDtlsKeyLog
    {
        public void OnSecret(byte[] clientRandom32, byte[] masterSecret48) => writer.Write(clientRandom32, 0, masterSecret48, 0);
    }

    /// <summary>
    /// Where the gateway's accepted readings go: always kept in memory (the report shows the last one), and with
    /// --mqtt also published to the broker by the MQTT forwarder (one topic per node).
    /// </summary>
    private sealed class ReadingOutlet : IDisposable
    {
        private readonly MemoryReadingSink _memory = new(null, 1000);
        private readonly MqttReadingForwarder? _mqtt;

        public ReadingOutlet(string? broker)
        {
            if (broker != null)
            {
                var options = MqttForwarderOptions.Parse(broker);
                // A virtual hour runs in seconds: room for every reading of a big run rather than dropping the oldest.
                options.QueueCapacity = 2_000_000;
                _mqtt = new MqttReadingForwarder(options, Console.Error).Start();
            }
            Sink = _mqtt != null ? new TeeReadingSink(_memory, _mqtt) : _memory;
        }

        public IReadingSink Sink { get; }

        public string Summary()
        {
            var last = _memory.Snapshot().LastOrDefault();
            return last == null ? "" : "  " + "last".PadRight(12) + MemoryReadingSink.Format(last) + "\n";
        }

        /// <summary>Waits for the broker to take what is queued; returns a note for stderr.</summary>
        public string? Finish()
        {
            if (_mqtt == null)
            {
                return null;
            }
            bool flushed = _mqtt.FlushAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
            return "mqtt " + _mqtt.Published.ToString(CultureInfo.InvariantCulture) + " published"
                + (_mqtt.Dropped > 0 ? ", " + _mqtt.Dropped.ToString(CultureInfo.InvariantCulture) + " dropped" : "")
                + (flushed ? "" : ", " + _mqtt.Pending.ToString(CultureInfo.InvariantCulture) + " still queued after 60 s");
        }

        public void Dispose() => _mqtt?.Dispose();
    }
}
