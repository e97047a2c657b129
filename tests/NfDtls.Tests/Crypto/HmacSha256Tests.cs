using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

public class HmacSha256Tests
{
    // RFC 4231 §4.2–§4.8, test cases 1–7 (case 5 is specified truncated to 128 bits).
    public static TheoryData<string, string, string, string> Rfc4231 => new()
    {
        { "1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "2", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", new string('d', 100),
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "4", "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)),
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { "5", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
          "a3b6167473100ee06e0c796c2955552b" },
        { "6", string.Concat(Enumerable.Repeat("aa", 131)),
          "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { "7", string.Concat(Enumerable.Repeat("aa", 131)),
          "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Rfc4231Vectors(string testCase, string key, string data, string mac)
    {
        _ = testCase;
        byte[] k = Hex.Parse(key);
        byte[] d = Hex.Parse(data);
        foreach (IHmacSha256 hmac in new IHmacSha256[] { new HmacSha256(), DesktopCryptoProvider.Instance.CreateHmacSha256() })
        {
            hmac.SetKey(k, 0, k.Length);
            hmac.Update(d, 0, d.Length);
            byte[] output = new byte[32];
            hmac.Finish(output, 0);
            Assert.Equal(mac, Hex.Of(output, 0, mac.Length / 2));

            // Finish restarts under the same key.
            hmac.Update(d, 0, d.Length);
            hmac.Finish(output, 0);
            Assert.Equal(mac, Hex.Of(output, 0, mac.Length / 2));
        }
    }

    [Fact]
    public void RekeyingStartsAFreshMac()
    {
        var hmac = new HmacSha256();
        byte[] junkKey = new byte[70];
        byte[] junk = new byte[33];
        hmac.SetKey(junkKey, 0, junkKey.Length);
        hmac.Update(junk, 0, junk.Length); // discarded by the SetKey below
        byte[] key = Hex.Ascii("Jefe");
        byte[] data = Hex.Ascii("what do ya want for nothing?");
        hmac.SetKey(key, 0, key.Length);
        hmac.Update(data, 0, 10);
        hmac.Update(data, 10, data.Length - 10);
        byte[] output = new byte[32];
        hmac.Finish(output, 0);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Hex.Of(output));
    }
}
