using System.Globalization;
using NfDtls.PortabilityGuard.ByteCode;
using NfDtls.PortabilityGuard.Checking;

namespace NfDtls.PortabilityGuard.Commands;

/// <summary>
/// bytecode: each device assembly's nanoFramework byte-code table size (what MetadataProcessor would write, see
/// <see cref="NanoByteCode"/>), failing above the budget. The assemblies are the guard's known targets, so a new
/// device assembly is measured as soon as it is a target.
/// </summary>
public static class ByteCodeCommand
{
    private static readonly HashSet<string> ValueFlags = new() { "--assembly", "--limit", "--top", "--repo", "--shared", "--configuration" };
    private static readonly HashSet<string> SwitchFlags = new() { "--namespaces", "--all" };

    public static int Run(IEnumerable<string> args, TextWriter stdout)
    {
        var cl = CommandLine.Parse(args, ValueFlags, SwitchFlags);
        int limit = ParseInt(cl.Value("--limit"), ByteCodeTable.Budget, "--limit");
        int top = ParseInt(cl.Value("--top"), 0, "--top");
        var assemblies = new List<(string Label, string Path)>();
        if (cl.Values("--assembly").Count > 0)
        {
            assemblies.AddRange(cl.Values("--assembly").Select(a => (Path.GetFileNameWithoutExtension(a), Path.GetFullPath(a))));
        }
        else
        {
            var layout = RepoLayout.Discover(cl.Value("--repo"), cl.Value("--shared"), cl.Value("--configuration"));
            var names = cl.Positional.Count == 0 || cl.Has("--all") ? KnownTargets.Names : cl.Positional.ToArray();
            assemblies.AddRange(names.Select(n => KnownTargets.Get(n, layout)).Select(t => (t.Name, t.AssemblyPath)));
        }

        int failed = 0;
        foreach (var (label, path) in assemblies)
        {
            var table = ByteCodeTable.Read(path);
            bool over = table.Total > limit;
            failed += over ? 1 : 0;
            stdout.WriteLine("bytecode: " + (table.AssemblyName + ".dll").PadRight(28) + N(table.Total).PadLeft(8) + " B  "
                + (100.0 * table.Total / limit).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5) + "% of " + N(limit) + " B"
                + (over ? "  OVER BUDGET" : "") + "  (" + label + ", " + table.Methods.Count(m => m.Bytes > 0) + " method bodies)");
            if (cl.Has("--namespaces"))
            {
                foreach (var (ns, bytes) in table.ByNamespace())
                {
                    stdout.WriteLine("    " + (ns.Length == 0 ? "(no namespace)" : ns).PadRight(36) + N(bytes).PadLeft(8) + " B");
                }
            }
            foreach (var m in table.Methods.OrderByDescending(m => m.Bytes).Take(top))
            {
                stdout.WriteLine("    " + N(m.Bytes).PadLeft(6) + " B  " + m.Type + "::" + m.Method);
            }
        }
        if (failed > 0)
        {
            stdout.WriteLine("bytecode: " + failed + " assembl" + (failed == 1 ? "y is" : "ies are") + " above " + N(limit)
                + " B: split it along a layer, or move code out (MetadataProcessor refuses 65,536 B and more)");
        }
        return failed == 0 ? 0 : 1;
    }

    private static string N(int v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static int ParseInt(string? text, int fallback, string flag)
    {
        if (text == null)
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 0)
        {
            throw new UsageException(flag + " needs a non-negative number");
        }
        return value;
    }
}
