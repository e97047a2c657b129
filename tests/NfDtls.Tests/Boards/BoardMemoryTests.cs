using NfDtls.BoardHeap;
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
/// What the portable sensor node holds on each board, as the board counts it (the board-heap model,
/// tools/NfDtls.BoardHeap: nanoCLR's 32-bit heap), built from the board's board.settings in each security mode, held to
/// the budget its README states — and the ESP32's to issue 12's goals. Memory is deterministic: these are budgets, not
/// timings, each a little above today's figure so a regression shows. The handshake adds nothing to the construction
/// figure (BoardHandshakeTests), so these are the node's peaks.
/// </summary>
public class BoardMemoryTests(ITestOutputHelper output)
{
    private sealed class NoSensor : ISensor
    {
        public int Read(SensorReading[] into, long nowMs) => 0;
    }

    internal sealed class NoSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    internal sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)7, offset, count);
    }

    /// <summary>The board figure of a SensorNode built from a board's settings in one security mode.</summary>
    internal static long NodeFigure(string board, string security) => NodeHeap(board, security).Total;

    /// <summary>The board-heap model's figure, item by item, of a SensorNode built from a board's settings.</summary>
    internal static HeapFigure NodeHeap(string board, string security)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", board, "board.settings"));
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 1, Security = new[] { security }, BaseSettingsText = text, GatewayHost = "10.0.0.2",
        }, new HmacDrbg(new FixedEntropy()), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        NodeSettings settings = fleet.Nodes[0];
        var random = new HmacDrbg(new FixedEntropy());
        var sensor = new NoSensor();
        var sink = new NoSink();
        return BoardHeapModel.Measure(() => new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, sink, NullLog.Instance),
            settings, random, sensor, sink);
    }

    [Fact]
    public void TheEsp32NodeMeetsIssue12sGoals()
    {
        long psk = NodeFigure("esp32-devkitc", NodeSettings.SecurityPsk);
        long rpk = NodeFigure("esp32-devkitc", NodeSettings.SecurityRpk);
        long x509 = NodeFigure("esp32-devkitc", NodeSettings.SecurityX509);
        output.WriteLine("esp32-devkitc: psk " + psk + " B, rpk " + rpk + " B, x509 " + x509 + " B");
        // The goals (issue 12): a psk node ≤ 16 KB; an rpk node with its handshake's peak ≤ 32 KB.
        Assert.InRange(psk, 8 * 1024, 16_384);
        Assert.InRange(rpk, psk, 32_768);
        // Today's figures are 15,960, 22,296 and 24,516 (with session resumption and one pooled certificate verifier): the
        // rpk and x509 nodes are held near them (within ~1 KB), well inside
        // the goal, so the room they leave on the ESP32 (README) does not shrink unnoticed.
        Assert.True(rpk <= 23_552, "rpk node " + rpk);
        Assert.InRange(x509, rpk, 26_624);
    }

    [Theory]
    [InlineData("esp32-devkitc", 16_384, 23_552, 26_624)]
    [InlineData("nucleo-f746zg", 18_432, 25_600, 28_672)]
    [InlineData("stm32f769i-discovery", 24_576, 31_744, 34_816)]
    public void ANodeFitsTheBudgetItsBoardReadmeStates(string board, int psk, int rpk, int x509)
    {
        long p = NodeFigure(board, NodeSettings.SecurityPsk);
        long r = NodeFigure(board, NodeSettings.SecurityRpk);
        long x = NodeFigure(board, NodeSettings.SecurityX509);
        output.WriteLine(board + ": SensorNode psk " + p + " B, rpk " + r + " B, x509 " + x + " B (board figures)");
        Assert.InRange(p, 8 * 1024, psk);
        Assert.InRange(r, p, rpk);
        Assert.InRange(x, r, x509);
        // The README states the same budgets (in KB).
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", board, "README.md"));
        Assert.Contains("BoardMemoryTests", readme);
        foreach (int kb in new[] { psk / 1024, rpk / 1024, x509 / 1024 })
        {
            Assert.Contains(kb + " KB", readme);
        }
    }

    [Fact]
    public void EveryBoardHasABudgetRow()
    {
        var rows = typeof(BoardMemoryTests).GetMethod(nameof(ANodeFitsTheBudgetItsBoardReadmeStates))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "boards")))
        {
            Assert.Contains(Path.GetFileName(dir), rows);
        }
    }
}
