using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Net;
using NfDtls.Simulation;
using NfDtls.Tests.Crypto;
using Xunit;

namespace NfDtls.Tests.Coap;

public class CoapServerTests
{
    private static byte[] Pattern(int n)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)('a' + i % 26);
        return b;
    }

    [Theory]
    [InlineData(0.0, 1024)]
    [InlineData(0.3, 1024)]
    [InlineData(0.0, 64)]
    public void LargeResourceComesBlockwiseAndIsReassembled(double loss, int blockSize)
    {
        var profile = loss == 0 ? LinkProfile.Perfect() : LinkProfile.Lossy(loss);
        var bed = new CoapTestBed(20, profile, cfg => { cfg.BlockBufferSize = 8192; cfg.MaxRetransmit = 12; cfg.AckTimeoutMs = 500; cfg.BlockSize = blockSize; });
        byte[] big = Pattern(5000);
        bed.Server.AddResource(new TextResource("big", big));
        var blocks = new List<int>();
        bed.Net.Tap = (t, from, to, bytes) =>
        {
            var m = new CoapMessage(16, 512);
            var copy = bytes.ToArray();
            if (from.SameAs(bed.ServerAddress) && CoapCodec.Decode(copy, 0, copy.Length, m) == CoapCodec.Ok && m.HasOption(CoapOption.Block2))
                blocks.Add(BlockOption.Num((uint)m.GetUInt(CoapOption.Block2, 0)));
        };
        var c = new Collector();
        bed.Send(CoapCode.Get, "/big", c);
        bed.Net.RunUntil(10_000_000, () => c.Done > 0);
        Assert.Equal(CoapCode.Content, c.Responses.Single().Code);
        Assert.Equal(big, c.Responses[0].Payload);
        Assert.Contains((5000 - 1) / blockSize, blocks);
    }

    [Fact]
    public void ClientAsksForSmallerBlocksAndGetsThem()
    {
        var bed = new CoapTestBed(21, LinkProfile.Perfect(), cfg => cfg.BlockBufferSize = 8192);
        bed.Server.AddResource(new TextResource("big", Pattern(300)));
        var c = new Collector();
        CoapMessage m = bed.Client.CreateMessage();
        m.Reset();
        m.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(m, "/big");
        m.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, false, 0)); // 16-byte blocks (RFC 7959 §2.4 early negotiation)
        bed.Client.Request(m, bed.ServerAddress, c, 0);
        bed.Net.Poke(bed.ClientStack);
        bed.Net.RunUntil(100_000, () => c.Done > 0);
        Assert.Equal(Pattern(300), c.Responses.Single().Payload);
        Assert.Equal(2 * 19, bed.Net.Stats.Sent); // 19 blocks of 16 bytes, request + response each
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void LargeUploadGoesBlock1AndTheHandlerSeesTheWholeBody(double loss)
    {
        var profile = loss == 0 ? LinkProfile.Perfect() : LinkProfile.Lossy(loss);
        var bed = new CoapTestBed(22, profile, cfg => { cfg.BlockBufferSize = 8192; cfg.MaxRetransmit = 12; cfg.AckTimeoutMs = 500; });
        var res = new TextResource("upload", "");
        bed.Server.AddResource(res);
        byte[] body = Pattern(3500);
        var c = new Collector();
        bed.Send(CoapCode.Put, "/upload", c, body);
        bed.Net.RunUntil(10_000_000, () => c.Done > 0);
        Assert.Equal(CoapCode.Changed, c.Responses.Single().Code);
        Assert.Equal(body, res.Body);
        Assert.Equal(1, res.Puts);
    }

    [Fact]
    public void UploadLargerThanTheBufferIsRefusedWith413AndSize1()
    {
        var bed = new CoapTestBed(23, LinkProfile.Perfect(), cfg => cfg.BlockBufferSize = 2048);
        bed.Server.AddResource(new TextResource("upload", ""));
        var c = new Collector();
        bed.Send(CoapCode.Put, "/upload", c, Pattern(5000));
        bed.Net.RunUntil(100_000, () => c.Done > 0);
        Assert.Equal(CoapCode.RequestEntityTooLarge, c.Responses.Single().Code);
    }

    [Fact]
    public void DiscoveryListsResourcesAndFiltersByResourceType()
    {
        var bed = new CoapTestBed(24, LinkProfile.Perfect());
        bed.Server.AddResource(new TextResource("sensors/temp", "21") { ResourceType = "temperature-c", InterfaceDescription = "sensor", ContentFormat = 0 });
        bed.Server.AddResource(new TextResource("sensors/hum", "40") { ResourceType = "humidity", ContentFormat = 0 });
        bed.Server.AddResource(new CounterResource("counter"));
        var c = new Collector();
        bed.Send(CoapCode.Get, "/.well-known/core", c);
        bed.Send(CoapCode.Get, "/.well-known/core?rt=humidity", c);
        bed.Send(CoapCode.Get, "/.well-known/core?rt=temp*", c);
        bed.Send(CoapCode.Get, "/.well-known/core?rt=nothing", c);
        bed.Net.RunUntil(100_000, () => c.Done == 4);
        string[] docs = c.Responses.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)).ToArray();
        Assert.Equal("</sensors/temp>;rt=\"temperature-c\";if=\"sensor\";ct=0,</sensors/hum>;rt=\"humidity\";ct=0,</counter>;rt=\"counter\";obs", docs[0]);
        Assert.Equal("</sensors/hum>;rt=\"humidity\";ct=0", docs[1]);
        Assert.Equal("</sensors/temp>;rt=\"temperature-c\";if=\"sensor\";ct=0", docs[2]);
        Assert.Equal("", docs[3]);
    }

    /// <summary>Sends raw datagrams at a server endpoint and records what it answers.</summary>
    private sealed class RawPeer : IDatagramSink
    {
        public readonly List<byte[]> Replies = new();
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Replies.Add(buffer.AsSpan(offset, count).ToArray());
    }

    private static (CoapStack Server, RawPeer Peer) RawServer()
    {
        var peer = new RawPeer();
        var server = CoapStack.OverUdp(new CoapConfig(), peer);
        server.Coap.AddResource(new TextResource("t", "x"));
        return (server, peer);
    }

    public static TheoryData<string, string> RawExchanges => new()
    {
        // request → expected reply ("" = silence)
        { "40000001", "70000001" },                    // CON ping → RST (§4.3)
        { "50000001", "" },                            // NON empty → ignored
        { "49010002", "70000002" },                    // CON with TKL 9 → RST (§4.2)
        { "59010003", "" },                            // NON format error → silence
        { "40010004ff", "70000004" },                  // CON, marker without payload → RST
        { "80010005", "" },                            // version 2 → silence
        { "60450006", "" },                            // ACK nobody waits for → silence
        { "70000007", "" },                            // RST nobody waits for → silence
        { "4201000901", "70000009" },                  // CON whose token is cut short → RST
        { "5045000c", "7000000c" },                    // NON response nobody asked for → RST (§5.3.2, RFC 7641 §3.6)
        { "5045000be106f401", "" },                    // NON response with unknown critical option 2049 → rejected silently (§5.4.1)
        { "4045000ae106f401", "7000000a" },            // CON response with it → RST (§5.4.1)
    };

    [Theory]
    [MemberData(nameof(RawExchanges))]
    public void RawMessagesGetTheSpecifiedReply(string request, string reply)
    {
        var (server, peer) = RawServer();
        byte[] wire = Hex.Parse(request);
        server.Receive(wire, 0, wire.Length, PeerAddress.FromIPv4(1, 2, 3, 4, 5), 0);
        Assert.Equal(reply, string.Concat(peer.Replies.Select(Hex.Of)));
    }

    [Fact]
    public void UnrecognisedCriticalOptionGets402ElectiveIsIgnored()
    {
        var (server, peer) = RawServer();
        // CON GET MID 9 token 0xAB, Uri-Path "t", option 2049 (critical, unknown).
        var m = new CoapMessage(8, 64);
        m.Reset();
        m.Code = CoapCode.Get;
        m.MessageId = 9;
        m.SetToken(new byte[] { 0xAB }, 0, 1);
        m.AddOptionString(CoapOption.UriPath, "t");
        m.AddOption(2049, new byte[] { 1 }, 0, 1);
        byte[] wire = new byte[64];
        int n = CoapCodec.Encode(m, wire, 0, 64);
        server.Receive(wire, 0, n, PeerAddress.FromIPv4(1, 2, 3, 4, 5), 0);
        var r = new CoapMessage(8, 64);
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(peer.Replies[0], 0, peer.Replies[0].Length, r));
        Assert.Equal(CoapType.Acknowledgement, r.Type);
        Assert.Equal(CoapCode.BadOption, r.Code);
        Assert.Equal(9, r.MessageId);
        // Elective unknown option (2048): ignored, the request is served.
        m.RemoveOption(2049);
        m.AddOption(2048, new byte[] { 1 }, 0, 1);
        m.MessageId = 10;
        n = CoapCodec.Encode(m, wire, 0, 64);
        server.Receive(wire, 0, n, PeerAddress.FromIPv4(1, 2, 3, 4, 5), 0);
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(peer.Replies[1], 0, peer.Replies[1].Length, r));
        Assert.Equal(CoapCode.Content, r.Code);
    }

    [Fact]
    public void ProxyRequestsGet505()
    {
        var (server, peer) = RawServer();
        var m = new CoapMessage(8, 128);
        m.Reset();
        m.Code = CoapCode.Get;
        m.MessageId = 11;
        m.AddOptionString(CoapOption.ProxyUri, "coap://example.org/t");
        byte[] wire = new byte[128];
        int n = CoapCodec.Encode(m, wire, 0, 128);
        server.Receive(wire, 0, n, PeerAddress.FromIPv4(1, 2, 3, 4, 5), 0);
        var r = new CoapMessage(8, 64);
        Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(peer.Replies[0], 0, peer.Replies[0].Length, r));
        Assert.Equal(CoapCode.ProxyingNotSupported, r.Code);
        Assert.Equal(0, server.Coap.RequestsExecuted);
    }

    [Fact]
    public void EndpointSurvivesFuzzedDatagramsInBothRoles()
    {
        var (server, _) = RawServer();
        var rng = new Random(11);
        var from = PeerAddress.FromIPv4(9, 9, 9, 9, 9);
        byte[] seed = Hex.Parse("44017d34a1b2c3d4b1746d1e0061bcd4ff68656c6c6f");
        for (int i = 0; i < 20000; i++)
        {
            byte[] b = (byte[])seed.Clone();
            for (int f = rng.Next(1, 5); f > 0; f--) b[rng.Next(b.Length)] = (byte)rng.Next(256);
            Array.Resize(ref b, rng.Next(0, b.Length + 1));
            server.Receive(b, 0, b.Length, from, i);
            server.Tick(i);
        }
        Assert.True(server.Coap.MalformedReceived > 0);
        Assert.True(server.Coap.RequestsExecuted >= 0);
    }
}

public class CoapServerOptionTests
{
    private sealed class TaggedResource() : CoapResource("tagged")
    {
        public readonly byte[] Body = new byte[3000];

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            response.ContentFormat = CoapContentFormat.Json;
            response.MaxAge = 30;
            response.SetETag(new byte[] { 0xE1, 0x7A }, 0, 2);
            response.SetPayload(Body, 0, Body.Length);
        }
    }

    private static CoapMessage Get(CoapTestBed bed, string path)
    {
        CoapMessage m = bed.Client.CreateMessage();
        m.Reset();
        m.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(m, path);
        return m;
    }

    [Fact]
    public void AcceptEtagAndMaxAge()
    {
        var bed = new CoapTestBed(40, LinkProfile.Perfect(), cfg => cfg.BlockBufferSize = 8192);
        bed.Server.AddResource(new TaggedResource());
        var c = new Collector();
        var accept = Get(bed, "/tagged");
        accept.AddOptionUInt(CoapOption.Accept, CoapContentFormat.TextPlain);
        bed.Client.Request(accept, bed.ServerAddress, c, 0);
        var etag = Get(bed, "/tagged");
        etag.AddOption(CoapOption.ETag, new byte[] { 0xE1, 0x7A }, 0, 2);
        bed.Client.Request(etag, bed.ServerAddress, c, 0);
        var plain = Get(bed, "/tagged");
        plain.AddOptionUInt(CoapOption.Accept, CoapContentFormat.Json);
        bed.Client.Request(plain, bed.ServerAddress, c, 0);
        bed.Net.Poke(bed.ClientStack);
        bed.Net.RunUntil(100_000, () => c.Done == 3);
        Assert.Equal(new[] { CoapCode.NotAcceptable, CoapCode.Valid, CoapCode.Content }, c.Responses.Select(r => r.Code));
        Assert.Empty(c.Responses[1].Payload);
        Assert.Equal(3000, c.Responses[2].Payload.Length);
    }

    [Fact]
    public void ObservedLargeResourceNotificationsAreReassembled()
    {
        var bed = new CoapTestBed(41, LinkProfile.Perfect(), cfg => { cfg.BlockBufferSize = 8192; cfg.BlockSize = 256; });
        var res = new TextResource("big", new byte[1000]);
        res.Observable = true;
        bed.Server.AddResource(res);
        var c = new Collector();
        bed.Send(CoapCode.Get, "/big", c, observe: 0);
        bed.Net.RunUntil(10_000);
        for (int i = 1; i <= 3; i++)
        {
            res.Body = Enumerable.Repeat((byte)i, 1000 + i).ToArray();
            bed.Server.Notify(res, bed.Net.Now);
            bed.Net.Poke(bed.ServerStack);
            bed.Net.RunUntil(bed.Net.Now + 5_000);
        }
        Assert.Equal(4, c.Responses.Count);
        Assert.All(c.Responses, r => Assert.True(r.Observe >= 0));
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(Enumerable.Repeat((byte)i, 1000 + i).ToArray(), c.Responses[i].Payload);
        }
        Assert.Equal(1, bed.Server.ObserverCount);
    }
}
