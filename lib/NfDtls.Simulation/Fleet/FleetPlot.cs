using NfDtls.Simulation.Report;

namespace NfDtls.Simulation.Fleet;

/// <summary>The run as a picture: readings delivered per interval, and latency in seconds (p50, p95) by the time a reading was taken.</summary>
public static class FleetPlot
{
    public static void Save(FleetRecorder r, string path, string title)
    {
        var image = new PngImage(960, 720);
        double minutes = r.BucketMs / 60_000.0;
        var delivered = new List<(double, double)>();
        var p50 = new List<(double, double)>();
        var p95 = new List<(double, double)>();
        for (int i = 0; i < r.DeliveredPerBucket.Length; i++)
        {
            double x = (i + 1) * minutes;
            delivered.Add((x, r.DeliveredPerBucket[i]));
            var bucket = r.LatencyPerBucket[i];
            if (bucket.Count > 0)
            {
                p50.Add((x, FleetRecorder.Percentile(bucket, 50) / 1000.0));
                p95.Add((x, FleetRecorder.Percentile(bucket, 95) / 1000.0));
            }
        }
        string interval = r.BucketMs >= 60_000
            ? (r.BucketMs / 60_000.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " min"
            : (r.BucketMs / 1000.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s";
        LineChart.Draw(image, 0, 0, 960, 360, title + ": readings delivered per " + interval, "simulated minutes", "readings",
            new[] { new ChartSeries("delivered", 0x1F77B4, delivered) });
        LineChart.Draw(image, 0, 360, 960, 360, "latency from sensor to gateway (by minute taken)", "simulated minutes", "seconds",
            new[] { new ChartSeries("p50", 0x2CA02C, p50), new ChartSeries("p95", 0xD62728, p95) });
        image.Save(path);
    }
}
