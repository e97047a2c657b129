using NfDtls.Crypto;
using NfDtls.Dtls.Record;
using NfDtls.Wire;
using Xunit;

namespace NfDtls.Tests.Dtls;

public class RecordLayerTests
{
    [Fact]
    public void ReplayWindowRejectsDuplicatesAndTooOldAndSlides()
    {
        var w = new ReplayWindow(64);
        Assert.True(w.IsFresh(0));
        w.Accept(0);
        Assert.False(w.IsFresh(0));
        w.Accept(5);
        Assert.True(w.IsFresh(3));
        w.Accept(3);
        Assert.False(w.IsFresh(3));
        Assert.False(w.IsFresh(5));
        w.Accept(100);
        Assert.Equal(100, w.Highest);
        Assert.False(w.IsFresh(36)); // 100 - 64: fell off the left edge
        Assert.True(w.IsFresh(37));
        Assert.False(w.IsFresh(100));
        w.Accept(1000);
        Assert.False(w.IsFresh(100));
        Assert.True(w.IsFresh(999));
        Assert.False(w.IsFresh(-1));
    }

    [Fact]
    public void ReplayWindowIsNotMovedByCheckingOnly()
    {
        var w = new ReplayWindow(64);
        w.Accept(10);
        Assert.True(w.IsFresh(1_000_000)); // a forged record far ahead...
        Assert.True(w.IsFresh(9)); // ...did not move the window (only Accept after authentication does)
    }

    [Fact]
    public void SealThenOpenRoundTripsAndBindsHeaderFields()
    {
        var key = new byte[16];
        var iv = new byte[] { 1, 2, 3, 4 };
        var seal = new RecordProtection(PortableCryptoProvider.Instance);
        var open = new RecordProtection(PortableCryptoProvider.Instance);
        seal.SetKey(key, 0, iv, 0);
        open.SetKey(key, 0, iv, 0);
        byte[] buf = new byte[64];
        RecordHeader.Write(buf, 0, ContentType.ApplicationData, ProtocolVersion.Dtls12, 1, 0x0102030405, 0);
        "hi there"u8.ToArray().CopyTo(buf, 21);
        int n = seal.Seal(buf, 0, 8);
        Assert.Equal(13 + 8 + 8 + 8, n);
        // explicit nonce = epoch + seq (RFC 6655 §3 / RFC 7925 §3.3)
        Assert.Equal(buf.AsSpan(3, 8).ToArray(), buf.AsSpan(13, 8).ToArray());

        var reader = new WireReader(buf, 0, n);
        Assert.True(RecordHeader.TryRead(ref reader, out var h));
        byte[] plain = new byte[32];
        Assert.Equal(8, open.Open(h.Type, h.Version, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, h.FragmentLength, plain, 0));
        Assert.Equal("hi there"u8.ToArray(), plain.AsSpan(0, 8).ToArray());

        // The type, version, epoch and sequence are authenticated (AAD): changing any one fails.
        Assert.Equal(-1, open.Open(ContentType.Handshake, h.Version, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, h.FragmentLength, plain, 0));
        Assert.Equal(-1, open.Open(h.Type, ProtocolVersion.Dtls10, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, h.FragmentLength, plain, 0));
        buf[10] ^= 1;
        Assert.Equal(-1, open.Open(h.Type, h.Version, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, h.FragmentLength, plain, 0));
        buf[10] ^= 1;
        buf[n - 1] ^= 0x80;
        Assert.Equal(-1, open.Open(h.Type, h.Version, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, h.FragmentLength, plain, 0));
        Assert.Equal(-1, open.Open(h.Type, h.Version, buf, h.FragmentOffset - 10, buf, h.FragmentOffset, 15, plain, 0));
    }

    [Fact]
    public void RecordHeaderReadsSeveralRecordsAndRejectsTruncation()
    {
        byte[] buf = new byte[13 * 2 + 5 + 3];
        RecordHeader.Write(buf, 0, ContentType.Handshake, ProtocolVersion.Dtls12, 0, 7, 5);
        RecordHeader.Write(buf, 18, ContentType.Alert, ProtocolVersion.Dtls10, 0, 8, 3);
        var r = new WireReader(buf, 0, buf.Length);
        Assert.True(RecordHeader.TryRead(ref r, out var a));
        Assert.Equal((22, 7L, 5, 13), (a.Type, a.Sequence, a.FragmentLength, a.FragmentOffset));
        Assert.True(RecordHeader.TryRead(ref r, out var b));
        Assert.Equal((21, 8L, 3), (b.Type, b.Sequence, b.FragmentLength));
        Assert.False(RecordHeader.TryRead(ref r, out _));

        var t = new WireReader(buf, 0, 17);
        Assert.False(RecordHeader.TryRead(ref t, out _));
        buf[1] = 3; // TLS, not DTLS
        var v = new WireReader(buf, 0, buf.Length);
        Assert.False(RecordHeader.TryRead(ref v, out _));
    }
}
