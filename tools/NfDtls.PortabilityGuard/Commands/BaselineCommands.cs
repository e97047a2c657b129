using NfDtls.PortabilityGuard.Checking;
using NfDtls.PortabilityGuard.References;

namespace NfDtls.PortabilityGuard.Commands;

/// <summary>check, update-baseline and list: the reference baseline of each guarded assembly.</summary>
public static class BaselineCommands
{
    private static readonly HashSet<string> ValueFlags = new() { "--assembly", "--baseline", "--api", "--trust", "--allow", "--repo", "--shared", "--configuration" };
    private static readonly HashSet<string> SwitchFlags = new() { "--all", "--quiet" };

    public static readonly string[] BaselineHeader =
    {
        "Everything this assembly references outside itself, one line each in the format of ../shared/nanoframework-api/",
        "(README.txt there). Written by tools/NfDtls.PortabilityGuard; `check` fails on any reference missing here, on any",
        "line here missing from the nanoFramework API lists, and on constructs ../shared/PORTABLE.md forbids.",
        "Review new lines, then regenerate: dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- update-baseline",
    };

    public static int Check(IEnumerable<string> args, TextWriter stdout)
    {
        var failed = 0;
        foreach (var target in Targets(args, requireBaseline: true))
        {
            var result = BaselineCheck.Run(target);
            failed += Report(result, stdout);
        }
        return failed == 0 ? 0 : 1;
    }

    public static int UpdateBaseline(IEnumerable<string> args, TextWriter stdout)
    {
        var failed = 0;
        foreach (var target in Targets(args, requireBaseline: true))
        {
            var used = BaselineCheck.Filter(ReferenceReader.Read(target.AssemblyPath, target.TrustedAssemblies).Lines);
            LineFile.Write(target.BaselinePath, BaselineHeader, used);
            stdout.WriteLine("guard: wrote " + used.Count + " lines to " + target.BaselinePath);
            // The new baseline still has to pass: a forbidden reference is not made acceptable by writing it down.
            failed += Report(BaselineCheck.Run(target), stdout);
        }
        return failed == 0 ? 0 : 1;
    }

    public static int List(IEnumerable<string> args, TextWriter stdout)
    {
        foreach (var target in Targets(args, requireBaseline: false))
        {
            var refs = ReferenceReader.Read(target.AssemblyPath, target.TrustedAssemblies);
            foreach (var line in BaselineCheck.Filter(refs.Lines))
            {
                stdout.WriteLine(line);
            }
            foreach (var own in refs.OwnGenericDefinitions)
            {
                stdout.WriteLine("# own generic definition: " + own);
            }
        }
        return 0;
    }

    /// <summary>Prints the verdict; returns 1 if the target failed.</summary>
    private static int Report(CheckResult result, TextWriter stdout)
    {
        var name = result.Target.Name + " (" + Path.GetFileName(result.Target.AssemblyPath) + ")";
        if (result.Passed)
        {
            stdout.WriteLine("guard: " + name + ": OK, " + result.Used.Count + " references, all in the baseline and the nanoFramework API"
                + (result.StaleBaselineLines.Count > 0 ? "; " + result.StaleBaselineLines.Count + " baseline lines no longer used (update-baseline drops them)" : ""));
            return 0;
        }
        stdout.WriteLine("guard: " + name + ": FAILED, " + result.Offenders.Count + " offenders:");
        foreach (var offender in result.Offenders)
        {
            stdout.WriteLine("  " + offender.Line);
            stdout.WriteLine("      " + offender.Reason);
            if (offender.UsedIn.Count > 0)
            {
                const int shown = 4;
                stdout.WriteLine("      used in " + string.Join(", ", offender.UsedIn.Take(shown))
                    + (offender.UsedIn.Count > shown ? " (+" + (offender.UsedIn.Count - shown) + " more)" : ""));
            }
        }
        return 1;
    }

    private static IEnumerable<GuardTarget> Targets(IEnumerable<string> args, bool requireBaseline)
    {
        var cl = CommandLine.Parse(args, ValueFlags, SwitchFlags);
        var layout = RepoLayout.Discover(cl.Value("--repo"), cl.Value("--shared"), cl.Value("--configuration"));
        if (cl.Value("--assembly") is { } assembly)
        {
            // An arbitrary assembly (fixtures, experiments): lists default to mscorlib 1.17 and its NoReflection sibling.
            var baseline = cl.Value("--baseline");
            if (baseline == null && requireBaseline)
            {
                throw new UsageException("--assembly needs --baseline FILE");
            }
            var apis = cl.Values("--api").Count > 0 ? cl.Values("--api").Select(Path.GetFullPath).ToArray() : new[] { layout.ApiList("mscorlib-1.17.txt") };
            return new[]
            {
                new GuardTarget(Path.GetFileNameWithoutExtension(assembly), Path.GetFullPath(assembly), Path.GetFullPath(baseline ?? "-"),
                    apis, cl.Values("--trust").ToArray(), new HashSet<string>(cl.Values("--allow")))
                {
                    NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
                },
            };
        }
        var names = cl.Positional.Count == 0 || cl.Has("--all") ? KnownTargets.Names : cl.Positional.ToArray();
        return names.Select(n => KnownTargets.Get(n, layout)).ToArray();
    }
}
