using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NfDtls.PortabilityGuard.Nfproj;

/// <summary>
/// The .cs files an SDK-style csproj compiles, as paths relative to a project directory with '\' separators (the
/// form .nfproj Compile items use): the SDK default glob (**/*.cs minus bin/ and obj/), minus Compile Remove, plus
/// Compile Include. Globs support *, ** and ?. A directory with no csproj: every .cs file under it.
/// </summary>
public static class SourceSet
{
    public static SortedSet<string> OfCsproj(string csprojPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(csprojPath))!;
        var doc = XDocument.Load(csprojPath);
        var compile = doc.Descendants().Where(e => e.Name.LocalName == "Compile").ToArray();
        var defaultItems = !doc.Descendants().Any(e =>
            (e.Name.LocalName is "EnableDefaultCompileItems" or "EnableDefaultItems") && e.Value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase));

        var files = new SortedSet<string>(StringComparer.Ordinal);
        if (defaultItems)
        {
            files.UnionWith(CsFilesUnder(dir));
        }
        foreach (var item in compile)
        {
            if (item.Attribute("Include") is { } include)
            {
                foreach (var pattern in Split(include.Value))
                {
                    files.UnionWith(Expand(dir, pattern));
                }
            }
        }
        foreach (var item in compile)
        {
            if (item.Attribute("Remove") is { } remove)
            {
                foreach (var pattern in Split(remove.Value))
                {
                    var regex = GlobRegex(Normalize(pattern));
                    files.RemoveWhere(f => regex.IsMatch(f));
                }
            }
        }
        return files;
    }

    /// <summary>Every .cs under a directory except bin/ and obj/ (relative, '\' separated, ordinal order).</summary>
    public static SortedSet<string> CsFilesUnder(string dir)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(dir, path).Replace('/', '\\');
            var first = rel.Split('\\')[0];
            if (!first.Equals("bin", StringComparison.OrdinalIgnoreCase) && !first.Equals("obj", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(rel);
            }
        }
        return files;
    }

    private static IEnumerable<string> Split(string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Normalize(string pattern)
    {
        var p = pattern.Replace("$(MSBuildProjectDirectory)", ".").Replace("$(MSBuildThisFileDirectory)", ".").Replace('/', '\\');
        while (p.StartsWith(".\\", StringComparison.Ordinal))
        {
            p = p.Substring(2);
        }
        return p;
    }

    /// <summary>Files a pattern names, relative to dir; ".." patterns are resolved against dir and kept relative.</summary>
    private static IEnumerable<string> Expand(string dir, string pattern)
    {
        var p = pattern.Replace("$(MSBuildProjectDirectory)", ".").Replace("$(MSBuildThisFileDirectory)", ".").Replace('\\', '/');
        if (p.IndexOfAny(new[] { '*', '?' }) < 0)
        {
            var full = Path.GetFullPath(Path.Combine(dir, p));
            return File.Exists(full) ? new[] { Path.GetRelativePath(dir, full).Replace('/', '\\') } : new[] { p.Replace('/', '\\') };
        }
        // Root of the glob: the directory part before the first wildcard.
        int wild = p.IndexOfAny(new[] { '*', '?' });
        int slash = p.LastIndexOf('/', wild);
        var baseDir = Path.GetFullPath(Path.Combine(dir, slash < 0 ? "." : p.Substring(0, slash)));
        if (!Directory.Exists(baseDir))
        {
            return Array.Empty<string>();
        }
        var regex = GlobRegex(slash < 0 ? p : p.Substring(slash + 1));
        return CsFilesUnder(baseDir).Where(f => regex.IsMatch(f))
            .Select(f => Path.GetRelativePath(dir, Path.Combine(baseDir, f.Replace('\\', '/'))).Replace('/', '\\'));
    }

    private static Regex GlobRegex(string glob)
    {
        var g = glob.Replace('/', '\\');
        var rx = "^" + Regex.Escape(g)
            .Replace(@"\*\*\\", "(.*\\\\)?")
            .Replace(@"\*\*", ".*")
            .Replace(@"\*", @"[^\\]*")
            .Replace(@"\?", @"[^\\]") + "$";
        return new Regex(rx, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
