using NfDtls.PortabilityGuard.Nfproj;

namespace NfDtls.PortabilityGuard.Commands;

/// <summary>
/// sync-nfproj and check-nfproj: nanoFramework's project system is not on this machine, so the .nfproj files are
/// kept honest from here (issue 7): each compiles exactly what its csproj compiles, and every package id has one
/// version across all packages.config files and HintPaths of the repository.
/// </summary>
public static class NfprojCommands
{
    private static readonly HashSet<string> ValueFlags = new() { "--repo", "--shared", "--configuration" };
    private static readonly HashSet<string> SwitchFlags = new() { "--all" };

    public static int Sync(IEnumerable<string> args, TextWriter stdout)
    {
        var (layout, projects) = Projects(args);
        foreach (var nfproj in projects)
        {
            var sources = nfproj.ExpectedSources();
            var changed = NfprojFile.WriteCompileItems(nfproj.Path, sources);
            stdout.WriteLine("guard: " + layout.Relative(nfproj.Path) + ": " + (changed ? "rewrote" : "already had") + " "
                + sources.Count + " Compile items (" + (nfproj.Csproj != null ? "from " + layout.Relative(nfproj.Csproj) : "every .cs in its folder") + ")");
        }
        return 0;
    }

    public static int Check(IEnumerable<string> args, TextWriter stdout)
    {
        var (layout, projects) = Projects(args);
        var failures = 0;
        var files = 0;
        foreach (var nfproj in projects)
        {
            var name = layout.Relative(nfproj.Path);
            var expected = nfproj.ExpectedSources();
            var from = nfproj.Csproj != null ? "the csproj compiles" : "are in its folder";
            var missing = expected.Where(s => !nfproj.Compile.Contains(s)).ToArray();
            var extra = nfproj.Compile.Where(s => !expected.Contains(s)).ToArray();
            var absent = nfproj.Compile.Where(s => !File.Exists(Path.Combine(nfproj.Directory, s.Replace('\\', '/')))).ToArray();
            files += nfproj.Compile.Count;
            if (missing.Length > 0)
            {
                failures++;
                stdout.WriteLine("guard: " + name + ": missing " + missing.Length + " file(s) that " + from + ": " + string.Join(", ", missing));
            }
            if (extra.Length > 0)
            {
                failures++;
                stdout.WriteLine("guard: " + name + ": compiles " + extra.Length + " file(s) that the desktop build does not: " + string.Join(", ", extra));
            }
            if (absent.Length > 0)
            {
                failures++;
                stdout.WriteLine("guard: " + name + ": Compile items naming files that do not exist: " + string.Join(", ", absent));
            }
            var missingRefs = nfproj.ExpectedProjectReferences()
                .Where(r => !nfproj.ProjectReferences.Contains(r, StringComparer.Ordinal)).ToArray();
            if (missingRefs.Length > 0)
            {
                failures++;
                stdout.WriteLine("guard: " + name + ": its csproj references " + string.Join(", ", missingRefs.Select(r => Path.ChangeExtension(layout.Relative(r), ".csproj")))
                    + " but it lacks <ProjectReference Include=\"" + string.Join("\", \"", missingRefs.Select(r => Path.GetRelativePath(nfproj.Directory, r).Replace('/', '\\'))) + "\" />");
            }
            failures += CheckOwnPackages(layout, nfproj, stdout);
        }

        // Package versions are a repository-wide property, whichever projects were named.
        var uses = new List<PackageVersions.Use>();
        var configs = RepoFiles(layout.Root, "packages.config");
        foreach (var config in configs)
        {
            uses.AddRange(PackageVersions.FromPackagesConfig(config));
        }
        foreach (var nfproj in RepoFiles(layout.Root, "*.nfproj"))
        {
            uses.AddRange(PackageVersions.FromHintPaths(new NfprojFile(nfproj)));
        }
        foreach (var conflict in PackageVersions.Conflicts(uses, layout.Relative))
        {
            failures++;
            stdout.WriteLine("guard: packages: " + conflict);
        }
        // Every package built against the CoreLibrary the repository pins (major.minor: what nanoCLR binds on).
        foreach (var problem in PackageCoreLibrary.Problems(uses, PackageCoreLibrary.Load(PackageCoreLibrary.TablePath), layout.Relative))
        {
            failures++;
            stdout.WriteLine("guard: packages: " + problem);
        }

        if (failures > 0)
        {
            stdout.WriteLine("guard: check-nfproj FAILED (" + failures + " problems); `sync-nfproj --all` rewrites Compile items from the csproj files");
            return 1;
        }
        stdout.WriteLine("guard: check-nfproj OK: " + projects.Count + " nfproj, " + files + " Compile items, "
            + uses.Select(u => u.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count() + " package ids with one version each across "
            + configs.Count + " packages.config, each built against the pinned CoreLibrary");
        return 0;
    }

    /// <summary>A HintPath must name a package its own packages.config lists, at that version.</summary>
    private static int CheckOwnPackages(RepoLayout layout, NfprojFile nfproj, TextWriter stdout)
    {
        var config = Path.Combine(nfproj.Directory, "packages.config");
        var hints = PackageVersions.FromHintPaths(nfproj).ToArray();
        if (!File.Exists(config))
        {
            if (hints.Length == 0)
            {
                return 0;
            }
            stdout.WriteLine("guard: " + layout.Relative(nfproj.Path) + ": references packages but has no packages.config beside it");
            return 1;
        }
        var listed = PackageVersions.FromPackagesConfig(config).ToDictionary(u => u.Id, u => u.Version, StringComparer.OrdinalIgnoreCase);
        var problems = 0;
        foreach (var hint in hints)
        {
            if (!listed.TryGetValue(hint.Id, out var version))
            {
                problems++;
                stdout.WriteLine("guard: " + layout.Relative(nfproj.Path) + ": HintPath uses " + hint.Id + " " + hint.Version + ", which packages.config does not list");
            }
            else if (!string.Equals(version, hint.Version, StringComparison.OrdinalIgnoreCase))
            {
                problems++;
                stdout.WriteLine("guard: " + layout.Relative(nfproj.Path) + ": HintPath uses " + hint.Id + " " + hint.Version + ", packages.config says " + version);
            }
        }
        return problems;
    }

    private static (RepoLayout Layout, IReadOnlyList<NfprojFile> Projects) Projects(IEnumerable<string> args)
    {
        var cl = CommandLine.Parse(args, ValueFlags, SwitchFlags);
        var layout = RepoLayout.Discover(cl.Value("--repo"), cl.Value("--shared"), cl.Value("--configuration"));
        IEnumerable<string> paths;
        if (cl.Has("--all"))
        {
            paths = RepoFiles(layout.Root, "*.nfproj");
        }
        else if (cl.Positional.Count > 0)
        {
            paths = cl.Positional.Select(p => Path.IsPathRooted(p) ? p : Path.Combine(layout.Root, p));
        }
        else
        {
            throw new UsageException("name the .nfproj files, or --all");
        }
        return (layout, paths.Select(p => new NfprojFile(p)).ToArray());
    }

    /// <summary>Files of a name pattern anywhere in the repository except build output and .git.</summary>
    private static List<string> RepoFiles(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Replace('\\', '/').Split('/')
                .Any(part => part is "bin" or "obj" or ".git" or "packages" or "node_modules"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
}
