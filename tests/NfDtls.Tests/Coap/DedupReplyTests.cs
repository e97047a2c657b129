using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Net;
using NfDtls.Tests.Crypto;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>
/// What the de-duplication table keeps (RFC 7252 §4.5) and what a duplicate CON gets: the same reply, byte for byte,
/// for a request that must not run twice (POST, a Block1 block), the empty ACK or RST written again from the ID, and
/// an idempotent request (GET, PUT) served again, with no reply kept at all.
/// </summary>
public class DedupReplyTests
{
    private static readonly PeerAddress Client = PeerAddress.FromIPv4(10, 0, 0, 9, 40000);

    private sealed class Recorder : IDatagramSink
    {
        public readonly List<byte[]> Sent = new();
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Sent.Add(buffer.AsSpan(offset, count).ToArray());
    }

    private sealed class Store() : CoapResource("s")
    {
        public int Gets, Posts, Puts;
        public byte[] Uploaded = Array.Empty<byte>();

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            Gets++;
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.SetText("value");
        }

        protected override void OnPost(CoapRequest request, CoapResponse response)
        {
            Posts++;
            response.Code = CoapCode.Created;
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.SetText("made " + Posts);
        }

        protected override void OnPut(CoapRequest request, CoapResponse response)
        {
            Puts++;
            Uploaded = request.Payload.AsSpan(request.PayloadOffset, request.PayloadLength).ToArray();
            response.Code = CoapCode.Changed;
        }
    }

    private static (CoapEndpoint Coap, Recorder Wire, Store Store) Server(int cacheBytes = 2048)
    {
        var wire = new Recorder();
        var coap = CoapStack.OverUdp(new CoapConfig { Seed = 7, BlockSize = 16, ResponseCacheBytes = cacheBytes }, wire).Coap;
        var store = new Store();
        coap.AddResource(store);
        return (coap, wire, store);
    }

    private static byte[] Request(int code, int mid, byte[] token, long block1 = -1, byte[]? payload = null)
    {
        var m = new CoapMessage(8, 64);
        m.Reset();
        m.Type = CoapType.Confirmable;
        m.Code = code;
        m.MessageId = mid;
        m.SetToken(token, 0, token.Length);
        m.AddOptionString(CoapOption.UriPath, "s");
        if (block1 >= 0)
        {
            m.AddOptionUInt(CoapOption.Block1, (uint)block1);
        }
        if (payload != null)
        {
            m.SetPayload(payload, 0, payload.Length);
        }
        byte[] b = new byte[256];
        return b.AsSpan(0, CoapCodec.Encode(m, b, 0, b.Length)).ToArray();
    }

    private static void Deliver(CoapEndpoint coap, byte[] message) => coap.OnMessage(Client, message, 0, message.Length, 0);

    [Fact]
    public void ADuplicatePostGetsTheSameReplyByteForByteAndDoesNotRunAgain()
    {
        var (coap, wire, store) = Server();
        byte[] post = Request(CoapCode.Post, 0x1234, new byte[] { 1, 2, 3, 4, 5 });
        Deliver(coap, post);
        Deliver(coap, post);
        Deliver(coap, post);
        Assert.Equal(1, store.Posts);
        Assert.Equal(3, wire.Sent.Count);
        Assert.Equal(wire.Sent[0], wire.Sent[1]);
        Assert.Equal(wire.Sent[0], wire.Sent[2]);
        Assert.Equal(2, coap.DuplicatesReceived);
        var reply = new CoapMessage(8, 8);
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(wire.Sent[2], 0, wire.Sent[2].Length, reply));
        Assert.Equal(CoapType.Acknowledgement, reply.Type);
        Assert.Equal(CoapCode.Created, reply.Code);
        Assert.Equal("made 1", System.Text.Encoding.ASCII.GetString(reply.PayloadBuffer, reply.PayloadOffset, reply.PayloadLength));
    }

    [Fact]
    public void AnIdempotentDuplicateIsServedAgainAndKeepsNothing()
    {
        // No reply ring at all: a GET and a PUT need none (§4.5 lets them run again).
        var (coap, wire, store) = Server(cacheBytes: 0);
        byte[] get = Request(CoapCode.Get, 7, new byte[] { 9 });
        Deliver(coap, get);
        Deliver(coap, get);
        Assert.Equal(2, store.Gets);
        Assert.Equal(wire.Sent[0], wire.Sent[1]);
        byte[] put = Request(CoapCode.Put, 8, new byte[] { 8 }, payload: "x"u8.ToArray());
        Deliver(coap, put);
        Deliver(coap, put);
        Assert.Equal(2, store.Puts);
        Assert.Equal(wire.Sent[2], wire.Sent[3]);
        Assert.Equal(0, coap.RepliesLost);

        // A POST without a ring: its duplicate is left unanswered rather than run twice.
        byte[] post = Request(CoapCode.Post, 9, new byte[] { 7 });
        Deliver(coap, post);
        Deliver(coap, post);
        Assert.Equal(1, store.Posts);
        Assert.Equal(5, wire.Sent.Count);
        Assert.Equal(1, coap.RepliesLost);
    }

    [Fact]
    public void ADuplicateBlock1BlockGetsItsReplyAgainAndTheUploadGoesOn()
    {
        var (coap, wire, store) = Server();
        byte[] body = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        byte[] first = Request(CoapCode.Put, 20, new byte[] { 1 }, BlockOption.Encode(0, true, 0), body[..16]);
        Deliver(coap, first);
        Deliver(coap, first); // its 2.31 was lost: the block comes again
        Assert.Equal(wire.Sent[0], wire.Sent[1]);
        var reply = new CoapMessage(8, 8);
        CoapCodec.Decode(wire.Sent[1], 0, wire.Sent[1].Length, reply);
        Assert.Equal(CoapCode.Continue, reply.Code);
        Deliver(coap, Request(CoapCode.Put, 21, new byte[] { 1 }, BlockOption.Encode(1, true, 0), body[16..32]));
        Deliver(coap, Request(CoapCode.Put, 22, new byte[] { 1 }, BlockOption.Encode(2, false, 0), body[32..]));
        CoapCodec.Decode(wire.Sent[^1], 0, wire.Sent[^1].Length, reply);
        Assert.Equal(CoapCode.Changed, reply.Code);
        Assert.Equal(body, store.Uploaded);
        Assert.Equal(1, store.Puts);
    }

    [Fact]
    public void EmptyRepliesAreWrittenAgainFromTheMessageId()
    {
        var (coap, wire, _) = Server(cacheBytes: 0);
        // A CON response nobody asked for: a Reset, again for its duplicate.
        var m = new CoapMessage(4, 8);
        m.Reset();
        m.Type = CoapType.Confirmable;
        m.Code = CoapCode.Content;
        m.MessageId = 0x0BAD;
        m.SetToken(new byte[] { 5 }, 0, 1);
        byte[] b = new byte[32];
        int n = CoapCodec.Encode(m, b, 0, b.Length);
        coap.OnMessage(Client, b, 0, n, 0);
        coap.OnMessage(Client, b, 0, n, 0);
        Assert.Equal(2, wire.Sent.Count);
        Assert.Equal(Hex.Parse("70000bad"), wire.Sent[0]);
        Assert.Equal(wire.Sent[0], wire.Sent[1]);
        Assert.Equal(1, coap.DuplicatesReceived);
    }
}
