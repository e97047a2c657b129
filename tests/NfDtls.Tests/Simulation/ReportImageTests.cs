using NfDtls.Simulation.Report;
using Xunit;

namespace NfDtls.Tests.Simulation;

public class ReportImageTests
{
    [Fact]
    public void ChartIsAValidPngWithTheSeriesDrawn()
    {
        var image = new PngImage(400, 240);
        var pts = Enumerable.Range(0, 20).Select(i => ((double)i, (double)(i * i))).ToList();
        LineChart.Draw(image, 0, 0, 400, 240, "TEST", "X", "Y", new[] { new ChartSeries("SQUARES", 0xFF0000, pts) });
        int red = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                red += image.GetPixel(x, y) == 0xFF0000 ? 1 : 0;
            }
        }
        Assert.True(red > 200, "series line drawn: " + red);

        var ms = new MemoryStream();
        image.Save(ms);
        byte[] png = ms.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
        // The chunk CRC of IEND is the well-known constant AE 42 60 82.
        Assert.Equal(new byte[] { 0xAE, 0x42, 0x60, 0x82 }, png[^4..]);
    }
}
