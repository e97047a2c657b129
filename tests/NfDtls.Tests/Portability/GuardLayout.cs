using System.Reflection;
using NfDtls.PortabilityGuard;
using NfDtls.PortabilityGuard.Checking;

namespace NfDtls.Tests.Portability;

/// <summary>The guard's view of this repository, for the build configuration these tests were built in.</summary>
public static class GuardLayout
{
    public static string Configuration { get; } =
        typeof(GuardLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static RepoLayout Layout { get; } = new(RepoPaths.Root, RepoPaths.Shared, Configuration);

    public static string FixtureAssembly(string name) =>
        Path.Combine(RepoPaths.Root, "tests", "Fixtures", name, "bin", Configuration, "net10.0", name + ".dll");

    /// <summary>A target for any assembly, held to mscorlib 1.17 (and its NoReflection flavour) with the given baseline.</summary>
    public static GuardTarget Target(string assembly, string baseline, params string[] allowedRules) =>
        new(Path.GetFileNameWithoutExtension(assembly), assembly, baseline,
            new[] { Layout.ApiList("mscorlib-1.17.txt") }, Array.Empty<string>(), new HashSet<string>(allowedRules))
        {
            NoReflectionPair = (Layout.ApiList("mscorlib-1.17.txt"), Layout.ApiList("mscorlib-1.17-noreflection.txt")),
        };

    public static string TempFile(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), "nfdtls-guard-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Runs the guard's command line in-process: (exit code, stdout + stderr).</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var all = args.Concat(new[] { "--repo", RepoPaths.Root, "--shared", RepoPaths.Shared, "--configuration", Configuration });
        int code = GuardProgram.Run(args.Length > 0 && args[0] is "rules" ? args : all.ToArray(), output, output);
        return (code, output.ToString());
    }
}
