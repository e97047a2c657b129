using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Secure;
using NfDtls.Coap;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Tests.Dtls;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>coaps:// in the steady state (after the handshake) allocates nothing either: CoAP written and read in the DTLS record buffers.</summary>
public class CoapOverDtlsAllocationTests
{
    /// <summary>Preallocated in-memory link between two datagram endpoints.</summary>
    private sealed class Wire : IDatagramSink
    {
        private readonly byte[][] _queue = new byte[64][];
        private readonly int[] _length = new int[64];
        private readonly bool[] _toServer = new bool[64];
        private int _head, _tail;
        public IDatagramEndpoint? Client, Server;
        public readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 1);
        public readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 2);

        public Wire()
        {
            for (int i = 0; i < 64; i++) _queue[i] = new byte[2048];
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            int slot = _tail++ % 64;
            Array.Copy(buffer, offset, _queue[slot], 0, count);
            _length[slot] = count;
            _toServer[slot] = destination.SameAs(ServerAddress);
        }

        public void Pump(long now)
        {
            while (_head < _tail)
            {
                int slot = _head++ % 64;
                if (_toServer[slot]) Server!.Receive(_queue[slot], 0, _length[slot], ClientAddress, now);
                else Client!.Receive(_queue[slot], 0, _length[slot], ServerAddress, now);
            }
        }
    }

    private sealed class CountingHandler : ICoapResponseHandler
    {
        public int Ok, Failed;
        public void OnResponse(int exchange, CoapMessage response, long nowMs) => Ok++;
        public void OnFailure(int exchange, int reason, long nowMs) => Failed++;
    }

    [Fact]
    public void SecureExchangesAllocateNothingAfterTheHandshake()
    {
        var wire = new Wire();
        var keys = new PskTable(1);
        keys.Add("node"u8.ToArray(), new byte[16]);
        var server = SecureStacks.Server(new CoapConfig { Seed = 3, BlockBufferSize = 8192 }, DtlsRig.Config(1), wire, keys);
        var counter = new CounterResource("counter");
        server.Coap.AddResource(new TextResource("big", new byte[2000]));
        server.Coap.AddResource(counter);
        var client = SecureStacks.Client(new CoapConfig { Seed = 4, BlockBufferSize = 8192 }, DtlsRig.Config(2), wire, wire.ServerAddress, "node"u8.ToArray(), new byte[16]);
        var dtls = client.Dtls;
        wire.Client = client.Stack;
        wire.Server = server.Stack;
        long now = 0;
        dtls.Connect(now);
        wire.Pump(now);
        Assert.True(dtls.IsConnected);

        var handler = new CountingHandler();
        CoapMessage get = client.Coap.CreateMessage();
        get.Reset();
        get.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(get, "/big");
        CoapMessage observe = client.Coap.CreateMessage();
        observe.Reset();
        observe.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(observe, "/counter");
        observe.AddOptionUInt(CoapOption.Observe, 0);
        client.Coap.Request(observe, wire.ServerAddress, handler, now);
        wire.Pump(now);

        void Round()
        {
            now += 10;
            client.Coap.Request(get, wire.ServerAddress, handler, now);
            wire.Pump(now);
            counter.Value++;
            server.Coap.Notify(counter, now);
            wire.Pump(now);
            client.Stack.Tick(now);
            server.Stack.Tick(now);
        }

        for (int i = 0; i < 20; i++) Round();
        int before = handler.Ok;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Round();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(0, handler.Failed);
        Assert.Equal(400, handler.Ok - before);
        Assert.Equal(0, client.Coap.SendFailures + server.Coap.SendFailures);
        Assert.Equal(0, allocated);
    }
}
