using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
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

    /// <summary>Datagrams queued in reused buffers, so the harness allocates nothing either.</summary>
    private sealed class RingSink : IDatagramSink
    {
        private readonly byte[][] _buffers = Enumerable.Range(0, 32).Select(_ => new byte[2048]).ToArray();
        private readonly int[] _lengths = new int[32];
        private int _head;
        public int Count;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            int slot = (_head + Count) % _buffers.Length;
            Array.Copy(buffer, offset, _buffers[slot], 0, count);
            _lengths[slot] = count;
            Count++;
        }

        public void DeliverOne(IDatagramEndpoint to, PeerAddress from)
        {
            byte[] d = _buffers[_head];
            int n = _lengths[_head];
            _head = (_head + 1) % _buffers.Length;
            Count--;
            to.Receive(d, 0, n, from, 0);
        }
    }

    private sealed class Counting : IDtlsEvents
    {
        public int Connected;

        public void OnConnected(DtlsSession session) => Connected++;

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
        }

        public void OnClosed(DtlsSession session)
        {
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }
    }

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
        var toServer = new RingSink();
        var toClient = new RingSink();
        var serverEvents = new Counting();
        var clientEvents = new Counting();
        var dtlsServer = new DtlsServer(sc, toClient, new PskTable(1), serverEvents);
        var dtlsClient = new DtlsClient(cc, toServer, DtlsRig.ServerAddress, null!, null!, clientEvents);

        void Handshake()
        {
            dtlsClient.Connect(0);
            for (int i = 0; i < 20 && (toServer.Count > 0 || toClient.Count > 0); i++)
            {
                while (toServer.Count > 0)
                {
                    toServer.DeliverOne(dtlsServer, DtlsRig.ClientAddress);
                }
                while (toClient.Count > 0)
                {
                    toClient.DeliverOne(dtlsClient, DtlsRig.ServerAddress);
                }
            }
        }

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
        Assert.True(dtlsClient.IsConnected);
        Assert.Equal(7, clientEvents.Connected);
        Assert.Equal(7, serverEvents.Connected);
        Assert.Equal(0, allocated);
    }
}
