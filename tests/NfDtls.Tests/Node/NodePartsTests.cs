using NfDtls.Node;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Tests.Node;

public class NodePartsTests
{
    [Fact]
    public void BackoffGrowsToItsCeilingWithJitterAndResets()
    {
        var b = new ReconnectBackoff(SeededRandom.Create(1, 1), 1000, 60_000);
        var delays = Enumerable.Range(0, 12).Select(_ => b.NextDelayMs()).ToArray();
        Assert.InRange(delays[0], 500, 1000);
        Assert.InRange(delays[3], 4000, 8000);
        Assert.All(delays.Skip(7), d => Assert.InRange(d, 30_000, 60_000));
        Assert.True(delays.Skip(7).Distinct().Count() > 1, "waits are randomised, not lockstep");
        b.Reset();
        Assert.InRange(b.NextDelayMs(), 500, 1000);
    }

    [Fact]
    public void BacklogKeepsOrderAndDropsOldestWhenFull()
    {
        var log = new ReadingBacklog(3, 2);
        var r = new[] { new SensorReading(), new SensorReading() };
        for (int i = 0; i < 5; i++)
        {
            r[0].Set("t", "Cel", i);
            log.Add(r, 1, i, i * 10);
        }
        Assert.Equal(3, log.Count);
        Assert.Equal(2, log.Dropped);
        Assert.Equal(2, log.OldestSequence);
        Assert.Equal(2.0, log.OldestReadings[0].Value);
        Assert.Equal(20, log.OldestTakenAt);
        log.RemoveOldest();
        Assert.Equal(3, log.OldestSequence);
        r[0].Value = 99; // the backlog holds copies
        Assert.Equal(3.0, log.OldestReadings[0].Value);
    }

    [Fact]
    public void BacklogAddAllocatesNothing()
    {
        var log = new ReadingBacklog(4, 3);
        var r = new[] { new SensorReading(), new SensorReading(), new SensorReading() };
        log.Add(r, 3, 0, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            log.Add(r, 3, i, i);
            log.RemoveOldest();
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
