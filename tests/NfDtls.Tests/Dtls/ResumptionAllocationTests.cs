using NfDtls.Crypto;
using NfDtls.Dtls;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Dtls;

/// <summary>Resumed handshakes (cache and tickets, PSK and ECDHE) allocate nothing once the engines exist.</summary>
public class ResumptionAllocationTests
{
    private readonly ITestOutputHelper _output;

    public ResumptionAllocationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("psk", "cache")]
    [InlineData("psk", "tickets")]
    [InlineData("ecdhe", "cache")]
    [InlineData("ecdhe", "tickets")]
    public void ResumedHandshakesAllocateNothing(string suite, string mode)
    {
        bool ecdhe = suite == "ecdhe";
        void Configure(DtlsConfig c)
        {
            c.Crypto = PortableCryptoProvider.Instance;
            if (ecdhe)
            {
                c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            }
            if (mode == "cache")
            {
                c.SessionCacheSize = 4;
            }
            else
            {
                c.SessionTickets = true;
            }
        }
        DtlsConfig sc = DtlsRig.Config(61, Configure);
        DtlsConfig cc = DtlsRig.Config(62, Configure);
        if (ecdhe)
        {
            sc.Ecdhe = EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ClientKey);
            cc.Ecdhe = EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey);
        }
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var pair = ecdhe
            ? new ReusedBufferPair(sc, keys, cc, null, null)
            : new ReusedBufferPair(sc, keys, cc, DtlsRig.Identity, DtlsRig.Key);
        long now = 0;

        void Handshake()
        {
            now += 10;
            pair.Handshake(now);
        }

        for (int i = 0; i < 3; i++)
        {
            Handshake(); // a full one, then resumed ones (JIT, type initializers)
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 8; i++)
        {
            Handshake();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine(suite + "/" + mode + ": 8 resumed handshakes, " + allocated + " bytes allocated");
        Assert.True(pair.Client.IsConnected);
        Assert.Equal(11, pair.ServerEvents.Connected);
        Assert.Equal(10, pair.ServerEvents.Resumed);
        Assert.Equal(10, pair.ClientEvents.Resumed);
        Assert.Equal(0, allocated);
    }
}
