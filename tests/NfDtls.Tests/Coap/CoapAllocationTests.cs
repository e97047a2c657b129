using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>The steady state allocates nothing (PORTABLE.md): measured over many exchanges after a warm-up.</summary>
public class CoapAllocationTests
{
    /// <summary>A perfect in-memory link with preallocated buffers: the only allocations measured are the endpoints'.</summary>
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
        public int Ok, Failed, Bytes;
        public void OnResponse(int exchange, CoapMessage response, long nowMs) { Ok++; Bytes += response.PayloadLength; }
        public void OnFailure(int exchange, int reason, long nowMs) => Failed++;
    }

    [Fact]
    public void ExchangesOfEveryKindAllocateNothing()
    {
        var wire = new Wire();
        var config = new CoapConfig { BlockBufferSize = 8192, DedupCapacity = 8 };
        var clientStack = CoapStack.OverUdp(config, wire);
        var serverStack = CoapStack.OverUdp(new CoapConfig { BlockBufferSize = 8192, DedupCapacity = 8 }, wire);
        wire.Client = clientStack;
        wire.Server = serverStack;
        CoapEndpoint client = clientStack.Coap, server = serverStack.Coap;
        var small = new TextResource("small", "hello");
        var big = new TextResource("big", new byte[3000]);
        var counter = new CounterResource("counter");
        server.AddResource(small);
        server.AddResource(big);
        server.AddResource(counter);
        var handler = new CountingHandler();
        CoapMessage get = client.CreateMessage();
        get.Reset();
        get.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(get, "/small");
        CoapMessage getBig = client.CreateMessage();
        getBig.Reset();
        getBig.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(getBig, "/big");
        CoapMessage post = client.CreateMessage();
        post.Reset();
        post.Code = CoapCode.Post;
        post.Type = CoapType.NonConfirmable;
        CoapUriPath.AddPathAndQuery(post, "/small");
        byte[] body = new byte[2500];
        CoapMessage put = client.CreateMessage();
        put.Reset();
        put.Code = CoapCode.Put;
        CoapUriPath.AddPathAndQuery(put, "/counter");
        put.SetPayload(body, 0, 10);
        CoapMessage discover = client.CreateMessage();
        discover.Reset();
        discover.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(discover, "/.well-known/core?rt=counter");
        CoapMessage observe = client.CreateMessage();
        observe.Reset();
        observe.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(observe, "/counter");
        observe.AddOptionUInt(CoapOption.Observe, 0);
        long now = 0;
        client.Request(observe, wire.ServerAddress, handler, now);
        wire.Pump(now);

        void Round()
        {
            now += 10;
            client.Request(get, wire.ServerAddress, handler, now); wire.Pump(now);
            client.Request(getBig, wire.ServerAddress, handler, now); wire.Pump(now);
            client.Request(post, wire.ServerAddress, handler, now); wire.Pump(now);
            client.Request(put, wire.ServerAddress, handler, now); wire.Pump(now);
            client.Request(discover, wire.ServerAddress, handler, now); wire.Pump(now);
            counter.Value++;
            server.Notify(counter, now); wire.Pump(now);
            client.Tick(now);
            server.Tick(now);
        }

        for (int i = 0; i < 50; i++) Round();
        int before = handler.Ok;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) Round();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(0, handler.Failed);
        Assert.Equal(500 * 6, handler.Ok - before); // 5 requests + 1 notification per round
        Assert.Equal(0, allocated);
    }
}
