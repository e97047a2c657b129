using NfDtls.BoardHeap;
using NfDtls.Coap;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Net;
using NfDtls.Node;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Boards;

/// <summary>
/// Board figures (the board-heap model: nanoCLR's 32-bit heap) of the CoAP endpoint and of the node's own parts,
/// held to budgets with a small margin (issue 12: the ESP32 node's CoAP, backlog, SenML and settings share; the DTLS
/// client's share is held by the DTLS budget). Memory is deterministic: these are budgets, not timings.
/// </summary>
public class CoapMemoryBudgetTests(ITestOutputHelper output)
{
    private static HeapFigure Esp32Node(string security) => BoardMemoryTests.NodeHeap("esp32-devkitc", security);

    private static long Under(HeapFigure f, string prefix) =>
        f.Items.Where(i => i.Path == prefix || i.Path.StartsWith(prefix + ".", StringComparison.Ordinal) || i.Path.StartsWith(prefix + "[", StringComparison.Ordinal)).Sum(i => (long)i.Bytes);

    [Theory]
    [InlineData("psk")]
    [InlineData("rpk")]
    public void TheEsp32NodesCoapAndOwnPartsStayInTheirBudget(string security)
    {
        HeapFigure node = Esp32Node(security);
        long coap = Under(node, "SensorNode._coap");
        // DTLS: the client, its configuration and the connector between CoAP and the client.
        long dtls = Under(node, "SensorNode._dtls") + Under(node, "SensorNode._dtlsConfig") + Under(node, "SensorNode._connector");
        long own = node.Total - coap - dtls;
        output.WriteLine(security + ": node " + node.Total + " B = CoAP endpoint " + coap + " + node parts " + own + " + DTLS " + dtls);
        // Before the seam and the diet (main at f7e3d99): 15,768 and 16,428. Now about 4.4 KB and 2.9 KB.
        Assert.InRange(coap, 1024, 4 * 1024 + 512);
        Assert.InRange(own, 1024, 3 * 1024 + 512);
    }

    public static TheoryData<string, Action<CoapConfig>> Configs => new()
    {
        { "default", _ => { } },
        { "node-like", c => { c.MaxMessageSize = 512; c.BlockSize = 512; c.BlockBufferSize = 256; c.ResponseBufferSize = 512; c.ResourceCapacity = 4;
            c.DedupCapacity = 8; c.ObserverCapacity = 2; c.MaxOptions = 8; c.OptionBytes = 64; c.PendingCapacity = 1; c.ServerTransmitCapacity = 1;
            c.DeferredCapacity = 0; c.ResponseCacheBytes = 64; } },
        { "gateway-like", c => { c.DedupCapacity = 64; c.ResponseCacheCapacity = 32; c.ServerTransmitCapacity = 8; } },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void EstimateBytesStaysNearTheBoardFigure(string name, Action<CoapConfig> configure)
    {
        var config = new CoapConfig { Random = new HmacDrbg(new BoardMemoryTests.FixedEntropy()) };
        configure(config);
        var sink = new BoardMemoryTests.NoSink();
        // The endpoint alone: its connector (the UDP one's datagram buffer) is the transport's, not CoAP's.
        var connector = new NfDtls.Coap.Transport.UdpConnector(sink, 4);
        HeapFigure f = BoardHeapModel.Measure(() => new CoapEndpoint(config, connector), config, config.Random, sink, connector);
        int estimate = config.EstimateBytes();
        output.WriteLine(name + ": board figure " + f.Total + " B, EstimateBytes " + estimate + " B");
        Assert.InRange(estimate, f.Total * 0.85, f.Total * 1.15);
    }
}
