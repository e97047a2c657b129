using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Message;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>
/// A CoAP server endpoint facing peers that misbehave on purpose (issue 16, findings 9 to 11): a reserved block size,
/// uploads started and abandoned to hold every buffer, and one peer's flood pushing another's de-duplication
/// entries out before their lifetime (RFC 7252 §4.5, RFC 7959).
/// </summary>
public class HostilePeerTests
{
    /// <summary>Records every datagram the server sends, decoded, with its destination.</summary>
    private sealed class Wire : IDatagramSink
    {
        public readonly List<(PeerAddress To, CoapMessage Message)> Sent = new();

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            var m = new CoapMessage(16, 512);
            byte[] copy = buffer.AsSpan(offset, count).ToArray(); // a decoded message reads in place: keep the bytes
            Assert.Equal(CoapCodec.Ok, CoapCodec.Decode(copy, 0, count, m));
            var to = new PeerAddress();
            to.CopyFrom(destination);
            Sent.Add((to, m));
        }

        public CoapMessage Last => Sent[^1].Message;
    }

    private static PeerAddress Peer(int n) => PeerAddress.FromIPv4(10, 1, (n >> 8) & 0xFF, n & 0xFF, 40000 + n);

    private static (CoapEndpoint Server, Wire Wire, TextResource Resource) Server(Action<CoapConfig>? configure = null)
    {
        var wire = new Wire();
        var config = new CoapConfig();
        configure?.Invoke(config);
        var server = CoapStack.OverUdp(config, wire).Coap;
        var resource = new TextResource("t", "hello");
        server.AddResource(resource);
        for (int i = 0; i < 4; i++)
        {
            server.AddResource(new TextResource("u" + i, ""));
        }
        return (server, wire, resource);
    }

    private static void Send(CoapEndpoint server, PeerAddress from, int type, int code, int mid, string path,
                             long nowMs, long block1 = -1, long block2 = -1, byte[]? payload = null)
    {
        var m = new CoapMessage(16, 512);
        m.Reset();
        m.Type = type;
        m.Code = code;
        m.MessageId = mid;
        m.SetToken(new byte[] { (byte)mid, (byte)(mid >> 8) }, 0, 2);
        m.AddOptionString(CoapOption.UriPath, path);
        if (block2 >= 0)
        {
            m.AddOptionUInt(CoapOption.Block2, (uint)block2);
        }
        if (block1 >= 0)
        {
            m.AddOptionUInt(CoapOption.Block1, (uint)block1);
        }
        if (payload != null)
        {
            m.SetPayload(payload, 0, payload.Length);
        }
        byte[] wire = new byte[1400];
        int n = CoapCodec.Encode(m, wire, 0, wire.Length);
        server.OnMessage(from, wire, 0, n, nowMs);
    }

    // ---------------------------------------------------------------- finding 9: SZX 7 (RFC 7959 §2.2)

    [Theory]
    [InlineData(CoapType.Confirmable)]
    [InlineData(CoapType.NonConfirmable)]
    public void Block2WithSzx7IsABadRequest(int type)
    {
        var (server, wire, _) = Server();
        Send(server, Peer(1), type, CoapCode.Get, 10, "t", 0, block2: BlockOption.Encode(0, false, 7));
        Assert.Single(wire.Sent);
        Assert.Equal(CoapCode.BadRequest, wire.Last.Code);
        Assert.Equal(0, server.RequestsExecuted);
        Assert.Equal(-1, wire.Last.GetUInt(CoapOption.Block2, -1));
    }

    [Fact]
    public void Block1WithSzx7IsABadRequest()
    {
        var (server, wire, resource) = Server();
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Put, 11, "t", 0, block1: BlockOption.Encode(0, true, 7), payload: new byte[64]);
        Assert.Equal(CoapCode.BadRequest, wire.Last.Code);
        Assert.Equal(0, resource.Puts);
        // Also where the path does not exist: the option is checked before anything else.
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Put, 12, "nowhere", 0, block1: BlockOption.Encode(0, false, 7), payload: new byte[4]);
        Assert.Equal(CoapCode.BadRequest, wire.Last.Code);
    }

    [Fact]
    public void Block2WithSzx6StillWorks()
    {
        var (server, wire, _) = Server();
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Get, 13, "t", 0, block2: BlockOption.Encode(0, false, 6));
        Assert.Equal(CoapCode.Content, wire.Last.Code);
    }

    // ---------------------------------------------------------------- finding 10: upload buffers

    /// <summary>The configuration of `nfdtls serve`: four upload buffers.</summary>
    private static void FourBuffers(CoapConfig c) => c.BlockBufferCount = 4;

    private static readonly byte[] Block = new byte[64];
    private const int Szx64 = 2;

    private static void StartUpload(CoapEndpoint server, PeerAddress from, int mid, string path, long nowMs) =>
        Send(server, from, CoapType.Confirmable, CoapCode.Put, mid, path, nowMs, block1: BlockOption.Encode(0, true, Szx64), payload: Block);

    [Fact]
    public void FourAbandonedUploadsDoNotLockOutEveryoneForTheExchangeLifetime()
    {
        var (server, wire, _) = Server(FourBuffers);
        for (int i = 0; i < 4; i++)
        {
            StartUpload(server, Peer(i + 1), 100 + i, "t", 0);
            Assert.Equal(CoapCode.Continue, wire.Last.Code);
        }
        // Half a minute later (the attack held them 247 s) another client starts an upload: it gets a buffer.
        StartUpload(server, Peer(9), 200, "t", 30_000);
        Assert.Equal(CoapCode.Continue, wire.Last.Code);
        // It finishes, and its handler sees the body.
        Send(server, Peer(9), CoapType.Confirmable, CoapCode.Put, 201, "t", 30_100, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 1, 2, 3 });
        Assert.Equal(CoapCode.Changed, wire.Last.Code);
    }

    [Fact]
    public void OnePeerHoldsOneUploadBufferWhateverItDoes()
    {
        var (server, wire, _) = Server(FourBuffers);
        // One peer starts uploads to four resources: it ends up with one buffer, not all four.
        for (int i = 0; i < 4; i++)
        {
            StartUpload(server, Peer(1), 100 + i, "u" + i, 0);
            Assert.Equal(CoapCode.Continue, wire.Last.Code);
        }
        for (int p = 2; p <= 4; p++)
        {
            StartUpload(server, Peer(p), 200 + p, "t", 10);
            Assert.Equal(CoapCode.Continue, wire.Last.Code);
        }
        // Its newest upload is the one it keeps; the older ones are gone (4.08 on their next block, §2.9.2).
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Put, 110, "u3", 20, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 7 });
        Assert.Equal(CoapCode.Changed, wire.Last.Code);
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Put, 111, "u0", 20, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 7 });
        Assert.Equal(CoapCode.RequestEntityIncomplete, wire.Last.Code);
    }

    [Fact]
    public void AnUploadInProgressIsNotTakenAway()
    {
        var (server, wire, _) = Server(FourBuffers);
        for (int i = 0; i < 4; i++)
        {
            StartUpload(server, Peer(i + 1), 100 + i, "t", 0);
        }
        // A second later every upload is still moving: a newcomer must wait (5.03), nobody loses a buffer.
        StartUpload(server, Peer(9), 200, "t", 1000);
        Assert.Equal(CoapCode.ServiceUnavailable, wire.Last.Code);
        for (int i = 0; i < 4; i++)
        {
            Send(server, Peer(i + 1), CoapType.Confirmable, CoapCode.Put, 300 + i, "t", 1100, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 1 });
            Assert.Equal(CoapCode.Changed, wire.Last.Code);
        }
    }

    [Fact]
    public void TheOldestStalledUploadIsTheOneReplaced()
    {
        var (server, wire, _) = Server(FourBuffers);
        StartUpload(server, Peer(1), 101, "t", 0);       // stalls first
        StartUpload(server, Peer(2), 102, "t", 5_000);
        StartUpload(server, Peer(3), 103, "t", 6_000);
        StartUpload(server, Peer(4), 104, "t", 7_000);
        StartUpload(server, Peer(9), 200, "t", 60_000);
        Assert.Equal(CoapCode.Continue, wire.Last.Code);
        Send(server, Peer(1), CoapType.Confirmable, CoapCode.Put, 201, "t", 60_100, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 1 });
        Assert.Equal(CoapCode.RequestEntityIncomplete, wire.Last.Code);
        Send(server, Peer(2), CoapType.Confirmable, CoapCode.Put, 202, "t", 60_100, block1: BlockOption.Encode(1, false, Szx64), payload: new byte[] { 1 });
        Assert.Equal(CoapCode.Changed, wire.Last.Code);
    }

    // ---------------------------------------------------------------- finding 11: de-duplication shared by all peers

    [Theory]
    [InlineData(CoapType.NonConfirmable)]
    [InlineData(CoapType.Confirmable)]
    public void AFloodFromOnePeerDoesNotMakeAnotherPeersRequestRunTwice(int type)
    {
        var (server, wire, resource) = Server();
        PeerAddress victim = Peer(1);
        PeerAddress flooder = Peer(2);
        Send(server, victim, type, CoapCode.Post, 77, "t", 0);
        Assert.Equal(1, resource.Posts);
        for (int i = 0; i < 1000; i++)
        {
            Send(server, flooder, type, CoapCode.Get, 1000 + i, "t", 1 + i);
        }
        // The victim's request is repeated (a retransmission, a duplicated datagram) well within its lifetime.
        Send(server, victim, type, CoapCode.Post, 77, "t", 2_000);
        Assert.Equal(1, resource.Posts);
        Assert.True(server.DuplicatesReceived >= 1);
    }

    [Fact]
    public void APeerAloneStillUsesTheWholeTable()
    {
        // Bounding shares must not shrink what a single busy peer gets: 16 entries, 16 requests, all remembered.
        var (server, _, resource) = Server(c => c.DedupCapacity = 16);
        for (int i = 0; i < 16; i++)
        {
            Send(server, Peer(1), CoapType.NonConfirmable, CoapCode.Post, 500 + i, "t", i);
        }
        for (int i = 0; i < 16; i++)
        {
            Send(server, Peer(1), CoapType.NonConfirmable, CoapCode.Post, 500 + i, "t", 100 + i);
        }
        Assert.Equal(16, resource.Posts);
        Assert.Equal(0, server.DedupEvictions);
    }

    [Fact]
    public void ManyPeersShareTheTableFairly()
    {
        // Four quiet peers with one entry each and a flooder: the quiet entries all survive the flood.
        var (server, _, resource) = Server(c => c.DedupCapacity = 16);
        for (int p = 1; p <= 4; p++)
        {
            Send(server, Peer(p), CoapType.NonConfirmable, CoapCode.Post, 40 + p, "t", p);
        }
        for (int i = 0; i < 500; i++)
        {
            Send(server, Peer(99), CoapType.NonConfirmable, CoapCode.Get, 3000 + i, "t", 10 + i);
        }
        for (int p = 1; p <= 4; p++)
        {
            Send(server, Peer(p), CoapType.NonConfirmable, CoapCode.Post, 40 + p, "t", 1000 + p);
        }
        Assert.Equal(4, resource.Posts);
    }
}
