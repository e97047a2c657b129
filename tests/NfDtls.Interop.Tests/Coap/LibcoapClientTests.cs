using Xunit;

namespace NfDtls.Interop.Tests.Coap;

/// <summary>libcoap's coap-client (GnuTLS build) against our server, over coap:// and coaps:// (PSK, CCM-8).</summary>
public class LibcoapClientTests
{
    [Fact]
    public void Get()
    {
        using var server = new OurServer(false);
        var r = LibcoapRunner.Client("-m", "get", server.Uri("/hello"));
        Assert.Equal(0, r.Exit);
        Assert.Equal("Hello from nfdtls", r.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public void PutPostDelete()
    {
        using var server = new OurServer(false);
        var put = LibcoapRunner.Client("-m", "put", "-e", "stored by libcoap", "-t", "0", server.Uri("/store"));
        Assert.Equal(0, put.Exit);
        Assert.Equal("stored by libcoap", System.Text.Encoding.UTF8.GetString(server.Store.Body!));
        var get = LibcoapRunner.Client("-m", "get", server.Uri("/store"));
        Assert.Equal("stored by libcoap", get.Stdout.TrimEnd('\n'));

        int before = server.Counter.Value;
        var post = LibcoapRunner.Client("-m", "post", server.Uri("/counter"));
        Assert.Equal(0, post.Exit);
        Assert.True(server.Counter.Value > before);

        var delete = LibcoapRunner.Client("-m", "delete", server.Uri("/store"));
        Assert.Equal(0, delete.Exit);
        Assert.Null(server.Store.Body);
        var gone = LibcoapRunner.Client("-v", "5", "-m", "get", server.Uri("/store"));
        Assert.Contains("4.04", gone.Stdout + gone.Stderr);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("1024")]
    public void LargeResourceBlock2(string blockSize)
    {
        using var server = new OurServer(false);
        var r = LibcoapRunner.Client("-m", "get", "-b", blockSize, server.Uri("/large"));
        Assert.Equal(0, r.Exit);
        Assert.True(server.Large.Body.Length > 4 * 1024 / 2);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(server.Large.Body), r.Stdout[..^1]); // coap-client adds a newline
    }

    [Fact]
    public void LargeUploadBlock1()
    {
        using var server = new OurServer(false);
        string file = Path.GetTempFileName();
        try
        {
            var body = new byte[5000];
            new Random(3).NextBytes(body);
            File.WriteAllBytes(file, body);
            var r = LibcoapRunner.Client("-m", "put", "-b", "128", "-f", file, server.Uri("/store"));
            Assert.Equal(0, r.Exit);
            Assert.Equal(body, server.Store.Body);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ObserveGetsSeveralNotifications()
    {
        using var server = new OurServer(false);
        var r = LibcoapRunner.Client("-s", "3", "-w", "-m", "get", server.Uri("/counter"));
        Assert.Equal(0, r.Exit);
        var values = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.True(values.Count >= 5, "notifications: " + string.Join(",", values));
        Assert.Equal(values.OrderBy(v => v), values);
        // libcoap deregisters (or stops acknowledging) at the end: our table must empty again.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (server.Host.Invoke(_ => server.Host.Endpoint.ObserverCount) > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }
        Assert.Equal(0, server.Host.Invoke(_ => server.Host.Endpoint.ObserverCount));
    }

    [Fact]
    public void DiscoveryWithAndWithoutFilter()
    {
        using var server = new OurServer(false);
        var all = LibcoapRunner.Client("-m", "get", server.Uri("/.well-known/core"));
        Assert.Equal(0, all.Exit);
        Assert.Contains("</hello>;rt=\"greeting\"", all.Stdout);
        Assert.Contains("</counter>;rt=\"counter\";ct=0;obs", all.Stdout);
        Assert.Contains("</large>", all.Stdout);
        var filtered = LibcoapRunner.Client("-m", "get", server.Uri("/.well-known/core?rt=counter"));
        Assert.Equal("</counter>;rt=\"counter\";ct=0;obs", filtered.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public void CoapsGetPutAndBlock2WithPsk()
    {
        using var server = new OurServer(true);
        var get = LibcoapRunner.Client("-k", LibcoapRunner.Psk, "-u", LibcoapRunner.Identity, "-m", "get", server.SecureUri("/hello"));
        Assert.Equal(0, get.Exit);
        Assert.Equal("Hello from nfdtls", get.Stdout.TrimEnd('\n'));
        var put = LibcoapRunner.Client("-k", LibcoapRunner.Psk, "-u", LibcoapRunner.Identity, "-m", "put", "-e", "over dtls", server.SecureUri("/store"));
        Assert.Equal(0, put.Exit);
        Assert.Equal("over dtls", System.Text.Encoding.UTF8.GetString(server.Store.Body!));
        var large = LibcoapRunner.Client("-k", LibcoapRunner.Psk, "-u", LibcoapRunner.Identity, "-m", "get", server.SecureUri("/large"));
        Assert.Equal(System.Text.Encoding.ASCII.GetString(server.Large.Body), large.Stdout[..^1]);
    }

    [Fact]
    public void CoapsWithTheWrongKeyGetsNothing()
    {
        using var server = new OurServer(true);
        var r = LibcoapRunner.Client("-B", "5", "-k", "wrongKey", "-u", LibcoapRunner.Identity, "-m", "get", server.SecureUri("/hello"));
        Assert.DoesNotContain("Hello from nfdtls", r.Stdout);
        Assert.Equal(0, server.Host.Endpoint.RequestsExecuted);
    }

    [Fact]
    public void NonConfirmableGet()
    {
        using var server = new OurServer(false);
        var r = LibcoapRunner.Client("-N", "-m", "get", server.Uri("/hello"));
        Assert.Equal(0, r.Exit);
        Assert.Equal("Hello from nfdtls", r.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public void CoapsObserve()
    {
        using var server = new OurServer(true);
        var r = LibcoapRunner.Client("-k", LibcoapRunner.Psk, "-u", LibcoapRunner.Identity, "-s", "2", "-w", "-m", "get", server.SecureUri("/counter"));
        Assert.Equal(0, r.Exit);
        var values = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.True(values.Count >= 4, "notifications: " + string.Join(",", values));
        Assert.Equal(values.OrderBy(v => v), values);
    }
}
