using System.Globalization;

namespace NfDtls.Simulation.Report;

/// <summary>One named series of (x, y) points.</summary>
public sealed record ChartSeries(string Name, uint Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A plain line chart (axes, ticks, legend) drawn into a <see cref="PngImage"/> panel.</summary>
public static class LineChart
{
    public static void Draw(PngImage image, int left, int top, int width, int height, string title, string xLabel, string yLabel,
                            IReadOnlyList<ChartSeries> series)
    {
        const uint axis = 0x333333, grid = 0xE0E0E0;
        int plotLeft = left + 60, plotTop = top + 30, plotWidth = width - 80, plotHeight = height - 70;
        image.Text(left + (width - PngImage.TextWidth(title, 2)) / 2, top + 4, title, axis, 2);

        double maxX = 1, maxY = 1;
        foreach (var s in series)
        {
            foreach (var (x, y) in s.Points)
            {
                maxX = Math.Max(maxX, x);
                maxY = Math.Max(maxY, y);
            }
        }
        maxY = NiceCeiling(maxY);

        for (int i = 0; i <= 4; i++)
        {
            int y = plotTop + plotHeight - i * plotHeight / 4;
            image.Line(plotLeft, y, plotLeft + plotWidth, y, grid);
            string label = Format(maxY * i / 4);
            image.Text(plotLeft - 6 - PngImage.TextWidth(label), y - 3, label, axis);
            int x = plotLeft + i * plotWidth / 4;
            string xl = Format(maxX * i / 4);
            image.Text(x - PngImage.TextWidth(xl) / 2, plotTop + plotHeight + 6, xl, axis);
        }
        image.Line(plotLeft, plotTop, plotLeft, plotTop + plotHeight, axis);
        image.Line(plotLeft, plotTop + plotHeight, plotLeft + plotWidth, plotTop + plotHeight, axis);
        image.Text(plotLeft + (plotWidth - PngImage.TextWidth(xLabel)) / 2, plotTop + plotHeight + 20, xLabel, axis);
        image.Text(left + 2, plotTop - 14, yLabel, axis);

        int legendX = plotLeft + 8;
        foreach (var s in series)
        {
            image.Fill(legendX, plotTop + 4, 10, 7, s.Colour);
            legendX += 14 + image.Text(legendX + 14, plotTop + 4, s.Name, axis) + 12;
            (int X, int Y)? last = null;
            foreach (var (x, y) in s.Points)
            {
                int px = plotLeft + (int)(x / maxX * plotWidth);
                int py = plotTop + plotHeight - (int)(Math.Min(y, maxY) / maxY * plotHeight);
                if (last is { } l)
                {
                    image.Line(l.X, l.Y, px, py, s.Colour, 2);
                }
                last = (px, py);
            }
        }
    }

    private static double NiceCeiling(double v)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static string Format(double v) =>
        v >= 100 || v == Math.Floor(v) ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.#", CultureInfo.InvariantCulture);
}
