using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto.P256;

/// <summary>Bad keys, points and signatures are a false result from both providers, never an exception.</summary>
public class P256BadInputTests
{
    public static TheoryData<string> Providers => new() { "portable", "desktop" };

    private static ICryptoProvider Provider(string name) =>
        name == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;

    private const string NHex = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    private const string PHex = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
    private const string GHex = "04"
        + "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

    [Theory]
    [MemberData(nameof(Providers))]
    public void ScalarsZeroOrAtLeastNAreRefused(string providerName)
    {
        ICryptoProvider provider = Provider(providerName);
        IEcdhP256 ecdh = provider.CreateEcdhP256();
        IEcdsaP256 ecdsa = provider.CreateEcdsaP256();
        byte[] pub = new byte[65];
        byte[] sig = new byte[64];
        byte[] hash = new byte[32];
        foreach (string hex in new[] { new string('0', 64), NHex, "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552", new string('f', 64) })
        {
            byte[] k = Hex.Parse(hex);
            Assert.False(ecdh.ImportPrivateKey(k, 0));
            Assert.False(ecdh.ExportPublicKey(pub, 0));
            Assert.False(ecdsa.DerivePublicKey(k, 0, pub, 0));
            Assert.False(ecdsa.Sign(k, 0, hash, 0, sig, 0));
        }
        Assert.False(ecdh.ImportPrivateKey(new byte[31], 0)); // too short
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void BadPeerPointsAreRefused(string providerName)
    {
        IEcdhP256 ecdh = Provider(providerName).CreateEcdhP256();
        Assert.True(ecdh.ImportPrivateKey(Hex.Parse("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"), 0));
        byte[] shared = new byte[32];
        byte[] g = Hex.Parse(GHex);
        Assert.True(ecdh.DeriveSharedSecret(g, 0, 65, shared, 0));

        byte[] offCurve = (byte[])g.Clone();
        offCurve[64] ^= 1;
        byte[] compressed = Hex.Parse("03" + GHex.Substring(2, 64));
        byte[] hybridTag = (byte[])g.Clone();
        hybridTag[0] = 0x06;
        byte[] xAtP = Hex.Parse("04" + PHex + GHex.Substring(66));
        byte[] zero = new byte[65];
        zero[0] = 0x04;
        byte[] infinity = { 0x00 };
        foreach (byte[] bad in new[] { offCurve, compressed, hybridTag, xAtP, zero, infinity })
        {
            Assert.False(ecdh.DeriveSharedSecret(bad, 0, bad.Length, shared, 0));
        }
        Assert.False(ecdh.DeriveSharedSecret(g, 0, 64, shared, 0));   // truncated
        Assert.False(ecdh.DeriveSharedSecret(g, 1, 65, shared, 0));   // out of the buffer
        Assert.False(ecdh.DeriveSharedSecret(null!, 0, 65, shared, 0));

        // y replaced by p - y is the negated point, still valid; y + p is out of range
        ecdh.Clear();
        Assert.False(ecdh.DeriveSharedSecret(g, 0, 65, shared, 0)); // no key after Clear
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void SignaturesWithROrSOutOfRangeAreRefused(string providerName)
    {
        IEcdsaP256 ecdsa = Provider(providerName).CreateEcdsaP256();
        byte[] key = Hex.Parse("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
        byte[] pub = new byte[65];
        byte[] hash = new byte[32];
        byte[] sig = new byte[64];
        Assert.True(ecdsa.DerivePublicKey(key, 0, pub, 0));
        Assert.True(ecdsa.Sign(key, 0, hash, 0, sig, 0));
        Assert.True(ecdsa.Verify(pub, 0, 65, hash, 0, sig, 0));

        byte[] n = Hex.Parse(NHex);
        byte[] bad = (byte[])sig.Clone();
        Array.Clear(bad, 0, 32);                       // r = 0
        Assert.False(ecdsa.Verify(pub, 0, 65, hash, 0, bad, 0));
        bad = (byte[])sig.Clone();
        Array.Clear(bad, 32, 32);                      // s = 0
        Assert.False(ecdsa.Verify(pub, 0, 65, hash, 0, bad, 0));
        bad = (byte[])sig.Clone();
        Array.Copy(n, 0, bad, 32, 32);                 // s = n
        Assert.False(ecdsa.Verify(pub, 0, 65, hash, 0, bad, 0));
        bad = (byte[])sig.Clone();
        Array.Copy(n, 0, bad, 0, 32);                  // r = n
        Assert.False(ecdsa.Verify(pub, 0, 65, hash, 0, bad, 0));
        byte[] badKey = (byte[])pub.Clone();
        badKey[10] ^= 4;                                // key off the curve
        Assert.False(ecdsa.Verify(badKey, 0, 65, hash, 0, sig, 0));
        Assert.False(ecdsa.Verify(pub, 0, 64, hash, 0, sig, 0));
    }

    [Fact]
    public void MalformedDerAndSpkiAreRefused()
    {
        byte[] rs = new byte[64];
        rs[31] = 1;
        rs[32] = 0x80;
        byte[] der = new byte[EcdsaDer.MaxLength];
        int length = EcdsaDer.Encode(rs, 0, der, 0);
        Assert.Equal("3026020101022100" + "80" + new string('0', 62), Hex.Of(der, 0, length));
        byte[] back = new byte[64];
        Assert.True(EcdsaDer.Decode(der, 0, length, back, 0));
        Assert.Equal(Hex.Of(rs), Hex.Of(back));
        Assert.False(EcdsaDer.Decode(der, 0, length - 1, back, 0));
        Assert.False(EcdsaDer.Decode(der, 0, length + 1, back, 0));
        Assert.False(EcdsaDer.Decode(Hex.Parse("30060201000201ff"), 0, 8, back, 0));     // negative s
        Assert.False(EcdsaDer.Decode(Hex.Parse("3007020200010201 01"), 0, 9, back, 0));  // non-minimal r
        Assert.False(EcdsaDer.Decode(Hex.Parse("308106020101020101"), 0, 9, back, 0));  // long-form length

        byte[] point = Hex.Parse(GHex);
        byte[] spki = new byte[P256Spki.Length];
        Assert.Equal(91, P256Spki.Encode(point, 0, spki, 0));
        Assert.True(P256Spki.TryFindPoint(spki, 0, 91, out int at));
        Assert.Equal(26, at);
        spki[20] ^= 1; // another curve OID
        Assert.False(P256Spki.TryFindPoint(spki, 0, 91, out _));
        Assert.False(P256Spki.TryFindPoint(spki, 0, 90, out _));
    }
}
