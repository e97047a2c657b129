using System.Globalization;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;

namespace NfDtls.Sim;

/// <summary>A validated <see cref="SimConfig"/> as the harness's <see cref="FleetPlan"/>, and the report's header lines.</summary>
public static class SimPlan
{
    public static FleetPlan ToPlan(SimConfig c)
    {
        long period = (long)(c.PeriodSeconds * 1000);
        var plan = new FleetPlan
        {
            Nodes = c.Nodes,
            Seed = c.Seed,
            DurationMs = (long)(c.DurationSeconds * 1000),
            // CoAP's MAX_TRANSMIT_WAIT is 93 s (RFC 7252 §4.8.2): long enough for the last confirmable readings to land.
            DrainMs = 120_000,
            StartSpreadMs = Math.Min(period, 30_000),
            Link = c.Network.ToLinkProfile(),
        };
        foreach (var p in c.Partitions)
        {
            var (first, last) = SimConfig.ParseNodes(p.Nodes, c.Nodes, "partitions.nodes");
            plan.Partitions.Add(new FleetPartition((long)(p.AtSeconds * 1000), (long)(p.DurationSeconds * 1000), first, last));
        }
        foreach (var r in c.Reboots)
        {
            var (first, last) = SimConfig.ParseNodes(r.Nodes, c.Nodes, "reboots.nodes");
            plan.Reboots.Add(new FleetReboot((long)(r.AtSeconds * 1000), first, last));
        }
        foreach (var n in c.NatRebinds)
        {
            var (first, last) = SimConfig.ParseNodes(n.Nodes, c.Nodes, "natRebinds.nodes");
            plan.NatRebinds.Add(new FleetNatRebind((long)(n.AtSeconds * 1000), first, last));
        }
        plan.NatRebindsPerNodeHour = c.NatRebindsPerHour;
        foreach (var g in c.GatewayRestarts)
        {
            plan.GatewayRestarts.Add(new FleetGatewayRestart((long)(g.AtSeconds * 1000), (long)(g.DownSeconds * 1000)));
        }
        return plan;
    }

    public static List<string> Header(SimConfig c, string mode)
    {
        string time = c.Udp ? " of real time" : " simulated";
        LinkProfile l = c.Network.ToLinkProfile();
        var lines = new List<string>
        {
            "nf-dtls fleet simulation (" + mode + ")",
            "  fleet       " + c.Nodes.ToString(CultureInfo.InvariantCulture) + " nodes (" + MixText(c) + ")"
                + (c.UnknownNodes > 0 ? ", " + c.UnknownNodes.ToString(CultureInfo.InvariantCulture) + " with an identity the gateway does not know" : "")
                + ", a reading every " + Seconds(c.PeriodSeconds) + " as " + (c.Confirmable ? "CON" : "NON")
                + ", Connection ID " + (c.ConnectionId ? "on" : "off"),
            "  run         " + Seconds(c.DurationSeconds) + time + ", seed " + c.Seed.ToString(CultureInfo.InvariantCulture),
            c.Udp ? "  network     loopback UDP (link profiles, partitions and NAT rebindings apply to the virtual network only)" :
            "  network     " + c.Network.Profile + ": loss " + Pct(l.Loss) + ", duplicate " + Pct(l.Duplicate) + ", reorder "
                + Pct(l.Reorder) + ", latency " + l.LatencyMs.ToString(CultureInfo.InvariantCulture) + " ms + jitter up to "
                + l.JitterMs.ToString(CultureInfo.InvariantCulture) + " ms" + (l.Mtu > 0 ? ", MTU " + l.Mtu.ToString(CultureInfo.InvariantCulture) : ""),
        };
        foreach (var p in c.Partitions)
        {
            lines.Add("  partition   nodes " + p.Nodes + " cut off at " + Seconds(p.AtSeconds) + " for " + Seconds(p.DurationSeconds));
        }
        foreach (var r in c.Reboots)
        {
            lines.Add("  reboot      nodes " + r.Nodes + " at " + Seconds(r.AtSeconds)
                + (c.RebootKeepsSession ? ", resumable session kept" : ", RAM lost (full handshake)"));
        }
        if (c.NatRebindsPerHour > 0)
        {
            lines.Add("  nat rebind  " + c.NatRebindsPerHour.ToString("0.###", CultureInfo.InvariantCulture)
                + " per node per hour on average, at random (seeded)");
        }
        foreach (var n in c.NatRebinds)
        {
            lines.Add("  nat rebind  nodes " + n.Nodes + " at " + Seconds(n.AtSeconds));
        }
        foreach (var g in c.GatewayRestarts)
        {
            lines.Add("  gateway     restarts at " + Seconds(g.AtSeconds) + ", down for " + Seconds(g.DownSeconds)
                + (c.GatewayRestartNewKeys ? ", new ticket keys" : ", ticket keys kept"));
        }
        return lines;
    }

    /// <summary>
    /// The run's parameters under the chart's title: the header's fleet, run and network lines as "fleet: …" (the
    /// faults are drawn on the chart itself).
    /// </summary>
    public static List<string> ChartSubtitle(SimConfig c) =>
        Header(c, "").Skip(1).Take(3).Select(line =>
        {
            string t = line.Trim();
            int gap = t.IndexOf(' ');
            return gap < 0 ? t : t[..gap] + ": " + t[gap..].TrimStart();
        }).ToList();

    private static string MixText(SimConfig c) =>
        string.Join(", ", c.Credentials.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + " " + (100 * kv.Value / c.Credentials.Values.Sum()).ToString("0.#", CultureInfo.InvariantCulture) + "%"));

    private static string Pct(double p) => (p * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Seconds(double s) => s >= 3600 && s % 3600 == 0 ? (s / 3600).ToString(CultureInfo.InvariantCulture) + " h"
        : s >= 60 && s % 60 == 0 ? (s / 60).ToString(CultureInfo.InvariantCulture) + " min"
        : s.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
