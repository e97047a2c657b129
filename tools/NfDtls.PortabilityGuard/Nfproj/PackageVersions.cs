using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NfDtls.PortabilityGuard.Nfproj;

/// <summary>
/// Package ids and versions as the nanoFramework projects name them: packages.config entries and the
/// packages\&lt;Id&gt;.&lt;Version&gt;\ folder in each Reference HintPath. One id must have one version across the repo.
/// </summary>
public static class PackageVersions
{
    private static readonly Regex HintPackage = new(@"packages[\\/](?<folder>[^\\/]+)[\\/]", RegexOptions.CultureInvariant);
    private static readonly Regex IdVersion = new(@"^(?<id>.+?)\.(?<version>\d+(\.\d+)+(-[0-9A-Za-z.-]+)?)$", RegexOptions.CultureInvariant);

    public sealed record Use(string Id, string Version, string File);

    public static IEnumerable<Use> FromPackagesConfig(string path)
    {
        var doc = XDocument.Load(path);
        foreach (var p in doc.Descendants().Where(e => e.Name.LocalName == "package"))
        {
            var id = p.Attribute("id")?.Value;
            var version = p.Attribute("version")?.Value;
            if (id != null && version != null)
            {
                yield return new Use(id, version, path);
            }
        }
    }

    public static IEnumerable<Use> FromHintPaths(NfprojFile nfproj)
    {
        foreach (var hint in nfproj.HintPaths)
        {
            var folder = HintPackage.Match(hint);
            if (!folder.Success)
            {
                continue;
            }
            var split = IdVersion.Match(folder.Groups["folder"].Value);
            if (split.Success)
            {
                yield return new Use(split.Groups["id"].Value, split.Groups["version"].Value, nfproj.Path);
            }
        }
    }

    /// <summary>For each package id used with more than one version: the id and each version with the files using it.</summary>
    public static IEnumerable<string> Conflicts(IEnumerable<Use> uses, Func<string, string> display)
    {
        foreach (var byId in uses.GroupBy(u => u.Id, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var versions = byId.GroupBy(u => u.Version, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
            if (versions.Length > 1)
            {
                yield return byId.Key + " has " + versions.Length + " versions: " + string.Join("; ",
                    versions.Select(v => v.Key + " in " + string.Join(", ", v.Select(u => display(u.File)).Distinct())));
            }
        }
    }
}
