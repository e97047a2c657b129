using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Message;
using NfDtls.Coap.Observe;
using NfDtls.Coap;
using NfDtls.Tests.Crypto;
using Xunit;

namespace NfDtls.Tests.Coap;

public class CoapCodecTests
{
    private static CoapMessage NewMessage() => new CoapMessage(32, 2048);

    [Fact]
    public void DecodesWellKnownCoreGet()
    {
        // CON GET MID 0x7d34, no token, Uri-Path ".well-known", "core" (RFC 7252 §3 layout, RFC 6690 path).
        byte[] wire = Hex.Parse("40017d34bb2e77656c6c2d6b6e6f776e04636f7265");
        var m = NewMessage();
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(wire, 0, wire.Length, m));
        Assert.Equal(CoapType.Confirmable, m.Type);
        Assert.Equal(CoapCode.Get, m.Code);
        Assert.Equal(0x7d34, m.MessageId);
        Assert.Equal(0, m.TokenLength);
        Assert.Equal(2, m.OptionCount);
        Assert.True(m.OptionEquals(0, ".well-known"));
        Assert.True(m.OptionEquals(1, "core"));
        Assert.Equal(0, m.PayloadLength);
        byte[] back = new byte[64];
        int n = CoapCodec.Encode(m, back, 0, back.Length);
        Assert.Equal(wire, back.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void EncodesPiggybackedContentResponse()
    {
        // ACK 2.05 MID 0x7d34 token 0x71, Content-Format 0, payload "22.3 C" (the shape of RFC 7252 Figure 4).
        var m = NewMessage();
        m.Reset();
        m.Type = CoapType.Acknowledgement;
        m.Code = CoapCode.Content;
        m.MessageId = 0x7d34;
        m.SetToken(new byte[] { 0x71 }, 0, 1);
        m.AddOptionUInt(CoapOption.ContentFormat, 0);
        byte[] payload = "22.3 C"u8.ToArray();
        m.SetPayload(payload, 0, payload.Length);
        byte[] wire = new byte[64];
        int n = CoapCodec.Encode(m, wire, 0, wire.Length);
        Assert.Equal("61457d3471c0ff32322e332043", Hex.Of(wire.AsSpan(0, n).ToArray()));
    }

    [Fact]
    public void RoundTripsEveryOptionWithExtendedForms()
    {
        var m = NewMessage();
        m.Reset();
        m.Type = CoapType.NonConfirmable;
        m.Code = CoapCode.Put;
        m.MessageId = 0xFFFF;
        m.SetToken(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 0, 8);
        m.AddOptionString(CoapOption.UriPath, "a");
        m.AddOptionString(CoapOption.UriHost, "example.org");
        m.AddOptionString(CoapOption.UriPath, "b");  // repeated options keep their order
        m.AddOption(CoapOption.IfNoneMatch, new byte[0], 0, 0);
        m.AddOptionUInt(CoapOption.Observe, 0x123456);
        m.AddOptionUInt(CoapOption.UriPort, 5683);
        m.AddOptionUInt(CoapOption.ContentFormat, 110);
        m.AddOptionUInt(CoapOption.MaxAge, 0xFFFFFFFF);
        m.AddOptionString(CoapOption.UriQuery, "rt=temp");
        m.AddOptionUInt(CoapOption.Accept, 112);
        m.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(5, true, 6));
        m.AddOptionUInt(CoapOption.Block1, BlockOption.Encode(1000, false, 2));
        m.AddOptionUInt(CoapOption.Size2, 100000);
        m.AddOptionString(CoapOption.ProxyUri, new string('x', 300)); // length 300: the 2-byte extended length
        m.AddOptionUInt(CoapOption.Size1, 70000);                   // delta 25: 1-byte extended delta
        m.AddOptionUInt(CoapOption.NoResponse, 2);                  // delta 198
        m.AddOption(2000, new byte[] { 9 }, 0, 1);                  // delta 1742: 2-byte extended delta
        byte[] payload = new byte[700];
        new Random(3).NextBytes(payload);
        m.SetPayload(payload, 0, payload.Length);
        byte[] wire = new byte[2048];
        int n = CoapCodec.Encode(m, wire, 0, wire.Length);
        Assert.True(n > 0);

        var d = NewMessage();
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(wire, 0, n, d));
        Assert.Equal(m.Type, d.Type);
        Assert.Equal(m.Code, d.Code);
        Assert.Equal(m.MessageId, d.MessageId);
        Assert.True(d.TokenEquals(m.Token, 8));
        Assert.Equal(m.OptionCount, d.OptionCount);
        for (int i = 0; i < m.OptionCount; i++)
        {
            Assert.Equal(m.OptionNumber(i), d.OptionNumber(i));
            Assert.Equal(m.OptionBuffer(i).AsSpan(m.OptionOffset(i), m.OptionLength(i)).ToArray(), d.OptionBuffer(i).AsSpan(d.OptionOffset(i), d.OptionLength(i)).ToArray());
        }
        int first = d.FindOption(CoapOption.UriPath);
        Assert.True(d.OptionEquals(first, "a"));
        Assert.True(d.OptionEquals(d.FindOption(CoapOption.UriPath, first + 1), "b"));
        Assert.Equal(0x123456, d.GetUInt(CoapOption.Observe, -1));
        Assert.Equal(0xFFFFFFFFL, d.GetUInt(CoapOption.MaxAge, -1));
        Assert.Equal(0, d.GetUInt(CoapOption.IfNoneMatch, -1));
        Assert.Equal(-1, d.GetUInt(CoapOption.ETag, -1));
        uint b2 = (uint)d.GetUInt(CoapOption.Block2, -1);
        Assert.Equal(5, BlockOption.Num(b2));
        Assert.True(BlockOption.More(b2));
        Assert.Equal(1024, BlockOption.Size(BlockOption.Szx(b2)));
        Assert.Equal(payload, d.PayloadBuffer.AsSpan(d.PayloadOffset, d.PayloadLength).ToArray());
        // Re-encoding the decoded message gives the same bytes.
        byte[] again = new byte[2048];
        Assert.Equal(n, CoapCodec.Encode(d, again, 0, again.Length));
        Assert.Equal(wire.AsSpan(0, n).ToArray(), again.AsSpan(0, n).ToArray());
    }

    [Fact]
    public void UIntOptionsUseTheShortestForm()
    {
        var m = NewMessage();
        m.Reset();
        m.AddOptionUInt(CoapOption.ContentFormat, 0);
        m.AddOptionUInt(CoapOption.MaxAge, 60);
        m.AddOptionUInt(CoapOption.Size2, 0x10000);
        Assert.Equal(0, m.OptionLength(0));
        Assert.Equal(1, m.OptionLength(1));
        Assert.Equal(3, m.OptionLength(2));
    }

    [Fact]
    public void EncodeRefusesWhatDoesNotFit()
    {
        var m = NewMessage();
        m.Reset();
        m.Code = CoapCode.Get;
        byte[] payload = new byte[100];
        m.SetPayload(payload, 0, 100);
        Assert.Equal(-1, CoapCodec.Encode(m, new byte[50], 0, 50));
        var small = new CoapMessage(1, 8);
        Assert.True(small.AddOptionString(CoapOption.UriPath, "abc"));
        Assert.False(small.AddOptionString(CoapOption.UriPath, "d"));
        Assert.True(small.OptionsOverflowed);
    }

    public static TheoryData<string, int> Malformed => new()
    {
        { "", CoapCodec.Ignore },
        { "4001", CoapCodec.Ignore },                          // shorter than a header
        { "400100", CoapCodec.Ignore },
        { "80010001", CoapCodec.Ignore },                      // version 2 (§3: silently ignored)
        { "00010001", CoapCodec.Ignore },                      // version 0
        { "49010001", CoapCodec.FormatError },                 // TKL 9 (reserved)
        { "4f010001", CoapCodec.FormatError },                 // TKL 15
        { "41000001ab", CoapCodec.FormatError },               // empty message with a token (§4.1)
        { "40000001ff01", CoapCodec.FormatError },             // empty message with a payload
        { "40000001b1", CoapCodec.FormatError },               // empty message with an option
        { "40010001ff", CoapCodec.FormatError },               // payload marker, zero-length payload
        { "40010001f1", CoapCodec.FormatError },               // delta nibble 15 that is not the marker
        { "400100011f", CoapCodec.FormatError },               // length nibble 15
        { "40010001d0", CoapCodec.FormatError },               // extended delta byte missing
        { "40010001e000", CoapCodec.FormatError },             // extended 2-byte delta truncated
        { "400100010d", CoapCodec.FormatError },               // extended length byte missing
        { "400100010e01", CoapCodec.FormatError },             // extended 2-byte length truncated
        { "40010001b4616263", CoapCodec.FormatError },         // value shorter than its length
        { "4201000101", CoapCodec.FormatError },               // token shorter than TKL
        { "40200001", CoapCodec.FormatError },                 // class 1 (reserved)
        { "40c00001", CoapCodec.FormatError },                 // class 6
        { "40e00001", CoapCodec.FormatError },                 // class 7
        { "40010001e0ffff", CoapCodec.FormatError }, // option number past 65535
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedMessagesGetTheirVerdict(string hex, int verdict)
    {
        byte[] wire = Hex.Parse(hex);
        var m = NewMessage();
        Assert.Equal(verdict, CoapCodec.Decode(wire, 0, wire.Length, m));
    }

    [Fact]
    public void DecodeToleratesBadArguments()
    {
        var m = NewMessage();
        Assert.Equal(CoapCodec.Ignore, CoapCodec.Decode(null!, 0, 10, m));
        Assert.Equal(CoapCodec.Ignore, CoapCodec.Decode(new byte[4], 2, 4, m));
        Assert.Equal(CoapCodec.Ignore, CoapCodec.Decode(new byte[4], -1, 4, m));
    }

    [Fact]
    public void TooManyOptionsForTheTablesIsAFormatErrorNotAnException()
    {
        var m = new CoapMessage(2, 16);
        byte[] wire = Hex.Parse("40010001b161016201630164");
        Assert.Equal(CoapCodec.FormatError, CoapCodec.Decode(wire, 0, wire.Length, m));
    }

    [Fact]
    public void FuzzedInputNeverThrows()
    {
        var rng = new Random(7);
        var m = NewMessage();
        byte[] seed = Hex.Parse("44017d34a1b2c3d4bb2e77656c6c2d6b6e6f776e04636f72654d1e0061bcd4ff68656c6c6f");
        int ok = 0;
        for (int round = 0; round < 20000; round++)
        {
            byte[] b;
            if (round % 2 == 0)
            {
                b = new byte[rng.Next(0, 48)];
                rng.NextBytes(b);
                if (b.Length > 0) b[0] = (byte)(0x40 | (b[0] & 0x3F));
            }
            else
            {
                b = (byte[])seed.Clone();
                int flips = rng.Next(1, 4);
                for (int f = 0; f < flips; f++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                Array.Resize(ref b, rng.Next(0, b.Length + 1));
            }
            int v = CoapCodec.Decode(b, 0, b.Length, m);
            Assert.InRange(v, CoapCodec.Ok, CoapCodec.FormatError);
            if (v == CoapCodec.Ok)
            {
                ok++;
                byte[] re = new byte[4096];
                Assert.True(CoapCodec.Encode(m, re, 0, re.Length) > 0);
            }
        }
        Assert.True(ok > 100, "the mutations should still produce some valid messages");
    }
}

public class ObserveSequenceTests
{
    [Theory]
    [InlineData(5, 0, 6, 10, true)]                      // plain increase
    [InlineData(6, 0, 5, 10, false)]                     // older
    [InlineData(5, 0, 5, 10, false)]                     // same
    [InlineData(0xFFFFFF, 0, 2, 10, true)]               // wrapped round 2^24 (RFC 7641 §3.4)
    [InlineData(2, 0, 0xFFFFFF, 10, false)]              // the one before the wrap is older
    [InlineData(6, 0, 5, 128_001, true)]                 // after 128 s anything counts as fresh
    [InlineData(6, 0, 5, 128_000, false)]
    public void FreshnessFollowsTheRfc(int v1, long t1, int v2, long t2, bool fresher)
    {
        Assert.Equal(fresher, ObserveSequence.IsFresher(v1, t1, v2, t2));
    }
}
