using NfDtls.Wire;
using Xunit;

namespace NfDtls.Tests.Wire;

public class WireReaderTests
{
    [Fact]
    public void ReadsBigEndianAndFailsStickyPastTheEnd()
    {
        byte[] data = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
        var r = new WireReader(data, 1, 5);
        Assert.Equal(0x0203, r.ReadUInt16());
        Assert.Equal(0x040506, r.ReadUInt24());
        Assert.False(r.Failed);
        Assert.Equal(0, r.ReadUInt16()); // only 0 bytes left in the window
        Assert.True(r.Failed);
        Assert.Equal(0, r.ReadUInt8());
        Assert.True(r.Failed);
    }

    [Fact]
    public void VectorLongerThanItsContainerFails()
    {
        byte[] data = { 0x00, 0x05, 0xAA, 0xBB };
        var r = new WireReader(data, 0, data.Length);
        WireReader v = r.ReadVector16();
        Assert.True(r.Failed);
        Assert.True(v.Failed);
        Assert.Equal(0, v.Remaining);
    }

    [Fact]
    public void WriterPatchesVectorLengthsAndRefusesOverflow()
    {
        byte[] buf = new byte[6];
        var w = new WireWriter(buf, 0, 6);
        int mark = w.BeginVector(2);
        w.WriteUInt16(0xBEEF);
        w.EndVector(mark, 2);
        Assert.False(w.Failed);
        Assert.Equal(new byte[] { 0, 2, 0xBE, 0xEF, 0, 0 }, buf);
        w.WriteUInt24(1);
        Assert.True(w.Failed);
        Assert.Equal(4, w.Length);
    }
}
