using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Simulation;
using NfDtls.Tests.Dtls;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>
/// OnPeerMoved (RFC 9146 §6: a DTLS session whose peer changed address): CoAP state kept by address — observers,
/// block-wise uploads, duplicate entries, pending exchanges, deferred replies — follows the peer.
/// </summary>
public class PeerMovedTests
{
    private static readonly PeerAddress Old = PeerAddress.FromIPv4(10, 0, 0, 7, 40000);
    private static readonly PeerAddress New = PeerAddress.FromIPv4(198, 51, 100, 7, 61001);

    /// <summary>A connector that lends one buffer and records what was sent, and to whom.</summary>
    private sealed class RecordingConnector : IMessageConnector
    {
        private readonly byte[] _space = new byte[1200];
        private PeerAddress? _to;
        public readonly List<(PeerAddress To, byte[] Message)> Sent = new();

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            _to = new PeerAddress();
            _to.CopyFrom(peer);
            buffer = _space;
            offset = 16; // like a record: the message does not start at 0
            capacity = 1024;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            if (count > 0)
            {
                Sent.Add((_to!, _space.AsSpan(16, count).ToArray()));
            }
            return count > 0;
        }

        public CoapMessage Last(out PeerAddress to)
        {
            var (peer, bytes) = Sent[^1];
            to = peer;
            var m = new CoapMessage(16, 16);
            Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(bytes, 0, bytes.Length, m));
            return m;
        }
    }

    private sealed class Counter : CoapResource
    {
        public int Value;
        public int Posts;
        public byte[] Uploaded = Array.Empty<byte>();

        public Counter() : base("c")
        {
            Observable = true;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response) => response.SetText(Value.ToString());

        protected override void OnPost(CoapRequest request, CoapResponse response)
        {
            Posts++;
            response.Code = CoapCode.Changed;
        }

        protected override void OnPut(CoapRequest request, CoapResponse response)
        {
            Uploaded = request.Payload.AsSpan(request.PayloadOffset, request.PayloadLength).ToArray();
            response.Code = CoapCode.Changed;
        }
    }

    private static byte[] Wire(int type, int code, int mid, byte token, Action<CoapMessage>? options = null, byte[]? payload = null)
    {
        var m = new CoapMessage(16, 256);
        m.Reset();
        m.Type = type;
        m.Code = code;
        m.MessageId = mid;
        m.SetToken(new[] { token }, 0, 1);
        m.AddOptionString(CoapOption.UriPath, "c");
        options?.Invoke(m);
        if (payload != null)
        {
            m.SetPayload(payload, 0, payload.Length);
        }
        byte[] b = new byte[1200];
        int n = CoapCodec.Encode(m, b, 0, b.Length);
        return b.AsSpan(0, n).ToArray();
    }

    private static void Deliver(CoapEndpoint coap, PeerAddress from, byte[] message, long now) =>
        coap.OnMessage(from, message, 0, message.Length, now);

    [Fact]
    public void ServerStateFollowsThePeer()
    {
        var link = new RecordingConnector();
        var coap = new CoapEndpoint(new CoapConfig { Seed = 1, BlockSize = 64, ObserveConEvery = 1 }, link);
        var res = new Counter();
        coap.AddResource(res);

        // An observation, a CON POST (its reply cached for duplicates) and the first block of an upload, all from Old.
        Deliver(coap, Old, Wire(CoapType.Confirmable, CoapCode.Get, 1, 0xA1, m => m.AddOptionUInt(CoapOption.Observe, 0)), 0);
        Assert.True(link.Last(out _).HasOption(CoapOption.Observe));
        Deliver(coap, Old, Wire(CoapType.Confirmable, CoapCode.Post, 2, 0xA2), 0);
        Assert.Equal(1, res.Posts);
        byte[] body = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        Deliver(coap, Old, Wire(CoapType.Confirmable, CoapCode.Put, 3, 0xA3,
            m => m.AddOptionUInt(CoapOption.Block1, BlockOption.Encode(0, true, 2)), body[..64]), 0);
        Assert.Equal(CoapCode.Continue, link.Last(out _).Code);

        coap.OnPeerMoved(Old, New);

        // The notification goes to the new address (a CON one: ObserveConEvery 1), and its ACK from there ends it.
        res.Value = 5;
        Assert.Equal(1, coap.Notify(res, 10));
        CoapMessage n = link.Last(out PeerAddress to);
        Assert.True(to.SameAs(New));
        Assert.Equal(CoapType.Confirmable, n.Type);
        Assert.Equal("5", System.Text.Encoding.ASCII.GetString(n.PayloadBuffer, n.PayloadOffset, n.PayloadLength));
        byte[] ack = new byte[4];
        CoapCodec.EncodeEmpty(CoapType.Acknowledgement, n.MessageId, ack, 0);
        Deliver(coap, New, ack, 20);
        Assert.Equal(long.MaxValue, coap.NextDeadline); // acknowledged: nothing left to retransmit
        Assert.Equal(1, coap.ObserverCount);

        // The POST retransmitted from the new address is a duplicate: the cached reply again, not a second run.
        int sent = link.Sent.Count;
        Deliver(coap, New, Wire(CoapType.Confirmable, CoapCode.Post, 2, 0xA2), 30);
        Assert.Equal(1, res.Posts);
        Assert.Equal(1, coap.DuplicatesReceived);
        Assert.Equal(sent + 1, link.Sent.Count);
        Assert.Equal(CoapCode.Changed, link.Last(out to).Code);
        Assert.True(to.SameAs(New));

        // The upload continues from the new address.
        Deliver(coap, New, Wire(CoapType.Confirmable, CoapCode.Put, 4, 0xA4,
            m => m.AddOptionUInt(CoapOption.Block1, BlockOption.Encode(1, false, 2)), body[64..]), 40);
        Assert.Equal(CoapCode.Changed, link.Last(out _).Code);
        Assert.Equal(body, res.Uploaded);

        // A Reset from the new address to a notification deregisters (RFC 7641 §3.6).
        res.Value = 6;
        coap.Notify(res, 50);
        byte[] rst = new byte[4];
        CoapCodec.EncodeEmpty(CoapType.Reset, link.Last(out _).MessageId, rst, 0);
        Deliver(coap, New, rst, 60);
        Assert.Equal(0, coap.ObserverCount);
    }

    private sealed class Handler : ICoapResponseHandler
    {
        public readonly List<int> Codes = new();
        public void OnResponse(int exchange, CoapMessage response, long nowMs) => Codes.Add(response.Code);
        public void OnFailure(int exchange, int reason, long nowMs) => Codes.Add(-reason);
    }

    [Fact]
    public void PendingExchangesAndDeferredRepliesFollowThePeer()
    {
        var link = new RecordingConnector();
        var coap = new CoapEndpoint(new CoapConfig { Seed = 2, AckTimeoutMs = 1000, AckRandomFactorPercent = 100 }, link);
        var handler = new Handler();
        CoapMessage get = coap.CreateMessage();
        get.Reset();
        get.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(get, "/x");
        coap.Request(get, Old, handler, 0);
        CoapMessage first = link.Last(out PeerAddress to);
        Assert.True(to.SameAs(Old));

        coap.OnPeerMoved(Old, New);
        coap.Tick(1000); // the retransmission goes to the new address, same message
        CoapMessage again = link.Last(out to);
        Assert.True(to.SameAs(New));
        Assert.Equal(first.MessageId, again.MessageId);

        // The piggybacked response from the new address completes the exchange.
        var r = new CoapMessage(4, 8);
        r.Reset();
        r.Type = CoapType.Acknowledgement;
        r.Code = CoapCode.Content;
        r.MessageId = again.MessageId;
        r.SetToken(again.Token, 0, again.TokenLength);
        byte[] b = new byte[32];
        int n = CoapCodec.Encode(r, b, 0, b.Length);
        coap.OnMessage(New, b, 0, n, 1100);
        Assert.Equal(new[] { CoapCode.Content }, handler.Codes);
        Assert.Equal(0, coap.OpenExchanges);

        // A request answered later: the separate response goes where the peer is by then.
        var slow = new Slow();
        coap.AddResource(slow);
        var req = new CoapMessage(4, 16);
        req.Reset();
        req.Type = CoapType.Confirmable;
        req.Code = CoapCode.Get;
        req.MessageId = 77;
        req.SetToken(new byte[] { 9 }, 0, 1);
        req.AddOptionString(CoapOption.UriPath, "slow");
        n = CoapCodec.Encode(req, b, 0, b.Length);
        coap.OnMessage(New, b, 0, n, 2000);
        Assert.Equal(CoapType.Acknowledgement, link.Last(out _).Type); // the empty ACK now
        coap.OnPeerMoved(New, Old);
        coap.DeferredResponse(slow.Deferred)!.SetText("late");
        Assert.True(coap.SendDeferred(slow.Deferred, 2500));
        CoapMessage late = link.Last(out to);
        Assert.True(to.SameAs(Old));
        Assert.Equal(CoapType.Confirmable, late.Type);
        Assert.True(late.TokenEquals(new byte[] { 9 }, 1));
    }

    private sealed class Slow() : CoapResource("slow")
    {
        public int Deferred = -1;
        protected override void OnGet(CoapRequest request, CoapResponse response) => Deferred = response.Defer();
    }

    /// <summary>
    /// End to end over DTLS with Connection IDs: a client observing a resource and uploading block-wise moves to a
    /// new address (its NAT rebinds); the server's DTLS session follows it by CID, the connector tells CoAP, and the
    /// notifications and the rest of the upload go on at the new address.
    /// </summary>
    [Fact]
    public void ObservationAndUploadSurviveNatRebindingOverDtls()
    {
        var net = new VirtualNetwork(5, LinkProfile.Perfect());
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var serverRelay = new SinkRelay();
        var server = SecureStacks.Server(new CoapConfig { Seed = 3, ObserveConEvery = 1 }, DtlsRig.Config(1, c => c.ConnectionIdLength = 6), serverRelay, keys);
        var res = new Counter();
        server.Coap.AddResource(res);
        serverRelay.Target = net.Attach(DtlsRig.ServerAddress, server.Stack);

        var clientRelay = new SinkRelay();
        var client = SecureStacks.Client(new CoapConfig { Seed = 4, BlockSize = 64 }, DtlsRig.Config(2, c => c.ConnectionIdLength = DtlsConfig.ConnectionIdSendOnly),
            clientRelay, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key);
        clientRelay.Target = net.Attach(DtlsRig.ClientAddress, client.Stack);
        client.Dtls.Connect(net.Now);
        net.Poke(client.Stack);
        Assert.True(net.RunUntil(60_000, () => client.Dtls.IsConnected));
        Assert.True(client.Dtls.Session.UsesConnectionId);

        var observed = new Collector();
        CoapMessage observe = client.Coap.CreateMessage();
        observe.Reset();
        observe.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(observe, "/c");
        observe.AddOptionUInt(CoapOption.Observe, 0);
        client.Coap.Request(observe, DtlsRig.ServerAddress, observed, net.Now);
        net.Poke(client.Stack);
        Assert.True(net.RunUntil(net.Now + 10_000, () => observed.Responses.Count == 1));

        // The NAT gives the client a new address; its next record moves the session (and CoAP's observer with it).
        net.Detach(DtlsRig.ClientAddress);
        clientRelay.Target = net.Attach(New, client.Stack);
        byte[] body = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        var uploads = new Collector();
        CoapMessage put = client.Coap.CreateMessage();
        put.Reset();
        put.Code = CoapCode.Put;
        CoapUriPath.AddPathAndQuery(put, "/c");
        put.SetPayload(body, 0, body.Length);
        client.Coap.Request(put, DtlsRig.ServerAddress, uploads, net.Now);
        net.Poke(client.Stack);
        Assert.True(net.RunUntil(net.Now + 30_000, () => uploads.Done == 1));
        Assert.Equal(CoapCode.Changed, uploads.Responses.Single().Code);
        Assert.Equal(body, res.Uploaded);
        Assert.True(server.Dtls.FindSession(New) != null);

        for (int i = 1; i <= 3; i++)
        {
            res.Value = 100 + i;
            Assert.Equal(1, server.Coap.Notify(res, net.Now));
            net.Poke(server.Stack);
            Assert.True(net.RunUntil(net.Now + 10_000, () => observed.Responses.Count == 1 + i), "notification " + i);
        }
        Assert.Equal("103", System.Text.Encoding.ASCII.GetString(observed.Responses[^1].Payload));
        Assert.Equal(1, server.Coap.ObserverCount);
        Assert.Empty(observed.Failures);
    }
}
