using NfDtls.BoardHeap;

namespace NfDtls.Tests.BoardHeap;

/// <summary>
/// The rows nanoCLR was measured on (issue 11: nanoFramework's interpreter, 32-bit build, free heap from
/// nanoFramework.Runtime.Native.GC.Run(false) before and after the construction), rebuilt on desktop for the model:
/// the code-dependent ones from the 0bb2224 core of <see cref="FixtureCore"/>, with the ESP32-DevKitC settings of that
/// commit (tests/Fixtures/Core0bb2224/esp32-devkitc.board.settings). What existed before the construction on the board
/// is passed as existing, so it is not counted; what the board built between its two GC.Run calls counts (see each row).
/// </summary>
public static class Calibration0bb2224
{
    public sealed record Row(string What, long NanoClrBytes, Func<FixtureCore, HeapFigure> Measure);

    public static string Fixture(string file) => Path.Combine(RepoPaths.Root, "tests", "Fixtures", "Core0bb2224", file);

    public static readonly Row[] Rows =
    {
        new("object[1000]", 12_024, _ => BoardHeapModel.Measure(() => new object[1000])),
        new("byte[10000]", 10_020, _ => BoardHeapModel.Measure(() => new byte[10000])),
        new("int[1000]", 4_020, _ => BoardHeapModel.Measure(() => new int[1000])),
        new("1,000 objects with 8 int fields each", 108_000, _ => BoardHeapModel.Measure(
            () => Enumerable.Range(0, 1000).Select(i => ("o" + i, (object)new EightInts())).ToArray())),
        new("PSK DtlsClient, default DtlsConfig", 14_484, core => PskClient(core, withCoap: false)),
        new("PSK DtlsClient + CoapOverDtls, default configs", 49_776, core => PskClient(core, withCoap: true)),
        new("SensorNode, PSK, default NodeSettings", 47_832, core => Node(core, boardSettings: false, "psk")),
        new("SensorNode, esp32-devkitc board.settings, PSK", 43_260, core => Node(core, boardSettings: true, "psk")),
        new("SensorNode, esp32-devkitc board.settings, RPK", 58_596, core => Node(core, boardSettings: true, "rpk")),
    };

    /// <summary>A class of eight int fields (the 1,000 objects).</summary>
    public sealed class EightInts
    {
        public int A, B, C, D, E, F, G, H;
    }

    private static object Provider(FixtureCore core) => core.Type("Crypto.PortableCryptoProvider").GetField("Instance")!.GetValue(null)!;

    private static object Random(FixtureCore core) => core.New("Crypto.HmacDrbg", core.Nothing("Crypto.IEntropySource"));

    /// <summary>
    /// As the board measured it: the configuration objects and their HmacDrbg randoms are built between the two GC.Run
    /// calls with the engines (one random per configuration), so they count; the sink, the events, the server address,
    /// the identity and the key existed before.
    /// </summary>
    private static HeapFigure PskClient(FixtureCore core, bool withCoap)
    {
        object entropy = core.Nothing("Crypto.IEntropySource");
        object sink = core.Nothing("Net.IDatagramSink");
        object events = core.Nothing("Dtls.IDtlsEvents");
        object server = core.CallStatic("Net.PeerAddress", "FromIPv4", 10, 0, 0, 1, 5684)!;
        byte[] identity = "node-1"u8.ToArray();
        byte[] key = new byte[16];
        object DtlsConfig() => FixtureCore.With(core.New("Dtls.DtlsConfig"), ("Random", core.New("Crypto.HmacDrbg", entropy)));
        if (!withCoap)
        {
            return BoardHeapModel.Measure(() => core.New("Dtls.DtlsClient", DtlsConfig(), sink, server, identity, key, events),
                entropy, sink, events, server, identity, key);
        }
        return BoardHeapModel.Measure(() =>
        {
            object coapConfig = FixtureCore.With(core.New("Coap.CoapConfig"), ("Random", core.New("Crypto.HmacDrbg", entropy)));
            object bridge = core.New("Coap.CoapOverDtls", coapConfig);
            object client = core.New("Dtls.DtlsClient", DtlsConfig(), sink, server, identity, key, bridge);
            FixtureCore.Call(bridge, "UseClient", client);
            return bridge;
        }, entropy, sink, server, identity, key);
    }

    /// <summary>As the board measured it: the settings (parsed or filled), the random, the sensor and the sink existed
    /// before the SensorNode was built; everything the node builds from them counts.</summary>
    private static HeapFigure Node(FixtureCore core, bool boardSettings, string security)
    {
        object settings = core.New("Config.NodeSettings");
        if (boardSettings)
        {
            var args = new object?[] { File.ReadAllText(Fixture("esp32-devkitc.board.settings")), settings, null };
            if (!(bool)core.CallStatic("Config.NodeSettingsReader", "TryParse", args)!)
            {
                throw new InvalidOperationException("board.settings: " + args[2]);
            }
        }
        FixtureCore.With(settings, ("NodeId", "node-001"), ("GatewayHost", "10.0.0.1"), ("Security", security));
        if (security == "psk")
        {
            FixtureCore.With(settings, ("PskIdentity", "node-001"), ("PskKey", new byte[16]));
        }
        else
        {
            byte[] privateKey = Enumerable.Repeat((byte)1, 32).ToArray();
            byte[] publicKey = new byte[65];
            object ecdsa = FixtureCore.Call(Provider(core), "CreateEcdsaP256")!;
            FixtureCore.Call(ecdsa, "DerivePublicKey", privateKey, 0, publicKey, 0);
            FixtureCore.With(settings, ("PrivateKey", privateKey), ("PublicKey", publicKey), ("GatewayPublicKey", publicKey.Clone()));
        }
        object provider = Provider(core);
        object random = Random(core);
        object sensor = core.Nothing("Node.ISensor");
        object sink = core.Nothing("Net.IDatagramSink");
        object log = core.Type("Diagnostics.NullLog").GetField("Instance")!.GetValue(null)!;
        return BoardHeapModel.Measure(() => core.New("Node.SensorNode", settings, provider, random, sensor, sink, log),
            settings, provider, random, sensor, sink, log);
    }
}
