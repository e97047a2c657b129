using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Net;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Dtls;

/// <summary>Resumed handshakes (cache and tickets, PSK and ECDHE) allocate nothing once the engines exist.</summary>
public class ResumptionAllocationTests
{
    private readonly ITestOutputHelper _output;

    public ResumptionAllocationTests(ITestOutputHelper output) => _output = output;

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

        public void DeliverOne(IDatagramEndpoint to, PeerAddress from, long now)
        {
            byte[] d = _buffers[_head];
            int n = _lengths[_head];
            _head = (_head + 1) % _buffers.Length;
            Count--;
            to.Receive(d, 0, n, from, now);
        }
    }

    private sealed class Counting : IDtlsEvents
    {
        public int Connected;
        public int Resumed;

        public void OnConnected(DtlsSession session)
        {
            Connected++;
            if (session.WasResumed)
            {
                Resumed++;
            }
        }

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
        var toServer = new RingSink();
        var toClient = new RingSink();
        var serverEvents = new Counting();
        var clientEvents = new Counting();
        var server = new DtlsServer(sc, toClient, keys, serverEvents);
        var client = ecdhe
            ? new DtlsClient(cc, toServer, DtlsRig.ServerAddress, null!, null!, clientEvents)
            : new DtlsClient(cc, toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, clientEvents);
        long now = 0;

        void Handshake()
        {
            now += 10;
            client.Connect(now);
            for (int i = 0; i < 20 && (toServer.Count > 0 || toClient.Count > 0); i++)
            {
                while (toServer.Count > 0)
                {
                    toServer.DeliverOne(server, DtlsRig.ClientAddress, now);
                }
                while (toClient.Count > 0)
                {
                    toClient.DeliverOne(client, DtlsRig.ServerAddress, now);
                }
            }
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
        Assert.True(client.IsConnected);
        Assert.Equal(11, serverEvents.Connected);
        Assert.Equal(10, serverEvents.Resumed);
        Assert.Equal(10, clientEvents.Resumed);
        Assert.Equal(0, allocated);
    }
}
