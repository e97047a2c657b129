namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// The assemblies of this repository that must run on nanoFramework, each with its baseline beside its project.
/// `check`, `update-baseline` and `list` without a target name work on all of them.
/// </summary>
public static class KnownTargets
{
    public static readonly string[] Names = { "core", "device", "devicetests" };

    public static GuardTarget Get(string name, RepoLayout layout) => name switch
    {
        // The portable core: mscorlib 1.17 only, every PORTABLE.md rule.
        "core" => new GuardTarget(
            "core",
            layout.BuildOutput("lib/NfDtls", "NfDtls.Core"),
            layout.Repo("lib/NfDtls/PortableApi.baseline.txt"),
            new[] { layout.ApiList("mscorlib-1.17.txt") },
            Array.Empty<string>(),
            new HashSet<string>())
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        },
        // The device bindings: also System.Net (sockets) and Runtime.Native (TickCount64); as adapters they may read
        // the clock and System.Random (the TRNG), which the core may not. The core they call is checked on its own.
        "device" => new GuardTarget(
            "device",
            layout.BuildOutput("lib/NfDtls.Device", "NfDtls.Device"),
            layout.Repo("lib/NfDtls.Device/PortableApi.baseline.txt"),
            new[]
            {
                layout.ApiList("mscorlib-1.17.txt"),
                layout.ApiList("System.Net-1.11.txt"),
                layout.ApiList("nanoFramework.Runtime.Native-1.7.txt"),
            },
            new[] { "NfDtls.Core" },
            new HashSet<string> { "environment", "clock", "random" })
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        },
        // The device tests (tests/NfDtls.DeviceTests, compiled on desktop against a stand-in TestFramework): portable
        // code too, and only the TestFramework 3 API the real package has.
        "devicetests" => new GuardTarget(
            "devicetests",
            layout.BuildOutput("tests/NfDtls.DeviceTests", "NfDtls.DeviceTests"),
            layout.Repo("tests/NfDtls.DeviceTests/PortableApi.baseline.txt"),
            new[] { layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("nanoFramework.TestFramework-3.0.txt") },
            new[] { "NfDtls.Core" },
            new HashSet<string>())
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        },
        _ => throw new GuardException("unknown target '" + name + "' (known: " + string.Join(", ", Names) + ")"),
    };
}
