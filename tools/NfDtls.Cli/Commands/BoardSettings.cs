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
    public static string Load(string board, out string source) => Load(board, FileName, "--board", out source);

    /// <summary>Boards that can be an edge gateway (they have a gateway.settings).</summary>
    public static IReadOnlyList<string> KnownGateways() =>
        typeof(BoardSettings).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith("/" + GatewayFileName, StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^(GatewayFileName.Length + 1)])
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

    /// <summary>A board's edge-gateway settings (boards/&lt;board&gt;/gateway.settings), by name or path.</summary>
    public static string LoadGateway(string board, out string source) => Load(board, GatewayFileName, "--gateway-board", out source);

    private const string GatewayFileName = "gateway.settings";

    private static string Load(string board, string fileName, string flag, out string source)
    {
        string path = Directory.Exists(board) ? Path.Combine(board, fileName) : board;
        if (File.Exists(path))
        {
            source = path;
            return File.ReadAllText(path);
        }
        using Stream? s = typeof(BoardSettings).Assembly.GetManifestResourceStream(ResourcePrefix + board + "/" + fileName);
        if (s == null)
        {
            var known = fileName == FileName ? Known() : KnownGateways();
            throw new UsageException(flag + ": no board '" + board + "' (known: " + string.Join(", ", known) + "; or give a path to a " + fileName + ")");
        }
        source = "boards/" + board;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
