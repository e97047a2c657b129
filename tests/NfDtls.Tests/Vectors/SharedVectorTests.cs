using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Vectors;
using Xunit;

namespace NfDtls.Tests.Vectors;

/// <summary>
/// The vector tables the device tests use (tests/Vectors/CryptoVectors.cs), run here on both providers: so the shared
/// data itself is checked against System.Security.Cryptography, not only against the code it tests.
/// </summary>
public class SharedVectorTests
{
    private static readonly ICryptoProvider[] Providers = { PortableCryptoProvider.Instance, DesktopCryptoProvider.Instance };

    [Fact]
    public void Sha256_rows_match_both_providers_and_the_BCL()
    {
        Assert.Equal(4, CryptoVectors.Sha256.Length);
        foreach (var row in CryptoVectors.Sha256)
        {
            byte[] message = VectorHex.Parse(row[0]);
            Assert.Equal(row[1], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(message)));
            foreach (var provider in Providers)
            {
                var sha = provider.CreateSha256();
                byte[] digest = new byte[32];
                sha.Update(message, 0, message.Length);
                sha.Finish(digest, 0);
                Assert.Equal(row[1], VectorHex.Of(digest, 0, 32));
            }
        }
    }

    [Fact]
    public void Hmac_rows_match_both_providers()
    {
        Assert.Equal(7, CryptoVectors.HmacSha256.Length);
        foreach (var row in CryptoVectors.HmacSha256)
        {
            byte[] key = VectorHex.Parse(row[1]);
            byte[] data = VectorHex.Parse(row[2]);
            Assert.StartsWith(row[3], Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, data)));
            foreach (var provider in Providers)
            {
                var hmac = provider.CreateHmacSha256();
                byte[] mac = new byte[32];
                hmac.SetKey(key, 0, key.Length);
                hmac.Update(data, 0, data.Length);
                hmac.Finish(mac, 0);
                Assert.Equal(row[3], VectorHex.Of(mac, 0, row[3].Length / 2));
            }
        }
    }

    [Fact]
    public void Ccm_rows_match_both_providers_where_the_tag_length_is_supported()
    {
        Assert.Equal(27, CryptoVectors.AesCcm.Length);
        int checkedOnDesktop = 0;
        foreach (var row in CryptoVectors.AesCcm)
        {
            byte[] key = VectorHex.Parse(row[1]), nonce = VectorHex.Parse(row[2]), aad = VectorHex.Parse(row[3]);
            byte[] plain = VectorHex.Parse(row[4]), expected = VectorHex.Parse(row[5]);
            int tag = expected.Length - plain.Length;
            foreach (var provider in Providers)
            {
                if (provider is DesktopCryptoProvider && tag != 8 && tag != 16)
                {
                    continue; // the provider contract is CCM-8 and CCM-16
                }
                checkedOnDesktop += provider is DesktopCryptoProvider ? 1 : 0;
                var ccm = provider.CreateAesCcm(tag);
                ccm.SetKey(key, 0);
                byte[] output = new byte[expected.Length];
                Assert.True(ccm.Seal(nonce, 0, nonce.Length, aad, 0, aad.Length, plain, 0, plain.Length, output, 0), row[0]);
                Assert.True(VectorHex.SameHex(row[5], VectorHex.Of(output, 0, output.Length)), row[0]);
            }
        }
        Assert.True(checkedOnDesktop >= 12, "desktop CCM checked " + checkedOnDesktop + " rows");
    }

    [Fact]
    public void Prf_and_aes_rows_match()
    {
        byte[] secret = VectorHex.Parse(CryptoVectors.TlsPrfSecret), seed = VectorHex.Parse(CryptoVectors.TlsPrfSeed);
        byte[] label = VectorHex.Ascii(CryptoVectors.TlsPrfLabel);
        byte[] output = new byte[CryptoVectors.TlsPrfOutput.Length / 2];
        new TlsPrf(DesktopCryptoProvider.Instance.CreateHmacSha256())
            .Derive(secret, 0, secret.Length, label, 0, label.Length, seed, 0, seed.Length, output, 0, output.Length);
        Assert.Equal(CryptoVectors.TlsPrfOutput, VectorHex.Of(output, 0, output.Length));

        foreach (var row in CryptoVectors.Aes128)
        {
            using var aes = System.Security.Cryptography.Aes.Create();
            aes.Key = VectorHex.Parse(row[0]);
            byte[] block = aes.EncryptEcb(VectorHex.Parse(row[1]), System.Security.Cryptography.PaddingMode.None);
            Assert.Equal(row[2], VectorHex.Of(block, 0, 16));
        }
    }

    [Fact]
    public void P256_rows_match_the_desktop_provider()
    {
        var ecdsa = DesktopCryptoProvider.Instance.CreateEcdsaP256();
        byte[] publicKey = new byte[65];
        Assert.True(ecdsa.DerivePublicKey(VectorHex.Parse(CryptoVectors.Rfc6979Private), 0, publicKey, 0));
        Assert.True(VectorHex.SameHex(CryptoVectors.Rfc6979Public, VectorHex.Of(publicKey, 0, 65)));
        foreach (var row in CryptoVectors.Rfc6979Signatures)
        {
            byte[] hash = System.Security.Cryptography.SHA256.HashData(VectorHex.Ascii(row[0]));
            Assert.True(ecdsa.Verify(publicKey, 0, 65, hash, 0, VectorHex.Parse(row[1] + row[2]), 0), row[0]);
        }

        var ecdh = DesktopCryptoProvider.Instance.CreateEcdhP256();
        byte[] shared = new byte[32];
        Assert.True(ecdh.ImportPrivateKey(VectorHex.Parse(CryptoVectors.Rfc5903I), 0));
        byte[] gr = VectorHex.Parse(CryptoVectors.Rfc5903GR);
        Assert.True(ecdh.DeriveSharedSecret(gr, 0, 65, shared, 0));
        Assert.Equal(CryptoVectors.Rfc5903GirX, VectorHex.Of(shared, 0, 32));
        Assert.Equal(2, CryptoVectors.CavpEcdh.Length);
        foreach (var row in CryptoVectors.CavpEcdh)
        {
            Assert.True(ecdh.ImportPrivateKey(VectorHex.Parse(row[2]), 0));
            byte[] peer = VectorHex.Parse("04" + row[0] + row[1]);
            Assert.True(ecdh.DeriveSharedSecret(peer, 0, 65, shared, 0));
            Assert.Equal(row[5], VectorHex.Of(shared, 0, 32));
        }
    }
}
