using System.Diagnostics;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using NfDtls.Simulation.Report;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace NfDtls.Tests.Sim;

/// <summary>
/// The fleet chart (ScottPlot on SkiaSharp, the embedded font): what it shows, that it decodes, and that the same run
/// gives the same bytes, in one process and in two.
/// </summary>
public class FleetPlotTests
{
    private static FleetRecorder Run(int seed, long periodMs = 5_000)
    {
        var plan = new FleetPlan { Nodes = 12, Seed = seed, DurationMs = 120_000, Link = LinkProfile.Lossy(0.2) };
        plan.Reboots.Add(new FleetReboot(40_000, 0, 3));
        plan.Partitions.Add(new FleetPartition(60_000, 15_000, 6, 11));
        plan.GatewayRestarts.Add(new FleetGatewayRestart(90_000, 5_000));
        var fleet = new TestFleet(true, periodMs);
        var recorder = FleetRecorder.PerReadingPeriod(plan.Nodes, plan.DurationMs, periodMs);
        var runner = new FleetRunner(plan, fleet, recorder);
        fleet.Recorder = recorder;
        runner.Run();
        return recorder;
    }

    private static ChartPage Page(FleetRecorder r) => FleetPlot.Page(r, "test fleet", new[] { "fleet: 12 nodes", "run: 2 min, seed 1" });

    [Fact]
    public void SameRunSameBytesOtherRunOtherBytes()
    {
        byte[] a = Page(Run(3)).ToPng(), b = Page(Run(3)).ToPng(), c = Page(Run(4)).ToPng();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Page(Run(3)).ToSvg(), Page(Run(3)).ToSvg());
    }

    [Fact]
    public void PngDecodesAtTheChartSizeWithTheSeriesDrawn()
    {
        ChartPage page = Page(Run(3));
        using SKBitmap bitmap = SKBitmap.Decode(page.ToPng());
        Assert.NotNull(bitmap);
        Assert.Equal(FleetPlot.Width, bitmap.Width);
        Assert.Equal(page.Height, bitmap.Height);
        Assert.True(page.Height > 900, "a header and three charts: " + page.Height);
        // The delivered line's blue is there (not just axes and text).
        var blue = new SKColor(0x1f, 0x77, 0xb4);
        int found = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                found += bitmap.GetPixel(x, y) == blue ? 1 : 0;
            }
        }
        Assert.True(found > 300, "blue pixels: " + found);
    }

    [Fact]
    public void SvgIsAnSvgDocument()
    {
        string svg = System.Text.Encoding.UTF8.GetString(Page(Run(3)).ToSvg());
        Assert.Contains("<svg", svg);
        Assert.Contains("Readings per reading period", svg);
        Assert.Contains("minutes into the run", svg);
    }

    [Fact]
    public void ChartsShowReadingsLatencyHandshakesAndEveryFault()
    {
        FleetRecorder r = Run(3);
        ChartPage page = Page(r);
        Assert.Equal(3, page.Charts.Count);
        string[] legend = page.Charts.SelectMany(c => c.GetPlottables()).Select(p => p.LegendItems.FirstOrDefault()?.LabelText ?? "")
            .Where(t => t.Length > 0).ToArray();
        foreach (string label in new[] { "delivered", "lost", "duplicated", "p50", "p95", "p99", "full handshakes", "retransmissions", "node reboot", "gateway down", "partition" })
        {
            Assert.Contains(label, legend);
        }
        Assert.DoesNotContain("resumed handshakes", legend); // nothing resumes yet: the series stays hidden
        Assert.DoesNotContain("NAT rebinding", legend);
        Assert.Equal(new[] { FleetFaultKind.NodeReboot, FleetFaultKind.Partition, FleetFaultKind.GatewayRestart }, r.Faults.Select(f => f.Kind));
        Assert.Equal(15_000, r.Faults.Single(f => f.Kind == FleetFaultKind.Partition).DurationMs);

        r.HandshakeResumed(0, 50_000);
        r.FaultInjected(new FleetFault(FleetFaultKind.NatRebind, 70_000, 0, 2, 2));
        legend = Page(r).Charts.SelectMany(c => c.GetPlottables()).Select(p => p.LegendItems.FirstOrDefault()?.LabelText ?? "").ToArray();
        Assert.Contains("resumed handshakes", legend);
        Assert.Contains("NAT rebinding", legend);
        Assert.Equal(1, r.HandshakesResumed);
        Assert.Equal(1, r.ResumedPerBucket[50_000 / 5_000]);
    }

    [Fact]
    public void BucketsFollowTheReadingPeriodSoEveryPeriodHasOneReadingPerNode()
    {
        var plan = new FleetPlan { Nodes = 10, DurationMs = 120_000, Link = LinkProfile.Perfect(), StartSpreadMs = 5_000 };
        var fleet = new TestFleet(true, 5_000);
        var r = FleetRecorder.PerReadingPeriod(plan.Nodes, plan.DurationMs, 5_000);
        var runner = new FleetRunner(plan, fleet, r);
        fleet.Recorder = r;
        runner.Run();
        Assert.Equal(5_000, r.BucketMs);
        Assert.Equal(24, r.TakenPerBucket.Length);
        Assert.All(r.TakenPerBucket.Skip(1), n => Assert.Equal(10, n)); // the first period holds the staggered power-ups
        Assert.Equal(r.TakenPerBucket, r.DeliveredPerBucket);
        Assert.Equal(r.ReadingsSent, r.TakenPerBucket.Sum());

        // A long run: whole multiples of the period, never more than the cap.
        var week = FleetRecorder.PerReadingPeriod(1, 7 * 86_400_000L, 10_000, maxBuckets: 2000);
        Assert.Equal(0, week.BucketMs % 10_000);
        Assert.True(week.TakenPerBucket.Length <= 2000);
    }

    [Fact]
    public void TheEmbeddedFontDrawsEveryLabel()
    {
        SKTypeface face = ChartFont.Typeface;
        Assert.Equal("Liberation Sans", face.FamilyName);
        Assert.Same(face, Fonts.GetTypeface(ChartFont.Name, bold: true, italic: false));
        Plot chart = Page(Run(3)).Charts[0];
        Assert.Equal(ChartFont.Name, chart.Axes.Title.Label.FontName);
        Assert.Equal(ChartFont.Name, chart.Axes.Left.TickLabelStyle.FontName);
        Assert.Equal(ChartFont.Name, chart.Legend.FontName);
    }

    [Fact]
    public void SimulatorWritesTheSameChartInTwoProcesses()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nfdtls-plot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string[] run = { "--nodes", "8", "--duration", "5m", "--period", "20s", "--seed", "5", "--reboot", "2m:0-3", "--quiet" };
            foreach (string name in new[] { "a.png", "b.png", "a.svg", "b.svg" })
            {
                var (code, err) = Sim(run.Append("--plot").Append(Path.Combine(dir, name)).ToArray());
                Assert.True(code == 0, err);
            }
            byte[] a = File.ReadAllBytes(Path.Combine(dir, "a.png"));
            Assert.Equal(a, File.ReadAllBytes(Path.Combine(dir, "b.png")));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, a[..4]);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.svg")), File.ReadAllBytes(Path.Combine(dir, "b.svg")));
            Assert.StartsWith("<?xml", File.ReadAllText(Path.Combine(dir, "a.svg")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void SimulatorWithRebindingsWritesTheSameReportAndChartInTwoProcesses()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nfdtls-rebind-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string[] run = { "--nodes", "8", "--duration", "5m", "--period", "20s", "--seed", "5", "--nat-rebind", "6", "--nat-rebind", "2m:0-3", "--quiet" };
            foreach (string name in new[] { "a", "b" })
            {
                var (code, err) = Sim(run.Concat(new[] { "--plot", Path.Combine(dir, name + ".png"), "--report", Path.Combine(dir, name + ".txt") }).ToArray());
                Assert.True(code == 0, err);
            }
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.png")), File.ReadAllBytes(Path.Combine(dir, "b.png")));
            string report = File.ReadAllText(Path.Combine(dir, "a.txt"));
            Assert.Equal(report, File.ReadAllText(Path.Combine(dir, "b.txt")));
            Assert.Contains("  nat rebind  nodes 0-3 at 2 min\n", report);
            Assert.Matches(@"  rebinds     (\d+) \(NAT\), \1 survived without a handshake, 0 recovered by a new handshake\n", report);
            Assert.Contains("Connection ID on", report);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void RandomRebindingsAreASeriesScheduledOnesAMarker()
    {
        var plan = new FleetPlan { Nodes = 12, Seed = 3, DurationMs = 120_000, Link = LinkProfile.Lossy(0.2), NatRebindsPerNodeHour = 60 };
        plan.NatRebinds.Add(new FleetNatRebind(30_000, 0, 11));
        var fleet = new TestFleet(true, 5_000);
        var recorder = FleetRecorder.PerReadingPeriod(plan.Nodes, plan.DurationMs, 5_000);
        fleet.Recorder = recorder;
        new FleetRunner(plan, fleet, recorder).Run();
        Assert.True(recorder.RandomRebindsPerBucket.Sum() > 5, "12 nodes, one a minute each, for two minutes");
        Assert.Equal(recorder.NatRebinds, recorder.RandomRebindsPerBucket.Sum() + 12);
        Assert.Single(recorder.Faults);
        string[] legend = Page(recorder).Charts.SelectMany(c => c.GetPlottables()).Select(p => p.LegendItems.FirstOrDefault()?.LabelText ?? "").ToArray();
        Assert.Contains("random NAT rebinds", legend);
        Assert.Contains("NAT rebinding", legend);
        Assert.Equal(Page(recorder).ToPng(), Page(recorder).ToPng());
    }

    private static (int Code, string Err) Sim(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NfDtls.Sim.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException("NfDtls.Sim did not finish");
        }
        _ = stdout.Result;
        return (p.ExitCode, stderr.Result);
    }
}
