using System.Globalization;
using NfDtls.Simulation.Report;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// The run as one picture for someone who runs a fleet, three charts over the same time axis:
/// readings per reading period (delivered, lost, duplicated; counted by the period a reading was taken in, so one per
/// node per period and no aliasing), latency percentiles on a log axis, and handshakes and retransmissions. The faults
/// the run injected (reboots, gateway restarts, partitions, NAT rebinds) are marked on every chart.
/// </summary>
public static class FleetPlot
{
    public const int Width = 1200;
    private const int ChartHeight = 320;
    // Fixed margins around every chart's data area so the three time axes line up whatever their tick labels.
    private static readonly PixelPadding Padding = new(left: 80, right: 210, bottom: 46, top: 34);

    private static readonly Color Delivered = Color.FromHex("#1f77b4");
    private static readonly Color Lost = Color.FromHex("#d62728");
    private static readonly Color Duplicated = Color.FromHex("#ff7f0e");
    private static readonly Color P50 = Color.FromHex("#2ca02c");
    private static readonly Color P95 = Color.FromHex("#ff7f0e");
    private static readonly Color P99 = Color.FromHex("#d62728");
    private static readonly Color Full = Color.FromHex("#1f77b4");
    private static readonly Color Resumed = Color.FromHex("#17becf");
    private static readonly Color Failed = Color.FromHex("#d62728");
    private static readonly Color Retransmits = Color.FromHex("#7f7f7f");
    private static readonly Color Rebinds = Color.FromHex("#bcbd22");

    /// <summary>Writes the chart to <paramref name="path"/> (.svg: SVG, otherwise PNG).</summary>
    public static void Save(FleetRecorder r, string path, string title, IReadOnlyList<string>? subtitle = null) =>
        Page(r, title, subtitle ?? Array.Empty<string>()).Save(path);

    public static ChartPage Page(FleetRecorder r, string title, IReadOnlyList<string> subtitle)
    {
        var page = new ChartPage(Width, title, subtitle);
        var time = TimeAxis.For(r.CutoffMs);
        double[] x = Enumerable.Range(0, r.DeliveredPerBucket.Length).Select(i => (i + 0.5) * r.BucketMs / time.UnitMs).ToArray();
        string per = Per(r);

        Plot readings = page.AddChart(ChartHeight);
        readings.Title("Readings per " + per);
        readings.YLabel("readings");
        Line(readings, x, r.DeliveredPerBucket, "delivered", Delivered, 2);
        CountAxis(readings, readings.Axes.Left, r.TakenPerBucket);
        // Losses are a few per period next to hundreds delivered: on their own (right) axis they stay visible.
        long[] lost = r.TakenPerBucket.Zip(r.DeliveredPerBucket, (t, d) => t - d).ToArray();
        Line(readings, x, lost, "lost", Lost, 1.5f).Axes.YAxis = readings.Axes.Right;
        Line(readings, x, r.DuplicatedPerBucket, "duplicated", Duplicated, 1.5f).Axes.YAxis = readings.Axes.Right;
        readings.Axes.Right.Label.Text = "lost, duplicated";
        CountAxis(readings, readings.Axes.Right, lost.Concat(r.DuplicatedPerBucket));

        Plot latency = page.AddChart(ChartHeight);
        latency.Title("Latency from reading taken to gateway, by the period it was taken in");
        latency.YLabel("seconds (log scale)");
        LatencyLines(latency, r, x);

        Plot events = page.AddChart(ChartHeight + 30);
        events.Title("Handshakes and retransmissions per " + per + ", and the injected faults");
        events.YLabel("count");
        events.XLabel(time.Label);
        Line(events, x, r.HandshakesPerBucket, "full handshakes", Full, 2);
        if (r.ResumedPerBucket.Any(v => v != 0))
        {
            Line(events, x, r.ResumedPerBucket, "resumed handshakes", Resumed, 2);
        }
        if (r.FailedHandshakesPerBucket.Any(v => v != 0))
        {
            Line(events, x, r.FailedHandshakesPerBucket, "failed handshakes", Failed, 1.5f);
        }
        Line(events, x, r.RetransmissionsPerBucket, "retransmissions", Retransmits, 1.5f);
        if (r.RandomRebindsPerBucket.Any(v => v != 0))
        {
            Line(events, x, r.RandomRebindsPerBucket, "random NAT rebinds", Rebinds, 1.5f).LinePattern = LinePattern.Dashed;
        }
        CountAxis(events, events.Axes.Left, r.HandshakesPerBucket.Concat(r.ResumedPerBucket).Concat(r.FailedHandshakesPerBucket)
            .Concat(r.RetransmissionsPerBucket).Concat(r.RandomRebindsPerBucket));

        foreach (Plot plot in new[] { readings, latency, events })
        {
            FaultMarkers(plot, r.Faults, time, legend: plot == events);
            plot.Axes.SetLimitsX(0, r.CutoffMs / time.UnitMs);
            plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = Number };
            plot.Layout.Fixed(Padding);
            plot.ShowLegend(Edge.Right);
        }
        return page;
    }

    private static string Per(FleetRecorder r)
    {
        string width = Duration(r.BucketMs);
        if (r.ReadingPeriodMs <= 0)
        {
            return width;
        }
        long periods = r.BucketMs / r.ReadingPeriodMs;
        return periods == 1 ? "reading period (" + width + ")" : N(periods) + " reading periods (" + width + ")";
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] x, long[] counts, string label, Color color, float width)
    {
        var s = plot.Add.ScatterLine(x, counts.Select(c => (double)c).ToArray(), color);
        s.LegendText = label;
        s.LineWidth = width;
        s.MarkerSize = 0;
        return s;
    }

    /// <summary>From 0 to a little above the largest count, whole numbers only, labelled the same on every machine.</summary>
    private static void CountAxis(Plot plot, IYAxis axis, IEnumerable<long> counts)
    {
        long max = counts.DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(4, max) * 1.12, axis);
        axis.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = Number };
    }

    /// <summary>Tick labels in the invariant culture: a machine's locale must not change a chart's bytes.</summary>
    private static string Number(double v) => v.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// p50/p95/p99 per bucket, plotted as log10(seconds) with decade ticks labelled in seconds: a log axis shows the
    /// 50 ms of a good minute and the 90 s of a retry storm on one chart.
    /// </summary>
    private static void LatencyLines(Plot plot, FleetRecorder r, double[] x)
    {
        double lowest = double.MaxValue, highest = double.MinValue;
        foreach (var (percentile, label, color) in new[] { (50.0, "p50", P50), (95.0, "p95", P95), (99.0, "p99", P99) })
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < x.Length; i++)
            {
                long ms = FleetRecorder.Percentile(r.LatencyPerBucket[i], percentile);
                if (ms >= 0)
                {
                    double y = Math.Log10(Math.Max(1, ms) / 1000.0); // 1 ms floor: a zero-latency link has no log
                    xs.Add(x[i]);
                    ys.Add(y);
                    lowest = Math.Min(lowest, y);
                    highest = Math.Max(highest, y);
                }
            }
            var s = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
            s.LegendText = label;
            s.LineWidth = percentile == 50 ? 2 : 1.5f;
            s.MarkerSize = 0;
        }
        if (lowest > highest)
        {
            lowest = -2; // nothing delivered: 10 ms .. 10 s
            highest = 1;
        }
        // A little room above and below the lines, and at least one decade so a labelled tick shows.
        double bottom = lowest - 0.15, top = highest + 0.15;
        if (top - bottom < 1.2)
        {
            double middle = (top + bottom) / 2;
            bottom = middle - 0.6;
            top = middle + 0.6;
        }
        plot.Axes.SetLimitsY(bottom, top);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = Seconds,
        };
    }

    private static string Seconds(double log10)
    {
        double s = Math.Pow(10, log10);
        return s >= 1 ? s.ToString("0", CultureInfo.InvariantCulture) : s.ToString("0.###", CultureInfo.InvariantCulture);
    }

    private static readonly (FleetFaultKind Kind, string Label, Color Color)[] FaultStyles =
    {
        (FleetFaultKind.NodeReboot, "node reboot", Color.FromHex("#9467bd")),
        (FleetFaultKind.GatewayRestart, "gateway down", Color.FromHex("#8c564b")),
        (FleetFaultKind.Partition, "partition", Color.FromHex("#e377c2")),
        (FleetFaultKind.NatRebind, "NAT rebinding", Color.FromHex("#bcbd22")),
    };

    /// <summary>Points in time as vertical lines, spans (gateway down, partition) as shaded bands; one legend entry per kind.</summary>
    private static void FaultMarkers(Plot plot, IReadOnlyList<FleetFault> faults, TimeAxis time, bool legend)
    {
        foreach (var (kind, label, color) in FaultStyles)
        {
            bool first = true;
            foreach (FleetFault f in faults)
            {
                if (f.Kind != kind)
                {
                    continue;
                }
                double at = f.AtMs / time.UnitMs;
                if (f.DurationMs > 0)
                {
                    var span = plot.Add.HorizontalSpan(at, (f.AtMs + f.DurationMs) / time.UnitMs, color.WithAlpha(0.22));
                    span.LineStyle.Width = 0;
                    span.LegendText = legend && first ? label : "";
                }
                else
                {
                    var line = plot.Add.VerticalLine(at, 1.5f, color.WithAlpha(0.85));
                    line.LegendText = legend && first ? label : "";
                }
                first = false;
            }
        }
    }

    private static string Duration(long ms) => ms % 3_600_000 == 0 ? N(ms / 3_600_000) + " h"
        : ms % 60_000 == 0 ? N(ms / 60_000) + " min"
        : (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Minutes for runs up to six hours, hours beyond.</summary>
    private readonly record struct TimeAxis(double UnitMs, string Label)
    {
        public static TimeAxis For(long runMs) => runMs > 6 * 3_600_000L
            ? new TimeAxis(3_600_000, "hours into the run")
            : new TimeAxis(60_000, "minutes into the run");
    }
}
