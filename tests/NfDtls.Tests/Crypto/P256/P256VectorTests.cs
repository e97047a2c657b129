using System.Security.Cryptography;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto.P256;

/// <summary>Published P-256 vectors: RFC 6979 A.2.5 (deterministic ECDSA), RFC 5903 §8.1 and NIST CAVP KAS (ECDH).</summary>
public class P256VectorTests
{
    public static TheoryData<string> Providers => new() { "portable", "desktop" };

    private static ICryptoProvider Provider(string name) =>
        name == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;

    // RFC 6979 A.2.5: the P-256 key
    private static readonly byte[] Rfc6979Private = Hex.Parse("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    private static readonly byte[] Rfc6979Public = Hex.Parse("04"
        + "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
        + "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");

    [Theory]
    [InlineData("sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8")]
    [InlineData("test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367", "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083")]
    public void Rfc6979DeterministicSignatures(string message, string r, string s)
    {
        IEcdsaP256 ecdsa = PortableCryptoProvider.Instance.CreateEcdsaP256();
        byte[] hash = SHA256.HashData(Hex.Ascii(message));
        byte[] publicKey = new byte[65];
        Assert.True(ecdsa.DerivePublicKey(Rfc6979Private, 0, publicKey, 0));
        Assert.Equal(Hex.Of(Rfc6979Public), Hex.Of(publicKey));

        byte[] signature = new byte[64];
        Assert.True(ecdsa.Sign(Rfc6979Private, 0, hash, 0, signature, 0));
        Assert.Equal((r + s).ToLowerInvariant(), Hex.Of(signature));

        // both providers accept it; one flipped bit in the hash or the signature and both refuse
        foreach (string name in new[] { "portable", "desktop" })
        {
            IEcdsaP256 verifier = Provider(name).CreateEcdsaP256();
            Assert.True(verifier.Verify(publicKey, 0, 65, hash, 0, signature, 0), name);
            hash[5] ^= 1;
            Assert.False(verifier.Verify(publicKey, 0, 65, hash, 0, signature, 0), name);
            hash[5] ^= 1;
            signature[40] ^= 0x80;
            Assert.False(verifier.Verify(publicKey, 0, 65, hash, 0, signature, 0), name);
            signature[40] ^= 0x80;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rfc5903Section8_1(string providerName)
    {
        ICryptoProvider provider = Provider(providerName);
        byte[] i = Hex.Parse("C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433");
        byte[] gi = Hex.Parse("04 DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
                              + "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3");
        byte[] r = Hex.Parse("C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46 476BEE53");
        byte[] gr = Hex.Parse("04 D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
                              + "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB");
        string girx = "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de";

        IEcdhP256 initiator = provider.CreateEcdhP256();
        IEcdhP256 responder = provider.CreateEcdhP256();
        byte[] pub = new byte[65];
        byte[] shared = new byte[32];
        Assert.True(initiator.ImportPrivateKey(i, 0));
        Assert.True(initiator.ExportPublicKey(pub, 0));
        Assert.Equal(Hex.Of(gi), Hex.Of(pub));
        Assert.True(responder.ImportPrivateKey(r, 0));
        Assert.True(responder.ExportPublicKey(pub, 0));
        Assert.Equal(Hex.Of(gr), Hex.Of(pub));
        Assert.True(initiator.DeriveSharedSecret(gr, 0, 65, shared, 0));
        Assert.Equal(girx, Hex.Of(shared));
        Assert.True(responder.DeriveSharedSecret(gi, 0, 65, shared, 0));
        Assert.Equal(girx, Hex.Of(shared));
    }

    // NIST CAVP KAS ECC CDH primitive test vectors (SP 800-56A), P-256, COUNT = 0 and 1.
    [Theory]
    [InlineData("portable", "700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287", "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac",
        "7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534", "ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230",
        "28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141", "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b")]
    [InlineData("desktop", "700c48f77f56584c5cc632ca65640db91b6bacce3a4df6b42ce7cc838833d287", "db71e509e3fd9b060ddb20ba5c51dcc5948d46fbf640dfe0441782cab85fa4ac",
        "7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534", "ead218590119e8876b29146ff89ca61770c4edbbf97d38ce385ed281d8a6b230",
        "28af61281fd35e2fa7002523acc85a429cb06ee6648325389f59edfce1405141", "46fc62106420ff012e54a434fbdd2d25ccc5852060561e68040dd7778997bd7b")]
    [InlineData("portable", "809f04289c64348c01515eb03d5ce7ac1a8cb9498f5caa50197e58d43a86a7ae", "b29d84e811197f25eba8f5194092cb6ff440e26d4421011372461f579271cda3",
        "38f65d6dce47676044d58ce5139582d568f64bb16098d179dbab07741dd5caf5", "119f2f047902782ab0c9e27a54aff5eb9b964829ca99c06b02ddba95b0a3f6d0",
        "8f52b726664cac366fc98ac7a012b2682cbd962e5acb544671d41b9445704d1d", "057d636096cb80b67a8c038c890e887d1adfa4195e9b3ce241c8a778c59cda67")]
    public void NistCavpEcdh(string providerName, string qx, string qy, string d, string ux, string uy, string z)
    {
        IEcdhP256 ecdh = Provider(providerName).CreateEcdhP256();
        byte[] pub = new byte[65];
        byte[] shared = new byte[32];
        Assert.True(ecdh.ImportPrivateKey(Hex.Parse(d), 0));
        Assert.True(ecdh.ExportPublicKey(pub, 0));
        Assert.Equal("04" + ux + uy, Hex.Of(pub));
        Assert.True(ecdh.DeriveSharedSecret(Hex.Parse("04" + qx + qy), 0, 65, shared, 0));
        Assert.Equal(z, Hex.Of(shared));
    }
}
