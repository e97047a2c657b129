using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// A whole ECDHE_ECDSA handshake (portable P-256, chain validation, signatures) allocates nothing once the engines
/// exist: every buffer and key slot is made at construction.
/// </summary>
public class EcdheAllocationTests
{
    private readonly ITestOutputHelper _output;

    public EcdheAllocationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PortableHandshakesAllocateNothingAfterConstruction(bool x509)
    {
        EcdheCredentials server = x509 ? EcdheHandshakeTests.X509Server(true) : EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ClientKey);
        EcdheCredentials client = x509 ? EcdheHandshakeTests.X509Client(true) : EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey);
        void Configure(DtlsConfig c)
        {
            c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            c.Crypto = PortableCryptoProvider.Instance;
        }
        DtlsConfig sc = DtlsRig.Config(31, Configure);
        sc.Ecdhe = server;
        DtlsConfig cc = DtlsRig.Config(32, Configure);
        cc.Ecdhe = client;
        var pair = new ReusedBufferPair(sc, new PskTable(1), cc, null, null);

        void Handshake() => pair.Handshake(0);

        for (int i = 0; i < 3; i++)
        {
            Handshake(); // warm-up: JIT, type initializers
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4; i++)
        {
            Handshake();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine((x509 ? "X.509" : "RPK") + " mutual ECDHE handshakes x4: " + allocated + " bytes allocated");
        Assert.True(pair.Client.IsConnected);
        Assert.Equal(7, pair.ClientEvents.Connected);
        Assert.Equal(7, pair.ServerEvents.Connected);
        Assert.Equal(0, allocated);
    }
}
