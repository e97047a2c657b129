using NfDtls.Gateway;
using Xunit;

namespace NfDtls.Tests.Sim;

public class ReadingDeduplicatorTests
{
    [Fact]
    public void RepeatsAreSuppressedOutOfOrderIsNot()
    {
        var d = new ReadingDeduplicator(4);
        Assert.True(d.FirstTime("a", 5));
        Assert.True(d.FirstTime("a", 7));
        Assert.True(d.FirstTime("a", 6));   // late but new
        Assert.False(d.FirstTime("a", 6));  // a resend
        Assert.False(d.FirstTime("a", 7));
        Assert.True(d.FirstTime("b", 7));   // per node
        Assert.True(d.FirstTime("a", 100)); // a jump forward
        Assert.False(d.FirstTime("a", 20)); // outside the window behind: refused as a replay
        Assert.True(d.FirstTime("a", 2_000_000));
        Assert.True(d.FirstTime("a", 0));   // far behind: the node started counting again
        Assert.False(d.FirstTime("a", 0));
        Assert.Equal(4, d.Suppressed);
    }

    [Fact]
    public void AFullTableReusesTheEntryUsedLongestAgo()
    {
        var d = new ReadingDeduplicator(2);
        Assert.True(d.FirstTime("a", 1));
        Assert.True(d.FirstTime("b", 1));
        Assert.False(d.FirstTime("a", 1)); // a is now the more recent
        Assert.True(d.FirstTime("c", 1));  // takes b's entry
        Assert.False(d.FirstTime("a", 1)); // a kept its window
        Assert.True(d.FirstTime("b", 1));  // b was forgotten (and now takes c's entry)
        Assert.Equal(2, d.Suppressed);
    }
}
