using System.Reflection;

namespace NfDtls.Cli.Commands;

/// <summary>
/// A board's default node settings (boards/&lt;board&gt;/board.settings). The files are embedded in the tool, so an
/// installed `nfdtls` knows every board; a path to a file or a board folder is read from disk instead.
/// </summary>
public static class BoardSettings
{
    private const string ResourcePrefix = "boards/";
    private const string FileName = "board.settings";

    /// <summary>Board names embedded in this build.</summary>
    public static IReadOnlyList<string> Known() =>
        typeof(BoardSettings).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith("/" + FileName, StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^(FileName.Length + 1)])
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The settings text for a board name or path; <paramref name="source"/> says where it came from.</summary>
    public static string Load(string board, out string source)
    {
        string path = Directory.Exists(board) ? Path.Combine(board, FileName) : board;
        if (File.Exists(path))
        {
            source = path;
            return File.ReadAllText(path);
        }
        using Stream? s = typeof(BoardSettings).Assembly.GetManifestResourceStream(ResourcePrefix + board + "/" + FileName);
        if (s == null)
        {
            throw new UsageException("--board: no board '" + board + "' (known: " + string.Join(", ", Known()) + "; or give a path to a board.settings)");
        }
        source = "boards/" + board;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
