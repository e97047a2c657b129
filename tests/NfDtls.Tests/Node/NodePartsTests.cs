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
        Assert.Equal(2.0, log.ValueAt(log.OldestSlot, 0));
        log.RemoveOldest();
        Assert.Equal(3, log.OldestSequence);
        r[0].Value = 99; // the backlog holds copies
        Assert.Equal(3.0, log.ValueAt(log.OldestSlot, 0));
        Assert.Equal("t", log.NameAt(log.OldestSlot, 0));
        Assert.Equal("Cel", log.UnitAt(log.OldestSlot, 0));
    }

    [Theory]
    [InlineData(21.37)]
    [InlineData(-12.5)]
    [InlineData(1013.25)]
    [InlineData(101325.0)]
    [InlineData(0.000123)]
    [InlineData(45.1)]
    [InlineData(0.0)]
    [InlineData(2147483647.0)]
    [InlineData(-3.5e9)]
    public void BacklogValuesComeBackAsTheSameDouble(double value)
    {
        var log = new ReadingBacklog(2, 1);
        var r = new[] { new SensorReading() };
        r[0].Set("x", "", value);
        log.Add(r, 1, 0, 0);
        Assert.Equal(value, log.ValueAt(log.OldestSlot, 0));
    }

    [Fact]
    public void BacklogValuesWithMoreDigitsKeepNineSignificantOnes()
    {
        var log = new ReadingBacklog(2, 1);
        var r = new[] { new SensorReading() };
        r[0].Set("x", "", Math.PI);
        log.Add(r, 1, 0, 0);
        Assert.Equal(Math.PI, log.ValueAt(log.OldestSlot, 0), 7);
        r[0].Set("x", "", double.NaN);
        log.Add(r, 1, 1, 0);
        Assert.True(double.IsNaN(log.ValueAt(log.NewestSlot, 0)));
    }

    [Fact]
    public void BacklogKeepsTheNewestSampleAfterItIsAcknowledged()
    {
        var log = new ReadingBacklog(3, 2);
        var r = new[] { new SensorReading(), new SensorReading() };
        Assert.Equal(-1, log.NewestSlot);
        r[0].Set("temperature", "Cel", 21.5);
        r[1].Set("humidity", "%RH", 40);
        log.Add(r, 2, 7, 0);
        log.RemoveOldest();
        Assert.Equal(0, log.Count);
        Assert.Equal(-1, log.OldestSlot);
        int newest = log.NewestSlot;
        Assert.Equal(7, log.SequenceAt(newest));
        Assert.Equal(2, log.CountAt(newest));
        Assert.Equal("humidity", log.NameAt(newest, 1));
        Assert.Equal(40.0, log.ValueAt(newest, 1));
    }

    [Fact]
    public void BacklogReusesChannelsNoStoredSampleNeeds()
    {
        // 1 reading per sample: a table of 2 channels. Names change every sample; the waiting ones keep theirs.
        var log = new ReadingBacklog(2, 1);
        var r = new[] { new SensorReading() };
        for (int i = 0; i < 10; i++)
        {
            r[0].Set("n" + i, "u" + i, i);
            log.Add(r, 1, i, 0);
            if (i % 2 == 1)
            {
                log.RemoveOldest();
            }
            int newest = log.NewestSlot;
            Assert.Equal("n" + i, log.NameAt(newest, 0));
            Assert.Equal("u" + i, log.UnitAt(newest, 0));
            Assert.Equal(i, log.ValueAt(newest, 0));
            Assert.Equal("n" + log.OldestSequence, log.NameAt(log.OldestSlot, 0));
        }
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
