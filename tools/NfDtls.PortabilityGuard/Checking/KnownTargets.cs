namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// The assemblies of this repository that must run on nanoFramework, each with its baseline beside its project.
/// `check`, `update-baseline` and `list` without a target name work on all of them.
/// </summary>
public static class KnownTargets
{
    /// <summary>The portable core's layer assemblies, lowest first: each may use the ones before it.</summary>
    public static readonly string[] CoreLayers = { "NfDtls.Crypto", "NfDtls.Dtls", "NfDtls.Coap", "NfDtls.Node", "NfDtls.Gateway" };

    public static readonly string[] Names = { "crypto", "dtls", "coap", "node", "gateway", "device", "edgegateway", "devicetests" };

    public static GuardTarget Get(string name, RepoLayout layout) => name switch
    {
        // The portable core, one target per layer assembly: mscorlib 1.17 only, every PORTABLE.md rule; a layer may
        // use the layers below it (themselves guarded) and nothing above (the references would not resolve).
        "crypto" => CoreLayer(0, layout),
        "dtls" => CoreLayer(1, layout),
        "coap" => CoreLayer(2, layout),
        "node" => CoreLayer(3, layout),
        // The edge gateway's core (DTLS server with the node table, /readings, de-duplication, the MQTT uplink's
        // queue): shared by the desktop host and the board firmware, so it is a core layer like the others.
        "gateway" => CoreLayer(4, layout),
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
            new[] { "NfDtls.Crypto", "NfDtls.Dtls" },
            new HashSet<string> { "environment", "clock", "random" })
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        },
        // The edge gateway firmware's MQTT uplink (firmware/EdgeGateway/Uplink, compiled on desktop against stand-ins
        // written from the M2Mqtt lists): what it calls must be in nanoFramework.M2Mqtt 5.1 and the platform.
        "edgegateway" => new GuardTarget(
            "edgegateway",
            layout.BuildOutput("tests/Fixtures/FirmwareBuildCheck/EdgeGatewayUplink", "FirmwareBuildCheck.EdgeGatewayUplink"),
            layout.Repo("tests/Fixtures/FirmwareBuildCheck/EdgeGatewayUplink/PortableApi.baseline.txt"),
            new[]
            {
                layout.ApiList("mscorlib-1.17.txt"),
                layout.ApiList("System.Net-1.11.txt"),
                layout.ApiList("nanoFramework.Runtime.Native-1.7.txt"),
                layout.ApiList("nanoFramework.M2Mqtt-5.1.txt"),
                layout.ApiList("nanoFramework.M2Mqtt.Core-5.1.txt"),
            },
            CoreLayers.Concat(new[] { "NfDtls.Device" }).ToArray(),
            new HashSet<string> { "clock" })
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
            CoreLayers,
            new HashSet<string>())
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        },
        _ => throw new GuardException("unknown target '" + name + "' (known: " + string.Join(", ", Names) + ")"),
    };

    private static GuardTarget CoreLayer(int index, RepoLayout layout)
    {
        var assembly = CoreLayers[index];
        var folder = "lib/" + assembly;
        return new GuardTarget(
            assembly.Substring("NfDtls.".Length).ToLowerInvariant(),
            layout.BuildOutput(folder, assembly),
            layout.Repo(folder + "/PortableApi.baseline.txt"),
            new[] { layout.ApiList("mscorlib-1.17.txt") },
            CoreLayers.Take(index).ToArray(),
            new HashSet<string>())
        {
            NoReflectionPair = (layout.ApiList("mscorlib-1.17.txt"), layout.ApiList("mscorlib-1.17-noreflection.txt")),
        };
    }
}
