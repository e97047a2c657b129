using System.Globalization;
using System.Text;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// The summary a person reads after a run. Only virtual-time numbers and counts go in, never wall-clock ones, so the
/// same seed gives the same bytes (tests compare reports for equality).
/// </summary>
public static class FleetReport
{
    public static string Write(FleetRecorder r, NetworkStats net, IEnumerable<string> header)
    {
        var s = new StringBuilder();
        foreach (string line in header)
        {
            s.Append(line).Append('\n');
        }
        Line(s, "handshakes", "full " + N(r.HandshakesDone) + ", resumed " + N(r.HandshakesResumed) + ", failed " + N(r.HandshakesFailed)
            + ", refused (unknown identity) " + N(r.RefusedHandshakes));
        if (r.RefusedIdentities.Count > 0)
        {
            Line(s, "refused", string.Join(", ", r.RefusedIdentities.Select(kv => kv.Key + " x" + N(kv.Value))));
        }
        Line(s, "readings", "sent " + N(r.ReadingsSent) + ", delivered " + N(r.ReadingsDelivered)
            + " (" + Percent(r.ReadingsDelivered, r.ReadingsSent) + "), duplicated " + N(r.ReadingsDuplicated)
            + ", lost " + N(r.ReadingsLost) + " (" + Percent(r.ReadingsLost, r.ReadingsSent) + ")");
        if (r.ReadingsUnexpected > 0)
        {
            Line(s, "unexpected", N(r.ReadingsUnexpected) + " deliveries of readings never taken");
        }
        int silent = r.DeliveredPerNode.Count(d => d == 0);
        Line(s, "nodes", N(r.Nodes) + ", " + N(silent) + " delivered nothing; reboots " + N(r.Reboots)
            + ", gateway restarts " + N(r.GatewayRestarts));
        if (r.NatRebinds > 0)
        {
            Line(s, "rebinds", N(r.NatRebinds) + " (NAT), " + N(r.RebindsSurvived) + " survived without a handshake, "
                + N(r.RebindsHandshaken) + " recovered by a new handshake"
                + (r.RebindsUndecided > 0 ? ", " + N(r.RebindsUndecided) + " undecided (run ended or node rebooted first)" : ""));
        }
        Line(s, "retransmits", N(r.Retransmissions));
        Line(s, "latency", r.ReadingsDelivered == 0
            ? "no reading delivered"
            : "p50 " + Ms(r.LatencyPercentile(50)) + ", p95 " + Ms(r.LatencyPercentile(95)) + ", p99 "
              + Ms(r.LatencyPercentile(99)) + ", max " + Ms(r.LatencyMax) + " (reading taken -> gateway application)");
        Line(s, "network", "datagrams " + N(net.Sent) + " sent, " + N(net.Dropped) + " dropped, " + N(net.Duplicated)
            + " duplicated, " + N(net.Reordered) + " reordered, " + N(net.Undeliverable) + " to a host that was down");
        Line(s, "on air", Bytes(net.BytesSent) + " total, " + (r.ReadingsDelivered == 0
            ? "-"
            : N(net.BytesSent / r.ReadingsDelivered)) + " B per delivered reading");
        Line(s, "memory", "node " + (r.NodeMemoryBytes > 0 ? N(r.NodeMemoryBytes) + " B (board figure, nanoCLR heap model)" : "n/a")
            + ", gateway " + (r.GatewayBytesPerSession > 0 ? N(r.GatewayBytesPerSession) + " B per session (desktop .NET)" : "n/a"));
        return s.ToString();
    }

    private static void Line(StringBuilder s, string label, string text) =>
        s.Append("  ").Append(label.PadRight(12)).Append(text).Append('\n');

    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Ms(long ms) => ms >= 10_000
        ? (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : N(ms) + " ms";

    private static string Bytes(long b) => b >= 1_000_000
        ? (b / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : b >= 10_000 ? (b / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " kB" : N(b) + " B";
}
