using NfDtls.Desktop.Gateway;
using Xunit;

namespace NfDtls.Tests.Sim;

public class ReadingDeduplicatorTests
{
    [Fact]
    public void RepeatsAreSuppressedOutOfOrderIsNot()
    {
        var d = new ReadingDeduplicator();
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
}
