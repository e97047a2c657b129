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
/// What the portable sensor node costs with each board's settings: the bytes one SensorNode allocates when built
/// (all its buffers: the steady state allocates nothing more), measured with the real class, checked against the
/// share of the board's managed heap its README promises.
/// </summary>
public class BoardMemoryTests(ITestOutputHelper output)
{
    private sealed class NoSensor : ISensor
    {
        public int Read(SensorReading[] into, long nowMs) => 0;
    }

    private sealed class NoSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    private sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)7, offset, count);
    }

    internal static long NodeBytes(NodeSettings settings)
    {
        var random = new HmacDrbg(new FixedEntropy());
        var sensor = new NoSensor();
        var sink = new NoSink();
        // The first construction also pays one-time static set-up (tables): take the smallest of a few.
        long best = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var node = new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, sink, NullLog.Instance);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(node);
            best = Math.Min(best, bytes);
        }
        return best;
    }

    [Theory]
    [InlineData("esp32-devkitc", 44 * 1024)]
    [InlineData("nucleo-f746zg", 52 * 1024)]
    [InlineData("stm32f769i-discovery", 60 * 1024)]
    public void ANodeFitsTheBudgetItsBoardReadmeStates(string board, int budget)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", board, "board.settings"));
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 1, BaseSettingsText = text, GatewayHost = "10.0.0.2" });
        long bytes = NodeBytes(fleet.Nodes[0]);
        output.WriteLine(board + ": SensorNode " + bytes + " bytes");
        Assert.InRange(bytes, 1024, budget);
        // The smaller board really is smaller.
        if (board == "esp32-devkitc")
        {
            var defaults = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 1, GatewayHost = "10.0.0.2" });
            Assert.True(bytes < NodeBytes(defaults.Nodes[0]));
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
