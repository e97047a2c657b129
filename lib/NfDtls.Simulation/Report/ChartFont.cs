using ScottPlot;
using SkiaSharp;

namespace NfDtls.Simulation.Report;

/// <summary>
/// The one font every chart uses: Liberation Sans Regular 2.1.5, embedded in this assembly (Report/Fonts/, SIL Open
/// Font License 1.1, unmodified). ScottPlot asks its font resolvers for a typeface by name; ours answers for
/// <see cref="Name"/> with the embedded face whatever weight is asked for (one face keeps the repository small; titles
/// stand out by size), so no glyph depends on the fonts a machine has, and a chart is the same bytes everywhere.
/// </summary>
public static class ChartFont
{
    /// <summary>The family name charts ask ScottPlot for (not a system font's name, so nothing else can answer it).</summary>
    public const string Name = "NfDtls Chart Sans";

    private const string Resource = "NfDtls.Simulation.Report.LiberationSans-Regular.ttf";

    private static readonly Lazy<SKTypeface> Face = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The embedded face; the first use also puts its resolver first in ScottPlot's list.</summary>
    public static SKTypeface Typeface => Face.Value;

    private static SKTypeface Load()
    {
        using Stream stream = typeof(ChartFont).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException("the chart font is not embedded (" + Resource + ")");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        using SKData data = SKData.CreateCopy(bytes);
        SKTypeface face = SKTypeface.FromData(data) ?? throw new InvalidOperationException("the embedded chart font does not load");
        Fonts.FontResolvers.Insert(0, new Resolver(face));
        // Whatever ScottPlot creates without an explicit font (legend entries at render time) takes the default.
        Fonts.Default = Name;
        Fonts.Sans = Name;
        return face;
    }

    private sealed class Resolver(SKTypeface face) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            fontName == Name ? face : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => fontName == Name ? face : null;
    }
}
