using System.Net;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Desktop.Coap;
using Xunit;

namespace NfDtls.Interop.Tests.Coap;

/// <summary>Our client (the library the CLI uses) against libcoap's coap-server (GnuTLS build).</summary>
public class LibcoapServerTests
{
    private static CancellationToken Soon => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static CoapConfig Config() => new() { BlockBufferSize = 1 << 20 };

    [Fact]
    public async Task GetPutDiscoverAndBlockwiseBothWays()
    {
        using var peer = LibcoapRunner.Server(out int port);
        using var client = CoapClient.Connect(new IPEndPoint(IPAddress.Loopback, port), Config());

        var root = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/" }, Soon);
        Assert.Equal(CoapCode.Content, root.Code);
        Assert.Contains("libcoap", root.PayloadText);

        var core = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/.well-known/core" }, Soon);
        Assert.Equal(CoapContentFormat.LinkFormat, core.ContentFormat);
        Assert.Contains("</time>", core.PayloadText);

        // Block1 up (RFC 7959 §2.5), then Block2 down, at two block sizes.
        var body = System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomBytes(3000)));
        var put = await client.SendAsync(new CoapRequestSpec { Method = CoapCode.Put, PathAndQuery = "/example_data", Payload = body, BlockSize = 256, ContentFormat = 0 }, Soon);
        Assert.True(put.IsSuccess, put.CodeText);
        var back = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/example_data", BlockSize = 64 }, Soon);
        Assert.Equal(body, back.Payload);
        var backDefault = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/example_data" }, Soon);
        Assert.Equal(body, backDefault.Payload);

        var created = await client.SendAsync(new CoapRequestSpec { Method = CoapCode.Put, PathAndQuery = "/made/by/us", Payload = "x"u8.ToArray() }, Soon);
        Assert.Equal(CoapCode.Created, created.Code);
        var deleted = await client.SendAsync(new CoapRequestSpec { Method = CoapCode.Delete, PathAndQuery = "/made/by/us" }, Soon);
        Assert.Equal(CoapCode.Deleted, deleted.Code);
        var missing = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/no/such/thing" }, Soon);
        Assert.Equal(CoapCode.NotFound, missing.Code);
        var non = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/", Confirmable = false }, Soon);
        Assert.Equal(CoapCode.Content, non.Code);
    }

    [Fact]
    public async Task ObserveTimeGetsNotificationsAndDeregisters()
    {
        using var peer = LibcoapRunner.Server(out int port);
        using var client = CoapClient.Connect(new IPEndPoint(IPAddress.Loopback, port), Config());
        var seen = new List<CoapResult>();
        var last = await client.ObserveAsync(new CoapRequestSpec { PathAndQuery = "/time" }, r => { seen.Add(r); return seen.Count < 3; }, Soon);
        Assert.Equal(3, seen.Count);
        Assert.All(seen, r => Assert.True(r.Observe >= 0));
        Assert.True(seen[2].Observe != seen[0].Observe);
        Assert.NotNull(last);
        Assert.Equal(-1, last!.Observe); // the answer to GET Observe=1 carries no Observe: deregistered
    }

    [Fact]
    public async Task CoapsWithPsk()
    {
        using var peer = LibcoapRunner.Server(out int port);
        using var client = await CoapClient.ConnectSecureAsync(new IPEndPoint(IPAddress.Loopback, port + 1),
            System.Text.Encoding.UTF8.GetBytes(LibcoapRunner.Identity), LibcoapRunner.PskBytes, TimeSpan.FromSeconds(20), Config());
        var root = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/" }, Soon);
        Assert.Contains("libcoap", root.PayloadText);
        var body = RandomBytes(2000);
        var put = await client.SendAsync(new CoapRequestSpec { Method = CoapCode.Put, PathAndQuery = "/example_data", Payload = body, ContentFormat = 42 }, Soon);
        Assert.True(put.IsSuccess, put.CodeText);
        var back = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/example_data" }, Soon);
        Assert.Equal(body, back.Payload);
    }

    [Fact]
    public async Task CoapsWithTheWrongKeyFailsTheHandshake()
    {
        using var peer = LibcoapRunner.Server(out int port);
        await Assert.ThrowsAsync<CoapHandshakeException>(() => CoapClient.ConnectSecureAsync(new IPEndPoint(IPAddress.Loopback, port + 1),
            System.Text.Encoding.UTF8.GetBytes(LibcoapRunner.Identity), "notTheKey"u8.ToArray(), TimeSpan.FromSeconds(15), Config()));
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        new Random(n).NextBytes(b);
        return b;
    }
}
