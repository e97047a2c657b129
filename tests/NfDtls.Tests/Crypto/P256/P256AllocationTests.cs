using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Crypto.P256;

/// <summary>The portable P-256 operations allocate nothing after construction.</summary>
public class P256AllocationTests
{
    private readonly ITestOutputHelper _output;

    public P256AllocationTests(ITestOutputHelper output) => _output = output;

    private static long Measure(Action action)
    {
        for (int i = 0; i < 5; i++)
        {
            action();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            action();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void EcdhAndEcdsaAllocateNothing()
    {
        var random = new HmacDrbg(DesktopEntropySource.Instance);
        IEcdhP256 a = PortableCryptoProvider.Instance.CreateEcdhP256();
        IEcdhP256 b = PortableCryptoProvider.Instance.CreateEcdhP256();
        byte[] pub = new byte[65];
        byte[] shared = new byte[32];
        Assert.True(b.GenerateKeyPair(random));
        Assert.True(b.ExportPublicKey(pub, 0));
        long ecdh = Measure(() =>
        {
            Assert.True(a.GenerateKeyPair(random));
            Assert.True(a.DeriveSharedSecret(pub, 0, 65, shared, 0));
        });

        IEcdsaP256 ecdsa = PortableCryptoProvider.Instance.CreateEcdsaP256();
        byte[] key = new byte[32];
        key[31] = 7;
        byte[] hash = new byte[32];
        byte[] sig = new byte[64];
        Assert.True(ecdsa.DerivePublicKey(key, 0, pub, 0));
        long sign = Measure(() => Assert.True(ecdsa.Sign(key, 0, hash, 0, sig, 0)));
        long verify = Measure(() => Assert.True(ecdsa.Verify(pub, 0, 65, hash, 0, sig, 0)));
        _output.WriteLine("portable P-256 x20: ECDH keygen+derive " + ecdh + " B, sign " + sign + " B, verify " + verify + " B");
        Assert.Equal(0, ecdh);
        Assert.Equal(0, sign);
        Assert.Equal(0, verify);
    }
}
