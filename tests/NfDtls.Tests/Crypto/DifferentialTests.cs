using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

/// <summary>Portable vs desktop (System.Security.Cryptography / OpenSSL) on thousands of seeded random inputs.</summary>
public class DifferentialTests
{
    private static readonly ICryptoProvider Portable = PortableCryptoProvider.Instance;
    private static readonly ICryptoProvider Desktop = DesktopCryptoProvider.Instance;

    [Theory]
    [InlineData(8, 11)]
    [InlineData(16, 12)]
    public void AesCcmSealWithOneOpenWithTheOther(int tagLength, int seed)
    {
        var rng = new Random(seed);
        IAesCcm portable = Portable.CreateAesCcm(tagLength);
        IAesCcm desktop = Desktop.CreateAesCcm(tagLength);
        byte[] key = new byte[16];
        byte[] nonce = new byte[13];
        byte[] aad = new byte[40];
        byte[] plain = new byte[1500];
        byte[] byPortable = new byte[1500 + 16];
        byte[] byDesktop = new byte[1500 + 16];
        byte[] opened = new byte[1500];
        for (int trial = 0; trial < 1500; trial++)
        {
            if (trial % 8 == 0)
            {
                rng.NextBytes(key);
                portable.SetKey(key, 0);
                desktop.SetKey(key, 0);
            }
            int nonceLength = rng.Next(7, 14);
            int aadLength = rng.Next(0, 41);
            int length = trial < 64 ? trial : rng.Next(0, 1501); // every short length, then random ones
            rng.NextBytes(nonce);
            rng.NextBytes(aad);
            rng.NextBytes(plain);
            int sealedLength = length + tagLength;

            Assert.True(portable.Seal(nonce, 0, nonceLength, aad, 0, aadLength, plain, 0, length, byPortable, 0));
            Assert.True(desktop.Seal(nonce, 0, nonceLength, aad, 0, aadLength, plain, 0, length, byDesktop, 0));
            Assert.True(byPortable.AsSpan(0, sealedLength).SequenceEqual(byDesktop.AsSpan(0, sealedLength)), "ciphertexts differ at trial " + trial);

            Array.Clear(opened);
            Assert.True(desktop.Open(nonce, 0, nonceLength, aad, 0, aadLength, byPortable, 0, sealedLength, opened, 0));
            Assert.True(opened.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));
            Array.Clear(opened);
            Assert.True(portable.Open(nonce, 0, nonceLength, aad, 0, aadLength, byDesktop, 0, sealedLength, opened, 0));
            Assert.True(opened.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));

            // One flipped bit anywhere (ciphertext, tag, or the AAD) and both refuse.
            if (trial % 4 == 0)
            {
                int bit = rng.Next(0, 8 * (sealedLength + aadLength));
                byte[] target = bit < 8 * sealedLength ? byPortable : aad;
                int index = bit < 8 * sealedLength ? bit / 8 : bit / 8 - sealedLength;
                target[index] ^= (byte)(1 << (bit % 8));
                Assert.False(portable.Open(nonce, 0, nonceLength, aad, 0, aadLength, byPortable, 0, sealedLength, opened, 0));
                Assert.False(desktop.Open(nonce, 0, nonceLength, aad, 0, aadLength, byPortable, 0, sealedLength, opened, 0));
                target[index] ^= (byte)(1 << (bit % 8));
            }
        }
    }

    [Fact]
    public void Sha256RandomLengthsAndSplits()
    {
        var rng = new Random(21);
        ISha256 portable = Portable.CreateSha256();
        ISha256 desktop = Desktop.CreateSha256();
        byte[] data = new byte[3000];
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        for (int trial = 0; trial < 1500; trial++)
        {
            int length = trial < 200 ? trial : rng.Next(0, data.Length + 1);
            rng.NextBytes(data);
            int pos = 0;
            while (pos < length)
            {
                int n = Math.Min(rng.Next(0, 200), length - pos);
                portable.Update(data, pos, n);
                desktop.Update(data, pos, n);
                pos += n;
                if (rng.Next(8) == 0)
                {
                    portable.PeekHash(a, 0);
                    desktop.PeekHash(b, 0);
                    Assert.Equal(b, a);
                }
            }
            portable.Finish(a, 0);
            desktop.Finish(b, 0);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void HmacSha256RandomKeysAndLengths()
    {
        var rng = new Random(31);
        IHmacSha256 portable = Portable.CreateHmacSha256();
        IHmacSha256 desktop = Desktop.CreateHmacSha256();
        byte[] key = new byte[200];
        byte[] data = new byte[2000];
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        for (int trial = 0; trial < 1500; trial++)
        {
            int keyLength = trial < 130 ? trial : rng.Next(0, key.Length + 1); // every length around the 64-byte block
            int length = rng.Next(0, data.Length + 1);
            rng.NextBytes(key);
            rng.NextBytes(data);
            portable.SetKey(key, 0, keyLength);
            desktop.SetKey(key, 0, keyLength);
            for (int round = 0; round < 2; round++) // Finish restarts under the same key
            {
                int split = rng.Next(0, length + 1);
                portable.Update(data, 0, split);
                portable.Update(data, split, length - split);
                desktop.Update(data, 0, length);
                portable.Finish(a, 0);
                desktop.Finish(b, 0);
                Assert.Equal(b, a);
            }
        }
    }

    [Fact]
    public void TlsPrfOverEitherHmac()
    {
        var rng = new Random(41);
        var portable = new TlsPrf(Portable.CreateHmacSha256());
        var desktop = new TlsPrf(Desktop.CreateHmacSha256());
        byte[] secret = new byte[48];
        byte[] clientRandom = new byte[32];
        byte[] serverRandom = new byte[32];
        byte[] a = new byte[200];
        byte[] b = new byte[200];
        for (int trial = 0; trial < 200; trial++)
        {
            rng.NextBytes(secret);
            rng.NextBytes(clientRandom);
            rng.NextBytes(serverRandom);
            int n = rng.Next(0, 201);
            byte[] label = trial % 2 == 0 ? TlsLabels.KeyExpansion : TlsLabels.MasterSecret;
            portable.Derive(secret, 0, secret.Length, label, 0, label.Length, serverRandom, 0, 32, clientRandom, 0, 32, a, 0, n);
            desktop.Derive(secret, 0, secret.Length, label, 0, label.Length, serverRandom, 0, 32, clientRandom, 0, 32, b, 0, n);
            Assert.Equal(b, a);
        }
    }
}
