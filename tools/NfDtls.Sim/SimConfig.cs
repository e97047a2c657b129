using System.Globalization;
using System.Text.Json;
using NfDtls.Simulation;

namespace NfDtls.Sim;

/// <summary>
/// What to simulate: fleet size, credentials mix, reading period, network, schedule of faults, duration and seed.
/// Read from a JSON file (every field optional; defaults are the embedded ones) and then overridden by flags.
/// A bad value is a <see cref="SimConfigException"/> naming the field.
/// </summary>
public sealed class SimConfig
{
    public int Nodes { get; set; } = 200;
    public int Seed { get; set; } = 1;
    public double DurationSeconds { get; set; } = 3600;
    public double PeriodSeconds { get; set; } = 60;
    /// <summary>CON (true) or NON readings.</summary>
    public bool Confirmable { get; set; } = true;
    /// <summary>Share of nodes per credential kind; normalised. Keys: psk, rpk, x509.</summary>
    public Dictionary<string, double> Credentials { get; set; } = new() { ["psk"] = 1.0 };
    /// <summary>Nodes whose identity the gateway does not know (they must be refused).</summary>
    public int UnknownNodes { get; set; }
    public NetworkConfig Network { get; set; } = new();
    public List<PartitionConfig> Partitions { get; set; } = new();
    public List<RebootConfig> Reboots { get; set; } = new();
    public List<GatewayRestartConfig> GatewayRestarts { get; set; } = new();
    /// <summary>
    /// A restarted gateway starts with new session-ticket keys (RFC 5077) instead of the ones it saved: every node's
    /// ticket is refused and it pays a full handshake. Default false: the keys survive the restart, nodes resume.
    /// </summary>
    public bool GatewayRestartNewKeys { get; set; }
    /// <summary>
    /// A rebooted node keeps its resumable session (a board keeping the blob in RTC memory or flash) and resumes.
    /// Default false: a reboot loses RAM, so the node does a full handshake.
    /// </summary>
    public bool RebootKeepsSession { get; set; }
    /// <summary>NAT rebindings at set times: the nodes get a new public port.</summary>
    public List<NatRebindConfig> NatRebinds { get; set; } = new();
    /// <summary>NAT rebindings at random: this many per node per hour on average (seeded), 0 for none.</summary>
    public double NatRebindsPerHour { get; set; }
    /// <summary>RFC 9146 Connection IDs: the gateway issues them, nodes use them send-only. On by default.</summary>
    public bool ConnectionId { get; set; } = true;
    /// <summary>Real sockets on loopback in real time instead of the virtual network.</summary>
    public bool Udp { get; set; }
    public string? PlotPath { get; set; }
    public string? PcapPath { get; set; }
    public string? KeyLogPath { get; set; }
    public string? ReportPath { get; set; }
    public string? MqttBroker { get; set; }
    public bool Quiet { get; set; }

    public sealed class NetworkConfig
    {
        /// <summary>perfect | lan | lossy | bad, or custom with the fields below.</summary>
        public string Profile { get; set; } = "lossy";
        public double? Loss { get; set; }
        public double? Duplicate { get; set; }
        public double? Reorder { get; set; }
        public int? LatencyMs { get; set; }
        public int? JitterMs { get; set; }
        public int? Mtu { get; set; }

        public LinkProfile ToLinkProfile()
        {
            LinkProfile p = Profile switch
            {
                "perfect" => LinkProfile.Perfect(),
                "lan" => new LinkProfile { Loss = 0.001, LatencyMs = 2, JitterMs = 1 },
                "lossy" => LinkProfile.Lossy(0.05, 30),
                "bad" => LinkProfile.Lossy(0.2, 80),
                "custom" => new LinkProfile(),
                _ => throw new SimConfigException("network.profile", "must be perfect, lan, lossy, bad or custom, not '" + Profile + "'"),
            };
            if (Loss is { } loss) p.Loss = Probability("network.loss", loss);
            if (Duplicate is { } d) p.Duplicate = Probability("network.duplicate", d);
            if (Reorder is { } r) p.Reorder = Probability("network.reorder", r);
            if (LatencyMs is { } l) p.LatencyMs = NonNegative("network.latencyMs", l);
            if (JitterMs is { } j) p.JitterMs = NonNegative("network.jitterMs", j);
            if (Mtu is { } m) p.Mtu = m == 0 || m >= 64 ? m : throw new SimConfigException("network.mtu", "must be 0 (none) or at least 64");
            return p;
        }
    }

    public sealed class PartitionConfig
    {
        public double AtSeconds { get; set; }
        public double DurationSeconds { get; set; }
        /// <summary>Which nodes lose the gateway: "all", "3", or a range "0-49".</summary>
        public string Nodes { get; set; } = "all";
    }

    public sealed class RebootConfig
    {
        public double AtSeconds { get; set; }
        public string Nodes { get; set; } = "0";
    }

    public sealed class NatRebindConfig
    {
        public double AtSeconds { get; set; }
        public string Nodes { get; set; } = "all";
    }

    public sealed class GatewayRestartConfig
    {
        public double AtSeconds { get; set; }
        public double DownSeconds { get; set; } = 5;
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static SimConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new SimConfigException("config", "cannot read " + path + ": " + e.Message);
        }
        try
        {
            return JsonSerializer.Deserialize<SimConfig>(text, Json) ?? new SimConfig();
        }
        catch (JsonException e)
        {
            // System.Text.Json names the JSON path of the offending field ($.network.loss) and the line.
            throw new SimConfigException(e.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "config",
                "invalid value in " + path + (e.LineNumber is { } l ? " (line " + (l + 1) + ")" : "") + ": " + e.Message.Split(" Path:")[0]);
        }
    }

    /// <summary>Checks every field; throws naming the first bad one.</summary>
    public void Validate()
    {
        if (Nodes < 1 || Nodes > 100_000) throw new SimConfigException("nodes", "must be from 1 to 100000");
        if (DurationSeconds <= 0) throw new SimConfigException("duration", "must be positive");
        if (PeriodSeconds < 0.1) throw new SimConfigException("period", "must be at least 0.1 s");
        if (UnknownNodes < 0 || UnknownNodes > Nodes) throw new SimConfigException("unknownNodes", "must be from 0 to nodes");
        double total = 0;
        foreach (var (kind, share) in Credentials)
        {
            if (kind is not ("psk" or "rpk" or "x509")) throw new SimConfigException("credentials." + kind, "unknown kind (psk, rpk, x509)");
            if (share < 0) throw new SimConfigException("credentials." + kind, "must not be negative");
            total += share;
        }
        if (total <= 0) throw new SimConfigException("credentials", "at least one kind needs a positive share");
        Network.ToLinkProfile();
        for (int i = 0; i < Partitions.Count; i++)
        {
            var p = Partitions[i];
            if (p.AtSeconds < 0 || p.DurationSeconds <= 0) throw new SimConfigException("partitions[" + i + "]", "needs atSeconds >= 0 and durationSeconds > 0");
            ParseNodes(p.Nodes, Nodes, "partitions[" + i + "].nodes");
        }
        for (int i = 0; i < Reboots.Count; i++)
        {
            if (Reboots[i].AtSeconds < 0) throw new SimConfigException("reboots[" + i + "].atSeconds", "must not be negative");
            ParseNodes(Reboots[i].Nodes, Nodes, "reboots[" + i + "].nodes");
        }
        for (int i = 0; i < NatRebinds.Count; i++)
        {
            if (NatRebinds[i].AtSeconds < 0) throw new SimConfigException("natRebinds[" + i + "].atSeconds", "must not be negative");
            ParseNodes(NatRebinds[i].Nodes, Nodes, "natRebinds[" + i + "].nodes");
        }
        if (!(NatRebindsPerHour >= 0 && NatRebindsPerHour <= 3600))
            throw new SimConfigException("natRebindsPerHour", "must be from 0 to 3600 (rebindings per node per hour)");
        for (int i = 0; i < GatewayRestarts.Count; i++)
        {
            if (GatewayRestarts[i].AtSeconds < 0 || GatewayRestarts[i].DownSeconds < 0)
                throw new SimConfigException("gatewayRestarts[" + i + "]", "needs atSeconds and downSeconds >= 0");
        }
    }

    /// <summary>"all", "7" or "10-19" → node indices (validated against the fleet size).</summary>
    public static (int First, int Last) ParseNodes(string text, int nodes, string field)
    {
        if (text == "all")
        {
            return (0, nodes - 1);
        }
        string[] parts = text.Split('-');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int b)
            && a <= b && b < nodes)
        {
            return (a, b);
        }
        throw new SimConfigException(field, "must be 'all', a node index or a range 'a-b' within 0.." + (nodes - 1) + ", not '" + text + "'");
    }

    private static double Probability(string field, double v) =>
        v is >= 0 and <= 1 ? v : throw new SimConfigException(field, "must be a probability from 0 to 1");

    private static int NonNegative(string field, int v) => v >= 0 ? v : throw new SimConfigException(field, "must not be negative");

    /// <summary>"90", "90s", "15m", "1h" → seconds.</summary>
    public static double ParseDuration(string text, string field)
    {
        double scale = 1;
        string number = text;
        if (text.EndsWith("ms", StringComparison.Ordinal)) { scale = 0.001; number = text[..^2]; }
        else if (text.EndsWith('s')) { number = text[..^1]; }
        else if (text.EndsWith('m')) { scale = 60; number = text[..^1]; }
        else if (text.EndsWith('h')) { scale = 3600; number = text[..^1]; }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0)
        {
            throw new SimConfigException(field, "wants a duration like 90s, 15m or 1h, not '" + text + "'");
        }
        return v * scale;
    }
}

/// <summary>A configuration mistake, naming the field.</summary>
public sealed class SimConfigException(string field, string problem) : Exception(field + ": " + problem)
{
    public string Field { get; } = field;
}
