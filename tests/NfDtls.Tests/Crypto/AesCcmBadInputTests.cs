using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

/// <summary>Bad input to CCM is a false, never an exception, and a refused Open releases no plaintext.</summary>
public class AesCcmBadInputTests
{
    private static readonly byte[] Key = Hex.Parse("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF");
    private static readonly byte[] Nonce = Hex.Parse("00000003020100A0A1A2A3A4A5");
    private static readonly byte[] Aad = Hex.Parse("0001020304050607");
    private static readonly byte[] Plain = Hex.Parse("08090A0B0C0D0E0F101112131415161718191A1B1C1D1E");

    public static TheoryData<string, int> Cases => new()
    {
        { "portable", 8 }, { "portable", 16 }, { "desktop", 8 }, { "desktop", 16 },
    };

    private static IAesCcm Create(string provider, int tagLength)
    {
        IAesCcm ccm = provider == "portable"
            ? PortableCryptoProvider.Instance.CreateAesCcm(tagLength)
            : DesktopCryptoProvider.Instance.CreateAesCcm(tagLength);
        ccm.SetKey(Key, 0);
        return ccm;
    }

    private static byte[] SealedRecord(IAesCcm ccm)
    {
        byte[] sealedBuf = new byte[Plain.Length + ccm.TagLength];
        Assert.True(ccm.Seal(Nonce, 0, Nonce.Length, Aad, 0, Aad.Length, Plain, 0, Plain.Length, sealedBuf, 0));
        return sealedBuf;
    }

    private static byte[] Filled(int n)
    {
        byte[] b = new byte[n];
        Array.Fill(b, (byte)0xA5);
        return b;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WrongTagOrModifiedAadIsRefusedAndOutputZeroed(string provider, int tagLength)
    {
        IAesCcm ccm = Create(provider, tagLength);
        byte[] sealedBuf = SealedRecord(ccm);
        for (int i = 0; i < sealedBuf.Length; i++)
        {
            sealedBuf[i] ^= 0x01;
            byte[] output = Filled(Plain.Length);
            Assert.False(ccm.Open(Nonce, 0, Nonce.Length, Aad, 0, Aad.Length, sealedBuf, 0, sealedBuf.Length, output, 0));
            Assert.All(output, b => Assert.Equal(0, b));
            sealedBuf[i] ^= 0x01;
        }

        byte[] aad = (byte[])Aad.Clone();
        aad[3] ^= 0x80;
        byte[] o2 = Filled(Plain.Length);
        Assert.False(ccm.Open(Nonce, 0, Nonce.Length, aad, 0, aad.Length, sealedBuf, 0, sealedBuf.Length, o2, 0));
        Assert.All(o2, b => Assert.Equal(0, b));

        // In place: the ciphertext's own bytes are zeroed too, no plaintext left behind.
        sealedBuf[sealedBuf.Length - 1] ^= 0x40;
        Assert.False(ccm.Open(Nonce, 0, Nonce.Length, Aad, 0, Aad.Length, sealedBuf, 0, sealedBuf.Length, sealedBuf, 0));
        Assert.All(sealedBuf.Take(Plain.Length), b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CiphertextShorterThanTheTagIsRefused(string provider, int tagLength)
    {
        IAesCcm ccm = Create(provider, tagLength);
        byte[] sealedBuf = SealedRecord(ccm);
        byte[] output = Filled(Plain.Length);
        for (int count = 0; count < tagLength; count++)
        {
            Assert.False(ccm.Open(Nonce, 0, Nonce.Length, Aad, 0, Aad.Length, sealedBuf, 0, count, output, 0));
        }
        // Exactly the tag length: an empty message whose tag cannot match this record's bytes.
        Assert.False(ccm.Open(Nonce, 0, Nonce.Length, Aad, 0, Aad.Length, sealedBuf, 0, tagLength, output, 0));
        Assert.DoesNotContain(output, b => b != 0xA5 && b != 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadNonceLengthIsRefused(string provider, int tagLength)
    {
        IAesCcm ccm = Create(provider, tagLength);
        byte[] sealedBuf = SealedRecord(ccm);
        byte[] nonce = new byte[32];
        Array.Copy(Nonce, nonce, Nonce.Length);
        foreach (int nonceLength in new[] { 0, 1, 6, 14, 15, 16, 32 })
        {
            byte[] sealOut = new byte[Plain.Length + tagLength];
            Assert.False(ccm.Seal(nonce, 0, nonceLength, Aad, 0, Aad.Length, Plain, 0, Plain.Length, sealOut, 0));
            byte[] output = Filled(Plain.Length);
            Assert.False(ccm.Open(nonce, 0, nonceLength, Aad, 0, Aad.Length, sealedBuf, 0, sealedBuf.Length, output, 0));
            // No plaintext released: both providers zero the output (IAesCcm.Open's contract).
            Assert.All(output, b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void PortableRefusesEveryOutOfRangeArgumentWithoutThrowing()
    {
        var ccm = new Aes128Ccm(8);
        byte[] record = new byte[Plain.Length + 8];
        byte[] output = new byte[Plain.Length];

        // No key yet.
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 0));
        ccm.SetKey(Key, 0);
        Assert.True(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 0));

        // Nulls.
        Assert.False(ccm.Seal(null!, 0, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, null!, 0, 8, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, null!, 0, 5, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, null!, 0));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, null!, 0, record.Length, output, 0));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 0, record.Length, null!, 0));

        // Offsets and lengths outside the arrays, negative values, output too small.
        Assert.False(ccm.Seal(Nonce, 1, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, -1, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 1, Aad.Length, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, -1, Plain, 0, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 1, Plain.Length, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, -1, record, 0));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, Plain.Length, record, 1));
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, Aad.Length, Plain, 0, int.MaxValue, record, 0));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 1, record.Length, output, 0));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 0, record.Length, output, 1));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 0, int.MinValue, output, 0));
        Assert.False(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 0, -1, output, 0));

        // A message too long for L = 2 (13-byte nonce): 2^16 bytes.
        byte[] big = new byte[65536 + 8];
        Assert.False(ccm.Seal(Nonce, 0, 13, Aad, 0, 0, big, 0, 65536, big, 0));
        Assert.True(ccm.Seal(Nonce, 0, 13, Aad, 0, 0, big, 0, 65535, big, 0));
        Assert.True(ccm.Seal(Nonce, 0, 12, Aad, 0, 0, big, 0, 65536, big, 0)); // L = 3 holds it

        // After all that, the instance still works.
        Assert.True(ccm.Open(Nonce, 0, 13, Aad, 0, Aad.Length, record, 0, record.Length, output, 0));
        Assert.Equal(Plain, output);
    }

    [Fact]
    public void EmptyAadAndEmptyMessageMayBeNullArrays()
    {
        var ccm = new Aes128Ccm(16);
        ccm.SetKey(Key, 0);
        byte[] tag = new byte[16];
        Assert.True(ccm.Seal(Nonce, 0, 13, null!, 0, 0, null!, 0, 0, tag, 0));
        Assert.True(ccm.Open(Nonce, 0, 13, null!, 0, 0, tag, 0, 16, null!, 0));
        tag[0] ^= 1;
        Assert.False(ccm.Open(Nonce, 0, 13, null!, 0, 0, tag, 0, 16, null!, 0));
    }
}
