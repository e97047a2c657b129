using NfDtls.Senml;
using NfDtls.Tests.Crypto;
using NfDtls.Text;
using Xunit;

namespace NfDtls.Tests.Senml;

public class SenmlTests
{
    private static int WriteRfcExample(int format, byte[] buffer, string baseName = "urn:dev:ow:10e2073a01080063:")
    {
        // RFC 8428 §5.1.2 (multiple data points), fields in the RFC's order.
        var w = new SenmlWriter();
        w.Begin(format, buffer, 0, buffer.Length);
        w.BeginRecord(); w.BaseName(baseName); w.Name("voltage"); w.Unit("V"); w.Value(120.1); w.EndRecord();
        w.BeginRecord(); w.Name("current"); w.Unit("A"); w.Value(1.2); w.EndRecord();
        return w.End();
    }

    [Fact]
    public void JsonMatchesTheRfcExample()
    {
        var buf = new byte[512];
        int n = WriteRfcExample(SenmlFormat.Json, buf);
        Assert.Equal("[{\"bn\":\"urn:dev:ow:10e2073a01080063:\",\"n\":\"voltage\",\"u\":\"V\",\"v\":120.1},{\"n\":\"current\",\"u\":\"A\",\"v\":1.2}]",
            System.Text.Encoding.UTF8.GetString(buf, 0, n));
    }

    [Fact]
    public void CborMatchesTheRfcExample()
    {
        // RFC 8428 §6: the CBOR of the §5.1.2 example (the RFC's figure spells the base name "…0108006:", 27 bytes).
        string expected = "82a421781b75726e3a6465763a6f773a3130653230373361303130383030363a" + "0067766f6c7461676501615602fb405e066666666666"
            + "a3006763757272656e74016141" + "02fb3ff3333333333333";
        var buf = new byte[512];
        int n = WriteRfcExample(SenmlFormat.Cbor, buf, "urn:dev:ow:10e2073a0108006:");
        Assert.Equal(expected, Hex.Of(buf, 0, n));
    }

    [Theory]
    [InlineData(SenmlFormat.Json)]
    [InlineData(SenmlFormat.Cbor)]
    public void ReaderResolvesBaseFields(int format)
    {
        var buf = new byte[1024];
        var w = new SenmlWriter();
        w.Begin(format, buf, 0, buf.Length);
        w.BeginRecord(); w.BaseName("urn:dev:mac:0024befffe804ff1/"); w.BaseTime(1276020076); w.BaseUnit("Cel"); w.BaseValue(20); w.Name("temp"); w.Value(3.5); w.Time(-5); w.EndRecord();
        w.BeginRecord(); w.Name("hum"); w.Unit("%RH"); w.Value(41); w.EndRecord();
        w.BeginRecord(); w.Name("door"); w.BoolValue(true); w.EndRecord();
        w.BeginRecord(); w.Name("label"); w.StringValue("kitchen \"north\" ✓"); w.EndRecord();
        w.BeginRecord(); w.Name("blob"); w.DataValue(new byte[] { 1, 2, 3, 250 }, 0, 4); w.EndRecord();
        w.BeginRecord(); w.Name("energy"); w.Sum(1234.5); w.EndRecord();
        int n = w.End();
        Assert.True(n > 0);

        var r = new SenmlReader(8);
        Assert.Equal(6, r.Read(format, buf, 0, n));
        Assert.Equal("urn:dev:mac:0024befffe804ff1/temp", r.Record(0).Name);
        Assert.Equal("Cel", r.Record(0).Unit);
        Assert.Equal(23.5, r.Record(0).Value);
        Assert.Equal(1276020071, r.Record(0).Time);
        Assert.Equal("%RH", r.Record(1).Unit);
        Assert.Equal(61, r.Record(1).Value); // base value 20 + 41 (§4.6)
        Assert.True(r.Record(2).HasBoolValue && r.Record(2).BoolValue);
        Assert.False(r.Record(2).HasValue);
        Assert.Equal("kitchen \"north\" ✓", r.Record(3).StringValue);
        Assert.Equal(new byte[] { 1, 2, 3, 250 }, r.Record(4).DataValue);
        Assert.True(r.Record(5).HasSum);
        Assert.Equal(1234.5, r.Record(5).Sum);
        Assert.Equal("urn:dev:mac:0024befffe804ff1/energy", r.Record(5).Name);
    }

    [Fact]
    public void ReaderAcceptsForeignJsonWithSpacesEscapesAndUnknownLabels()
    {
        string json = " [ {\"bn\" : \"dev/\", \"n\":\"t\\u00e9mp\", \"v\": -1.5e2, \"x\": {\"a\":[1,2,null]} },\n {\"n\":\"b\",\"vb\":false} ] ";
        var b = System.Text.Encoding.UTF8.GetBytes(json);
        var r = new SenmlReader(4);
        Assert.Equal(2, r.Read(SenmlFormat.Json, b, 0, b.Length));
        Assert.Equal("dev/témp", r.Record(0).Name);
        Assert.Equal(-150, r.Record(0).Value);
        Assert.False(r.Record(1).BoolValue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[")]
    [InlineData("[{\"n\":\"a\",\"v\":1}")]
    [InlineData("[{\"n\":\"a\",\"v\":}]")]
    [InlineData("[{\"n\":\"a\",\"v\":1.}]")]
    [InlineData("[{\"n\":\"a\",\"v\":\"1\"}]")]
    [InlineData("[{\"n\":1}]")]
    [InlineData("[{\"v\":1}]")]                      // no name after resolution
    [InlineData("[{\"n\":\"a\",\"v\":1,\"foo_\":1}]")] // must-understand label (§4.4)
    [InlineData("[{\"n\":\"a\\q\"}]")]
    [InlineData("[{\"n\":\"a\"}] x")]
    [InlineData("[{\"n\":\"a\",\"vd\":\"!!\"}]")]
    public void MalformedJsonIsRefused(string json)
    {
        var b = System.Text.Encoding.UTF8.GetBytes(json);
        Assert.Equal(-1, new SenmlReader(4).Read(SenmlFormat.Json, b, 0, b.Length));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a0")]                 // a map, not an array
    [InlineData("81")]                 // truncated
    [InlineData("81a1")]
    [InlineData("81a10061")]           // string shorter than its length
    [InlineData("81a1006161ff")]       // trailing byte
    [InlineData("81a100f5")]           // bool for a name
    [InlineData("81a20061610263666f6f")] // text for a value
    [InlineData("81a1646b65795f01")]   // must-understand text key
    public void MalformedCborIsRefused(string hex)
    {
        var b = Hex.Parse(hex);
        Assert.Equal(-1, new SenmlReader(4).Read(SenmlFormat.Cbor, b, 0, b.Length));
    }

    /// <summary>
    /// senml-cbor fuzz finding: a CBOR negative integer (major type 1, value -1 - n) was read as -1.0 - (double)n, rounded
    /// twice, so 3B 0023D65ACC00B069 read as -10087309642870888 instead of the nearest double -10087309642870890, and a
    /// pack read, written and read again changed its value.
    /// </summary>
    [Theory]
    [InlineData("81a2006178023b0023d65acc00b069", -10087309642870890.0)]
    [InlineData("81a2006178023b0023d65acc00b061", -10087309642870882.0)]
    [InlineData("81a2006178023bffffffffffffffff", -18446744073709551616.0)]
    [InlineData("81a200617802" + "20", -1.0)]
    public void CborNegativeIntegersRoundOnce(string hex, double expected)
    {
        var b = Hex.Parse(hex);
        var r = new SenmlReader(1);
        Assert.Equal(1, r.Read(SenmlFormat.Cbor, b, 0, b.Length));
        Assert.Equal(expected, r.Record(0).Value);
        var buf = new byte[64];
        var w = new SenmlWriter();
        w.Begin(SenmlFormat.Cbor, buf, 0, buf.Length);
        w.BeginRecord(); w.Name("x"); w.Value(r.Record(0).Value); w.EndRecord();
        int n = w.End();
        var again = new SenmlReader(1);
        Assert.Equal(1, again.Read(SenmlFormat.Cbor, buf, 0, n));
        Assert.Equal(expected, again.Record(0).Value);
    }

    [Fact]
    public void ReaderRefusesMoreRecordsThanItsTable()
    {
        var b = System.Text.Encoding.UTF8.GetBytes("[{\"n\":\"a\"},{\"n\":\"b\"},{\"n\":\"c\"}]");
        Assert.Equal(-1, new SenmlReader(2).Read(SenmlFormat.Json, b, 0, b.Length));
        Assert.Equal(3, new SenmlReader(3).Read(SenmlFormat.Json, b, 0, b.Length));
    }

    [Fact]
    public void FuzzedPacksNeverThrow()
    {
        var rng = new Random(5);
        var buf = new byte[512];
        var r = new SenmlReader(16);
        foreach (int format in new[] { SenmlFormat.Json, SenmlFormat.Cbor })
        {
            int n = WriteRfcExample(format, buf);
            for (int i = 0; i < 5000; i++)
            {
                var b = buf.AsSpan(0, n).ToArray();
                for (int f = rng.Next(1, 4); f > 0; f--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
                Array.Resize(ref b, rng.Next(0, b.Length + 1));
                int got = r.Read(format, b, 0, b.Length);
                Assert.InRange(got, -1, 16);
            }
        }
    }

    [Fact]
    public void WriterRefusesWhatDoesNotFitAndNonFiniteNumbers()
    {
        var buf = new byte[20];
        Assert.Equal(-1, WriteRfcExample(SenmlFormat.Json, buf));
        Assert.Equal(-1, WriteRfcExample(SenmlFormat.Cbor, buf));
        var w = new SenmlWriter();
        var big = new byte[100];
        w.Begin(SenmlFormat.Json, big, 0, big.Length);
        w.BeginRecord(); w.Name("x"); w.Value(double.NaN); w.EndRecord();
        Assert.Equal(-1, w.End());
    }

    [Fact]
    public void WriterAllocatesNothing()
    {
        var buf = new byte[512];
        var w = new SenmlWriter();
        for (int i = 0; i < 10; i++) WriteRfcExample(SenmlFormat.Cbor, buf);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            w.Begin(i % 2 == 0 ? SenmlFormat.Json : SenmlFormat.Cbor, buf, 0, buf.Length);
            w.BeginRecord(); w.BaseName("urn:dev:x:"); w.BaseTime(1.7e9 + i); w.Name("temp"); w.Unit("Cel"); w.Value(21.37 + i * 0.01); w.EndRecord();
            w.BeginRecord(); w.Name("hum"); w.Unit("%RH"); w.Value(40 + i); w.EndRecord();
            Assert.True(w.End() > 0);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void IeeeBitsMatchTheRuntime()
    {
        var rng = new Random(9);
        var b = new byte[8];
        double[] special = { 0.0, -0.0, 1.0, -2.5, double.Epsilon, 2.2250738585072014E-308, 2.2250738585072009E-308, double.MaxValue, double.MinValue, 120.1, 1.2 };
        foreach (double d in special)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), IeeeDouble.ToBits(d));
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(IeeeDouble.FromBits(BitConverter.DoubleToInt64Bits(d))));
        }
        for (int i = 0; i < 20000; i++)
        {
            rng.NextBytes(b);
            double d = BitConverter.ToDouble(b);
            if (double.IsNaN(d)) continue;
            long bits = BitConverter.DoubleToInt64Bits(d);
            Assert.Equal(bits, IeeeDouble.ToBits(d));
            Assert.Equal(bits, BitConverter.DoubleToInt64Bits(IeeeDouble.FromBits(bits)));
        }
        Assert.Equal(1.5f, (float)IeeeDouble.FromSingleBits(BitConverter.SingleToUInt32Bits(1.5f)));
        Assert.Equal(-0.0009765625, IeeeDouble.FromHalfBits(0x9400));
    }

    [Fact]
    public void DecimalTextRoundTrips()
    {
        var rng = new Random(13);
        var buf = new byte[40];
        double[] fixedValues = { 0, 1, -1, 0.1, 23.1, 120.1, 1e-7, 1.5e300, -123456.789, 1e15, 999999999999999, 0.000123, 3.14159265358979 };
        foreach (double v in fixedValues)
        {
            int n = DecimalText.WriteDouble(v, buf, 0, 15);
            string s = System.Text.Encoding.ASCII.GetString(buf, 0, n);
            Assert.Equal(v, double.Parse(s, System.Globalization.CultureInfo.InvariantCulture), v == 0 ? 0 : Math.Abs(v) * 1e-14);
            Assert.True(DecimalText.TryParseDouble(buf, 0, n, out double back));
            Assert.Equal(v, back, v == 0 ? 0 : Math.Abs(v) * 1e-14);
        }
        Assert.Equal("23.1", Ascii(23.1));
        Assert.Equal("-0.5", Ascii(-0.5));
        Assert.Equal("1e-7", Ascii(1e-7));
        Assert.Equal("42", Ascii(42));
        for (int i = 0; i < 20000; i++)
        {
            double v = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20));
            int n = DecimalText.WriteDouble(v, buf, 0, 15);
            double parsed = double.Parse(System.Text.Encoding.ASCII.GetString(buf, 0, n), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(parsed - v) <= Math.Abs(v) * 1e-13, v.ToString("R") + " → " + System.Text.Encoding.ASCII.GetString(buf, 0, n));
            Assert.True(DecimalText.TryParseDouble(buf, 0, n, out double mine));
            Assert.True(Math.Abs(mine - parsed) <= Math.Abs(parsed) * 1e-14);
        }
    }

    private static string Ascii(double v)
    {
        var buf = new byte[40];
        return System.Text.Encoding.ASCII.GetString(buf, 0, DecimalText.WriteDouble(v, buf, 0, 15));
    }
}
