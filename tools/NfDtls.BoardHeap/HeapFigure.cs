using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NfDtls.BoardHeap;

/// <summary>One object of a measured graph: the shortest field path that reaches it, its type, its own bytes.</summary>
public sealed record HeapItem(string Path, string Type, int Bytes);

/// <summary>What a construction added to a board's heap: the total and each object, with views that say where the
/// bytes are (by type, by field path).</summary>
public sealed class HeapFigure
{
    private static readonly Regex Index = new(@"\[\d+\]", RegexOptions.Compiled);

    public HeapFigure(IReadOnlyList<HeapItem> items, IReadOnlyList<string> warnings)
    {
        Items = items;
        Warnings = warnings;
        Total = items.Sum(i => (long)i.Bytes);
    }

    /// <summary>Bytes in all.</summary>
    public long Total { get; }

    public IReadOnlyList<HeapItem> Items { get; }

    /// <summary>Objects priced from a desktop .NET class's fields (nanoFramework's class of the same name may differ).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public int Objects => Items.Count;

    /// <summary>Bytes and object count per type, largest first.</summary>
    public IEnumerable<(string Type, int Count, long Bytes)> ByType() => Items
        .GroupBy(i => i.Type)
        .Select(g => (g.Key, g.Count(), g.Sum(i => (long)i.Bytes)))
        .OrderByDescending(x => x.Item3).ThenBy(x => x.Item1, StringComparer.Ordinal);

    /// <summary>
    /// Bytes under each field path cut at <paramref name="depth"/> steps from the root (array indexes folded:
    /// "_sessions[3]._buffer" counts as "_sessions[]._buffer"), largest first.
    /// </summary>
    public IEnumerable<(string Path, int Count, long Bytes)> ByPath(int depth) => Items
        .GroupBy(i => Cut(Index.Replace(i.Path, "[]"), depth))
        .Select(g => (g.Key, g.Count(), g.Sum(i => (long)i.Bytes)))
        .OrderByDescending(x => x.Item3).ThenBy(x => x.Item1, StringComparer.Ordinal);

    /// <summary>A few lines: the total, then the largest types and field paths.</summary>
    public string Describe(int top = 8, int depth = 3, string indent = "    ")
    {
        var s = new StringBuilder();
        s.Append(indent).Append("by type: ");
        s.AppendJoin(", ", ByType().Take(top).Select(t => Short(t.Type) + (t.Count > 1 ? " x" + t.Count : "") + " " + N(t.Bytes)));
        s.Append('\n').Append(indent).Append("by path: ");
        s.AppendJoin(", ", ByPath(depth).Take(top).Select(p => p.Path + " " + N(p.Bytes)));
        s.Append('\n');
        foreach (var w in Warnings)
        {
            s.Append(indent).Append("note: ").Append(w).Append('\n');
        }
        return s.ToString();
    }

    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string type)
    {
        int dot = type.LastIndexOf('.', type.EndsWith("[]", StringComparison.Ordinal) ? type.Length - 3 : type.Length - 1);
        return dot < 0 ? type : type[(dot + 1)..];
    }

    private static string Cut(string path, int depth)
    {
        int steps = 0;
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '.' && ++steps > depth)
            {
                return path[..i];
            }
        }
        return path;
    }
}
