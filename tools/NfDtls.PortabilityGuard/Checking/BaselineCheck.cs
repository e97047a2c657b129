using NfDtls.PortabilityGuard.References;

namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// The guard's verdict on one assembly. It fails, naming each line, when the assembly references something the
/// reviewed baseline does not list, when a baseline line is not in the target's nanoFramework API lists, when a
/// line breaks a PORTABLE.md rule, or when the assembly defines generic types or methods of its own.
/// </summary>
public static class BaselineCheck
{
    public const string NotInBaseline = "not in the baseline: a new dependency (review it, then run update-baseline)";
    public const string OwnGeneric = "a generic type or method the assembly defines: PORTABLE.md forbids generics";

    public static CheckResult Run(GuardTarget target)
    {
        var references = ReferenceReader.Read(target.AssemblyPath, target.TrustedAssemblies);
        var used = Filter(references.Lines);
        var baseline = File.Exists(target.BaselinePath)
            ? LineFile.ReadSet(target.BaselinePath)
            : new HashSet<string>(StringComparer.Ordinal);

        var reasons = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in used)
        {
            if (!baseline.Contains(line))
            {
                Add(reasons, line, NotInBaseline);
            }
        }
        var all = new SortedSet<string>(used, StringComparer.Ordinal);
        all.UnionWith(baseline);
        foreach (var offender in ApiOffenders(target, all))
        {
            Add(reasons, offender.Line, offender.Reason);
        }
        foreach (var own in references.OwnGenericDefinitions)
        {
            Add(reasons, own, OwnGeneric);
        }

        var offenders = reasons.Select(r => new Offender(r.Key, string.Join("; ", r.Value))
        {
            UsedIn = references.UsedIn.TryGetValue(r.Key, out var users) ? users : Array.Empty<string>(),
        }).ToArray();
        var stale = baseline.Where(b => !used.Contains(b)).OrderBy(b => b, StringComparer.Ordinal).ToArray();
        return new CheckResult(target, used, offenders, stale);
    }

    /// <summary>Lines that break a PORTABLE.md rule, are not in the target's API lists, or need reflection.</summary>
    public static List<Offender> ApiOffenders(GuardTarget target, IEnumerable<string> lines)
    {
        var api = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in target.ApiListPaths)
        {
            api.UnionWith(LineFile.ReadSet(path));
        }
        HashSet<string>? mscorlib = null, noReflection = null;
        if (target.NoReflectionPair is { } pair)
        {
            mscorlib = LineFile.ReadSet(pair.Mscorlib);
            noReflection = LineFile.ReadSet(pair.NoReflection);
        }
        var listNames = string.Join(", ", target.ApiListPaths.Select(Path.GetFileName));

        var offenders = new List<Offender>();
        foreach (var line in lines)
        {
            var rule = PortabilityRules.Match(line, target.AllowedRuleIds);
            if (rule != null)
            {
                offenders.Add(new Offender(line, "PORTABLE.md [" + rule.Id + "]: " + rule.Message));
            }
            if (!DeclaringTypeAliases.IsIn(line, api))
            {
                offenders.Add(new Offender(line, "not in the nanoFramework API (" + listNames + ")"));
            }
            else if (rule == null && mscorlib != null && mscorlib.Contains(line) && !noReflection!.Contains(line))
            {
                offenders.Add(new Offender(line, "absent on the NoReflection firmware flavour (mscorlib-1.17-noreflection.txt)"));
            }
        }
        return offenders;
    }

    /// <summary>What the baseline tracks: external references minus compiler-emitted System.Runtime.CompilerServices.*Attribute.</summary>
    public static SortedSet<string> Filter(IEnumerable<string> lines)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!IsCompilerAttribute(line))
            {
                set.Add(line);
            }
        }
        return set;
    }

    /// <summary>T/M/F lines on a System.Runtime.CompilerServices.*Attribute type (issue 2: these may be ignored).</summary>
    public static bool IsCompilerAttribute(string line)
    {
        const string ns = "System.Runtime.CompilerServices.";
        if (line.Length < 2 + ns.Length || string.CompareOrdinal(line, 2, ns, 0, ns.Length) != 0)
        {
            return false;
        }
        var type = line.Substring(2);
        int end = type.IndexOf("::", StringComparison.Ordinal);
        if (end >= 0)
        {
            type = type.Substring(0, end);
        }
        return type.IndexOf('/') < 0 && type.IndexOf('<') < 0 && type.EndsWith("Attribute", StringComparison.Ordinal);
    }

    private static void Add(SortedDictionary<string, List<string>> reasons, string line, string reason)
    {
        if (!reasons.TryGetValue(line, out var list))
        {
            reasons[line] = list = new List<string>();
        }
        if (!list.Contains(reason))
        {
            list.Add(reason);
        }
    }
}

/// <summary>The outcome: every line the assembly uses, the offenders, and baseline lines no longer used (harmless).</summary>
public sealed record CheckResult(GuardTarget Target, IReadOnlyCollection<string> Used, IReadOnlyList<Offender> Offenders, IReadOnlyList<string> StaleBaselineLines)
{
    public bool Passed => Offenders.Count == 0;
}
