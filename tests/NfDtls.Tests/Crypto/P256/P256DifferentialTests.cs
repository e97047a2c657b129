using System.Numerics;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto.P256;

/// <summary>Portable P-256 against the desktop provider (OpenSSL) on seeded random keys, plus edge scalars.</summary>
public class P256DifferentialTests
{
    private static readonly ICryptoProvider Portable = PortableCryptoProvider.Instance;
    private static readonly ICryptoProvider Desktop = DesktopCryptoProvider.Instance;

    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    private static byte[] Scalar(BigInteger v)
    {
        byte[] be = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] r = new byte[32];
        Array.Copy(be, 0, r, 32 - be.Length, be.Length);
        return r;
    }

    private static void AssertSamePublicKey(byte[] scalar)
    {
        byte[] a = new byte[65];
        byte[] b = new byte[65];
        Assert.True(Portable.CreateEcdsaP256().DerivePublicKey(scalar, 0, a, 0));
        Assert.True(Desktop.CreateEcdsaP256().DerivePublicKey(scalar, 0, b, 0));
        Assert.Equal(Hex.Of(b), Hex.Of(a));
    }

    // Scalars made of the comb's teeth (sums of 2^(26 j) G over subsets of the ten teeth of P256Tables.Comb, so every
    // column picks entries at the edges of the signed recoding), their negatives, and the scalars next to 0 and n.
    [Fact]
    public void FixedBaseEdgeScalars()
    {
        for (int subset = 1; subset < 1024; subset += 7)
        {
            BigInteger k = 0;
            for (int t = 0; t < 10; t++)
            {
                if ((subset >> t & 1) != 0)
                {
                    k += BigInteger.One << (26 * t);
                }
            }
            AssertSamePublicKey(Scalar(k));
            AssertSamePublicKey(Scalar(N - k));
        }
        foreach (BigInteger k in EdgeScalars())
        {
            AssertSamePublicKey(Scalar(k));
        }
    }

    // Variable-base multiplication at the scalars where its constant-time additions meet equal x coordinates (k = 2 and
    // n - 2 end on a doubling) and the portable code falls back to complete arithmetic, and at the other edges.
    [Fact]
    public void EcdhEdgeScalars()
    {
        IEcdhP256 peer = Desktop.CreateEcdhP256();
        Assert.True(peer.ImportPrivateKey(Scalar(BigInteger.Parse("7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534", System.Globalization.NumberStyles.HexNumber)), 0));
        byte[] peerPublic = new byte[65];
        Assert.True(peer.ExportPublicKey(peerPublic, 0));
        IEcdhP256 portable = Portable.CreateEcdhP256();
        IEcdhP256 desktop = Desktop.CreateEcdhP256();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        foreach (BigInteger k in EdgeScalars())
        {
            byte[] scalar = Scalar(k);
            Assert.True(portable.ImportPrivateKey(scalar, 0));
            Assert.True(desktop.ImportPrivateKey(scalar, 0));
            Assert.True(portable.DeriveSharedSecret(peerPublic, 0, 65, a, 0));
            Assert.True(desktop.DeriveSharedSecret(peerPublic, 0, 65, b, 0));
            Assert.Equal(Hex.Of(b), Hex.Of(a));
        }
    }

    private static IEnumerable<BigInteger> EdgeScalars()
    {
        for (int i = 1; i <= 66; i++)
        {
            yield return i;
            yield return N - i;
        }
        foreach (BigInteger k in new[] { (BigInteger.One << 255) - 1, BigInteger.One << 255, (N + 1) / 2, (N - 1) / 2, BigInteger.One << 128 })
        {
            yield return k;
        }
    }

    [Fact]
    public void EcdhSharedSecretsAgree()
    {
        var rng = new Random(2562);
        IEcdhP256 portable = Portable.CreateEcdhP256();
        IEcdhP256 desktop = Desktop.CreateEcdhP256();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        byte[] pa = new byte[65];
        byte[] pb = new byte[65];
        byte[] s1 = new byte[32];
        byte[] s2 = new byte[32];
        for (int trial = 0; trial < 300; trial++)
        {
            do { rng.NextBytes(a); } while (!portable.ImportPrivateKey(a, 0));
            do { rng.NextBytes(b); } while (!desktop.ImportPrivateKey(b, 0));
            Assert.True(portable.ExportPublicKey(pa, 0));
            Assert.True(desktop.ExportPublicKey(pb, 0));
            Assert.True(portable.DeriveSharedSecret(pb, 0, 65, s1, 0));
            Assert.True(desktop.DeriveSharedSecret(pa, 0, 65, s2, 0));
            Assert.Equal(Hex.Of(s2), Hex.Of(s1));
            // the same private key in the other provider gives the same public key
            Assert.True(desktop.ImportPrivateKey(a, 0));
            Assert.True(desktop.ExportPublicKey(pb, 0));
            Assert.Equal(Hex.Of(pb), Hex.Of(pa));
        }
    }

    [Fact]
    public void EcdsaEachVerifiesTheOther()
    {
        var rng = new Random(2563);
        IEcdsaP256 portable = Portable.CreateEcdsaP256();
        IEcdsaP256 desktop = Desktop.CreateEcdsaP256();
        byte[] key = new byte[32];
        byte[] pub = new byte[65];
        byte[] hash = new byte[32];
        byte[] sig = new byte[64];
        byte[] der = new byte[EcdsaDer.MaxLength];
        byte[] back = new byte[64];
        for (int trial = 0; trial < 300; trial++)
        {
            do { rng.NextBytes(key); } while (!portable.DerivePublicKey(key, 0, pub, 0));
            rng.NextBytes(hash);
            if (trial % 10 == 0)
            {
                Array.Fill(hash, (byte)0xFF); // digest ≥ n: the reduction mod n matters
            }

            Assert.True(portable.Sign(key, 0, hash, 0, sig, 0));
            Assert.True(desktop.Verify(pub, 0, 65, hash, 0, sig, 0), "desktop refused a portable signature at " + trial);
            Assert.True(portable.Verify(pub, 0, 65, hash, 0, sig, 0));
            int length = EcdsaDer.Encode(sig, 0, der, 0);
            Assert.True(EcdsaDer.Decode(der, 0, length, back, 0));
            Assert.Equal(Hex.Of(sig), Hex.Of(back));

            Assert.True(desktop.Sign(key, 0, hash, 0, sig, 0));
            Assert.True(portable.Verify(pub, 0, 65, hash, 0, sig, 0), "portable refused a desktop signature at " + trial);
            sig[rng.Next(64)] ^= (byte)(1 << rng.Next(8));
            Assert.False(portable.Verify(pub, 0, 65, hash, 0, sig, 0));
        }
    }
}
