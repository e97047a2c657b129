namespace NfDtls.PortabilityGuard.Nfproj;

/// <summary>
/// The CoreLibrary each pinned package was built against (PackageCoreLibrary.txt beside this file, from the packages'
/// nuspecs), and the check that they all match the CoreLibrary the repository pins: nanoCLR binds an assembly reference
/// on major.minor, so a package built against CoreLibrary 1.15 does not load next to mscorlib 1.17 (issue 11 §6).
/// </summary>
public static class PackageCoreLibrary
{
    public const string CoreLibraryId = "nanoFramework.CoreLibrary";

    public sealed record Entry(string Id, string Version, string CoreLibrary, string Source);

    public static string TablePath => Path.Combine(AppContext.BaseDirectory, "Nfproj", "PackageCoreLibrary.txt");

    public static IReadOnlyList<Entry> Load(string path)
    {
        var entries = new List<Entry>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                throw new GuardException(path + ": '" + line + "' wants id, version, CoreLibrary version and a source");
            }
            entries.Add(new Entry(parts[0], parts[1], parts[2], parts.Length > 3 ? parts[3] : ""));
        }
        return entries;
    }

    /// <summary>Each problem with the packages used: not in the table, or built against another CoreLibrary major.minor.</summary>
    public static IEnumerable<string> Problems(IEnumerable<PackageVersions.Use> uses, IReadOnlyList<Entry> table, Func<string, string> display)
    {
        var all = uses.ToArray();
        var pinned = all.Where(u => string.Equals(u.Id, CoreLibraryId, StringComparison.OrdinalIgnoreCase))
            .Select(u => MajorMinor(u.Version)).Distinct().ToArray();
        if (pinned.Length != 1)
        {
            yield break; // no CoreLibrary, or two: the one-version check says so
        }
        foreach (var byPackage in all.Where(u => !string.Equals(u.Id, CoreLibraryId, StringComparison.OrdinalIgnoreCase))
                     .GroupBy(u => (u.Id.ToLowerInvariant(), u.Version)).OrderBy(g => g.Key.Item1, StringComparer.Ordinal))
        {
            var use = byPackage.First();
            var entry = table.FirstOrDefault(e => string.Equals(e.Id, use.Id, StringComparison.OrdinalIgnoreCase)
                                                  && string.Equals(e.Version, use.Version, StringComparison.OrdinalIgnoreCase));
            string where = string.Join(", ", byPackage.Select(u => display(u.File)).Distinct());
            if (entry == null)
            {
                yield return use.Id + " " + use.Version + " (" + where + ") has no CoreLibrary dependency in Nfproj/PackageCoreLibrary.txt: read its nuspec and add it";
            }
            else if (MajorMinor(entry.CoreLibrary) != pinned[0])
            {
                yield return use.Id + " " + use.Version + " (" + where + ") was built against CoreLibrary " + entry.CoreLibrary
                    + ", but the repository pins " + pinned[0] + ".x: nanoCLR would refuse to load it (it binds on major.minor)";
            }
        }
    }

    private static string MajorMinor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
