using System.Globalization;
using NfDtls.Desktop.Gateway;
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
            plan.DrainMs = 10_000;
        }
        using var keyLog = config.KeyLogPath != null ? KeyLogWriter.Create(config.KeyLogPath) : null;
        using var pcap = config.PcapPath != null ? PcapWriter.Create(config.PcapPath) : null;
        if (config.MqttBroker != null)
        {
            Console.Error.WriteLine("nfdtls-sim: bad configuration: mqttBroker: the MQTT forwarder is not in this build yet");
            return 2;
        }
        var readings = new ReadingOutlet();
        var recorder = new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        var fleet = new SensorFleet(new SensorFleetOptions
        {
            Nodes = config.Nodes,
            Seed = config.Seed,
            ReadingPeriodMs = (int)(config.PeriodSeconds * 1000),
            Confirmable = config.Confirmable,
            Security = security,
            UnknownNodes = config.UnknownNodes,
            KeyLog = keyLog != null ? new KeyLogAdapter(keyLog) : null,
            ReadingSink = readings.Accept,
        }, recorder);

        var progress = new ProgressLine(!config.Quiet);
        string report;
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
            report = FleetReport.Write(recorder, runner.Stats, SimPlan.Header(config, "UDP on 127.0.0.1, real time"));
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
            report = FleetReport.Write(recorder, runner.Network.Stats, SimPlan.Header(config, "deterministic, virtual time"));
        }
        report += readings.Summary();
        Console.Write(report);
        if (config.ReportPath != null)
        {
            File.WriteAllText(config.ReportPath, report);
        }
        readings.Dispose();
        var notes = new List<string>();
        if (config.PlotPath != null)
        {
            FleetPlot.Save(recorder, config.PlotPath, "nf-dtls fleet, " + config.Nodes.ToString(CultureInfo.InvariantCulture) + " nodes");
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

    /// <summary>The credentials mix as a round-robin list of modes (e.g. psk=0.5,rpk=0.5 → psk, rpk).</summary>
    private static string[] SecurityRoundRobin(SimConfig c)
    {
        foreach (var (kind, share) in c.Credentials)
        {
            if (share > 0 && kind != "psk")
            {
                // The seam is in SensorNode/SensorGateway; the DTLS engine has PSK only so far.
                throw new SimConfigException("credentials." + kind,
                    "this build's DTLS engine does TLS_PSK_WITH_AES_128_CCM_8 only; ECDHE-ECDSA (rpk, x509) is not in it yet");
            }
        }
        return new[] { "psk" };
    }

    /// <summary>The DTLS engine's key-log hook → the NSS key-log file.</summary>
    private sealed class KeyLogAdapter(KeyLogWriter writer) : IDtlsKeyLog
    {
        public void OnSecret(byte[] clientRandom32, byte[] masterSecret48) => writer.Write(clientRandom32, 0, masterSecret48, 0);
    }

    /// <summary>Where the gateway's accepted readings go: kept in memory (the report shows the last), or to MQTT.</summary>
    private sealed class ReadingOutlet : IDisposable
    {
        private GatewayReading? _last;
        private long _count;

        public void Accept(GatewayReading reading)
        {
            _last = reading;
            _count++;
        }

        public string Summary()
        {
            if (_last == null)
            {
                return "";
            }
            return "  " + "last".PadRight(12) + _last.NodeId + " seq " + _last.Sequence.ToString(CultureInfo.InvariantCulture) + ": "
                + string.Join(", ", _last.Measurements.Select(m => m.Name + " = " + m.Value.ToString("0.##", CultureInfo.InvariantCulture) + " " + m.Unit))
                + "\n";
        }

        public void Dispose()
        {
        }
    }
}
