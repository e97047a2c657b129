using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace NfDtls.Simulation.Report;

/// <summary>
/// One picture of several ScottPlot charts: a title and subtitle lines on top, then the charts stacked, each the full
/// width. Written as PNG or SVG. Every piece of text is in <see cref="ChartFont"/>, and nothing (no clock, no machine
/// font, no random colour) varies between runs, so the same charts give the same bytes.
/// </summary>
public sealed class ChartPage
{
    private const float Margin = 16;
    private const float TitleSize = 22;
    private const float SubtitleSize = 14;
    private readonly List<(Plot Plot, int Height)> _panels = new();

    public ChartPage(int width, string title, IReadOnlyList<string> subtitle)
    {
        Width = width;
        Title = title;
        Subtitle = subtitle;
    }

    public int Width { get; }
    public string Title { get; }
    public IReadOnlyList<string> Subtitle { get; }

    /// <summary>The charts, top to bottom.</summary>
    public IReadOnlyList<Plot> Charts => _panels.Select(p => p.Plot).ToList();

    private float HeaderHeight => Margin + TitleSize + 6 + Subtitle.Count * (SubtitleSize + 4) + 14;

    public int Height => (int)HeaderHeight + _panels.Sum(p => p.Height);

    /// <summary>A new chart below the others, <paramref name="height"/> pixels tall, its text already in the chart font.</summary>
    public Plot AddChart(int height)
    {
        // Registers the embedded font before the chart looks its name up (an unknown name falls back to a system font).
        _ = ChartFont.Typeface;
        var plot = new Plot();
        plot.Font.Set(ChartFont.Name);
        plot.Legend.FontName = ChartFont.Name;
        _panels.Add((plot, height));
        return plot;
    }

    /// <summary>Writes the page to <paramref name="path"/>: SVG when it ends in .svg, PNG otherwise.</summary>
    public void Save(string path) =>
        File.WriteAllBytes(path, path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) ? ToSvg() : ToPng());

    public byte[] ToPng()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque))
            ?? throw new InvalidOperationException("cannot allocate a " + Width + "x" + Height + " image");
        Draw(surface.Canvas);
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    public byte[] ToSvg()
    {
        var output = new MemoryStream();
        using (SKCanvas canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, Height), output))
        {
            Draw(canvas);
        }
        return Encoding.UTF8.GetBytes(RenumberClips(Encoding.UTF8.GetString(output.ToArray())));
    }

    /// <summary>
    /// Skia names an SVG clip path after a counter that runs for the whole process (hex: cl_4 in one picture, cl_3a in
    /// the next): renumbered in order of appearance, the same chart is the same bytes whatever was drawn before it.
    /// </summary>
    private static string RenumberClips(string svg)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipReference.Replace(svg, m =>
        {
            string old = m.Groups[2].Value;
            if (!names.TryGetValue(old, out string? renamed))
            {
                renamed = "cl_" + (names.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                names[old] = renamed;
            }
            return m.Groups[1].Value + renamed + m.Groups[3].Value;
        });
    }

    private static readonly Regex ClipReference = new("(id=\"|url\\(#)(cl_[0-9a-f]+)(\"|\\))", RegexOptions.CultureInvariant);

    private void Draw(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        using var titleFont = new SKFont(ChartFont.Typeface, TitleSize) { Edging = SKFontEdging.Antialias, Subpixel = false };
        using var subtitleFont = new SKFont(ChartFont.Typeface, SubtitleSize) { Edging = SKFontEdging.Antialias, Subpixel = false };
        using var ink = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true };
        float y = Margin + TitleSize;
        canvas.DrawText(Title, Margin, y, SKTextAlign.Left, titleFont, ink);
        y += 6;
        foreach (string line in Subtitle)
        {
            y += SubtitleSize + 4;
            canvas.DrawText(line, Margin, y, SKTextAlign.Left, subtitleFont, grey);
        }
        float top = HeaderHeight;
        foreach (var (plot, height) in _panels)
        {
            var rect = new PixelRect(0, Width, top + height, top);
            // A chart clears what it draws on; the clip keeps it to its own strip.
            canvas.Save();
            canvas.ClipRect(new SKRect(0, top, Width, top + height));
            plot.Render(canvas, rect);
            canvas.Restore();
            top += height;
        }
    }
}
