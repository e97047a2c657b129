using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Crypto;

/// <summary>The steady state allocates nothing: measured with GC.GetAllocatedBytesForCurrentThread after a warm-up.</summary>
public class AllocationTests
{
    private readonly ITestOutputHelper _output;

    public AllocationTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Providers => new() { "portable", "desktop" };

    private static ICryptoProvider Provider(string name) =>
        name == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;

    private static long Measure(Action action)
    {
        for (int i = 0; i < 20; i++)
        {
            action(); // warm-up: JIT tiers, type initializers
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            action();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long CcmSealOpenBytes(ICryptoProvider provider, int tagLength)
    {
        byte[] key = new byte[16];
        byte[] nonce = new byte[12];
        byte[] aad = new byte[13];
        byte[] record = new byte[1024 + 16];
        IAesCcm ccm = provider.CreateAesCcm(tagLength);
        ccm.SetKey(key, 0);
        return Measure(() =>
        {
            Assert.True(ccm.Seal(nonce, 0, 12, aad, 0, 13, record, 0, 1024, record, 0));
            Assert.True(ccm.Open(nonce, 0, 12, aad, 0, 13, record, 0, 1024 + tagLength, record, 0));
        });
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void PortableAesCcmSealAndOpenOfA1KiBRecord(int tagLength)
    {
        long bytes = CcmSealOpenBytes(PortableCryptoProvider.Instance, tagLength);
        _output.WriteLine("portable CCM-" + tagLength + " seal+open 1 KiB x200: " + bytes + " bytes allocated");
        Assert.Equal(0, bytes);
    }

    // The desktop AesCcm (OpenSSL through System.Security.Cryptography) allocates a little per call inside the BCL
    // (32 bytes per Encrypt/Decrypt on .NET 10 / Linux), which our wrapper cannot avoid. Held to "no per-record buffer":
    // under 256 bytes per seal+open of a 1 KiB record.
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void DesktopAesCcmAllocatesNoRecordSizedBuffers(int tagLength)
    {
        long bytes = CcmSealOpenBytes(DesktopCryptoProvider.Instance, tagLength);
        _output.WriteLine("desktop CCM-" + tagLength + " seal+open 1 KiB x200: " + bytes + " bytes allocated (" + bytes / 200 + " per seal+open)");
        Assert.InRange(bytes / 200, 0, 255);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Sha256AndHmacOf1KiB(string providerName)
    {
        ICryptoProvider provider = Provider(providerName);
        byte[] data = new byte[1024];
        byte[] output = new byte[32];
        ISha256 sha = provider.CreateSha256();
        long shaBytes = Measure(() =>
        {
            sha.Update(data, 0, data.Length);
            sha.PeekHash(output, 0);
            sha.Finish(output, 0);
        });
        IHmacSha256 hmac = provider.CreateHmacSha256();
        hmac.SetKey(data, 0, 32);
        long hmacBytes = Measure(() =>
        {
            hmac.Update(data, 0, data.Length);
            hmac.Finish(output, 0);
        });
        _output.WriteLine(providerName + " SHA-256 1 KiB x200: " + shaBytes + " bytes; HMAC-SHA256 1 KiB x200: " + hmacBytes + " bytes");
        Assert.Equal(0, shaBytes);
        Assert.Equal(0, hmacBytes);
    }

    [Fact]
    public void PortableRekeyPrfAndDrbg()
    {
        byte[] data = new byte[1024];
        byte[] output = new byte[128];
        var hmac = new HmacSha256();
        Assert.Equal(0, Measure(() => hmac.SetKey(data, 0, 100))); // long key: hashed, still no allocation

        var ccm = new Aes128Ccm(8);
        Assert.Equal(0, Measure(() => ccm.SetKey(data, 0)));

        var prf = new TlsPrf();
        Assert.Equal(0, Measure(() => prf.Derive(data, 0, 48, TlsLabels.KeyExpansion, 0, TlsLabels.KeyExpansion.Length,
                                                 data, 48, 32, data, 80, 32, output, 0, 40)));

        var drbg = new HmacDrbg(DesktopEntropySource.Instance);
        Assert.Equal(0, Measure(() => drbg.GetBytes(output, 0, 100)));
    }
}
