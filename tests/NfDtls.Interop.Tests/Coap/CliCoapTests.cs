using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Coap;

/// <summary>The `nfdtls` CoAP commands as scripts use them: output streams and exit codes, against libcoap.</summary>
public class CliCoapTests
{
    private static string Nfdtls()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
        {
            dir = dir.Parent;
        }
        Assert.True(dir != null, "repository root not found");
        string exe = Path.Combine(dir!.FullName, "tools", "NfDtls.Cli", "bin", "Release", "net10.0", "nfdtls");
        Assert.True(File.Exists(exe), exe + " is missing: build the solution (tests/test.sh does)");
        return exe;
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var p = PeerProcess.Start(Nfdtls(), args, redirectStdin: false);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "nfdtls did not finish: " + p.Output);
        return (p.ExitCode, p.Stdout, p.Stderr);
    }

    [Fact]
    public void RequestsAgainstLibcoapServerPrintCodeOnStderrPayloadOnStdout()
    {
        using var peer = LibcoapRunner.Server(out int port);
        string uri = "coap://127.0.0.1:" + port;

        var get = Run("get", uri + "/");
        Assert.Equal(0, get.Exit);
        Assert.Contains("libcoap", get.Stdout);
        Assert.StartsWith("2.05", get.Stderr);
        Assert.DoesNotContain("2.05", get.Stdout);

        var missing = Run("get", uri + "/no/such/thing");
        Assert.Equal(1, missing.Exit);
        Assert.StartsWith("4.04", missing.Stderr);

        var put = Run("put", uri + "/example_data", "--payload", new string('z', 3000), "--block-size", "128", "--content-format", "0");
        Assert.Equal(0, put.Exit);
        var back = Run("get", uri + "/example_data", "--block-size", "64", "--non");
        Assert.Equal(new string('z', 3000), back.Stdout.TrimEnd('\n')); // PeerProcess captures by lines

        var discover = Run("discover", uri + "/?rt=ticks");
        Assert.Equal(0, discover.Exit);
        Assert.Contains("</time>", discover.Stdout);
        Assert.DoesNotContain("</async>", discover.Stdout);

        var observe = Run("observe", uri + "/time", "--count", "3", "--timeout", "20");
        Assert.Equal(0, observe.Exit);
        Assert.Equal(3, observe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var secure = Run("get", "coaps://127.0.0.1:" + (port + 1) + "/", "--psk-identity", LibcoapRunner.Identity, "--psk-key", Convert.ToHexString(LibcoapRunner.PskBytes), "-v");
        Assert.Equal(0, secure.Exit);
        Assert.Contains("libcoap", secure.Stdout);
        Assert.Contains("cipher suite 0xc0a8", secure.Stderr); // TLS_PSK_WITH_AES_128_CCM_8 (RFC 7925) negotiated with GnuTLS

        var badKey = Run("get", "coaps://127.0.0.1:" + (port + 1) + "/", "--psk-identity", LibcoapRunner.Identity, "--psk-key", "0011223344", "--timeout", "10");
        Assert.Equal(3, badKey.Exit);
    }

    [Fact]
    public void TimeoutAndUsageExitCodes()
    {
        int closed = PeerProcess.FreeUdpPort();
        var timeout = Run("get", "coap://127.0.0.1:" + closed + "/x", "--timeout", "2");
        Assert.Equal(4, timeout.Exit);
        Assert.Equal(2, Run("get").Exit);
        Assert.Equal(2, Run("get", "http://example.org/").Exit);
        Assert.Equal(2, Run("get", "coap://127.0.0.1/x", "--block-size", "100").Exit);
        var help = Run("observe", "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("examples:", help.Stdout);
        Assert.Contains("examples:", Run("serve", "--help").Stdout);
    }

    [Fact]
    public void ServeAnswersLibcoapClient()
    {
        int port = PeerProcess.FreeUdpPort();
        string dir = Directory.CreateTempSubdirectory("nfdtls-serve").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "file a");
            using var serve = PeerProcess.Start(Nfdtls(), new[] { "serve", "--listen", "127.0.0.1:" + port, "--dir", dir, "--interval", "200" }, redirectStdin: false);
            Assert.True(serve.WaitFor("listening on", TimeSpan.FromSeconds(20)), serve.Output);
            string uri = "coap://127.0.0.1:" + port;
            Assert.Equal("Hello from nfdtls", LibcoapRunner.Client("-m", "get", uri + "/hello").Stdout.TrimEnd('\n'));
            Assert.Equal("file a", LibcoapRunner.Client("-m", "get", uri + "/files/a.txt").Stdout.TrimEnd('\n'));
            var put = LibcoapRunner.Client("-m", "put", "-e", "written", uri + "/files/b.txt");
            Assert.Equal(0, put.Exit);
            Assert.Equal("written", File.ReadAllText(Path.Combine(dir, "b.txt")));
            var observe = LibcoapRunner.Client("-s", "2", "-w", "-m", "get", uri + "/counter");
            Assert.True(observe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 4, observe.Stdout);
            var core = LibcoapRunner.Client("-m", "get", uri + "/.well-known/core?rt=clock");
            Assert.Equal("</clock>;rt=\"clock\";ct=0;obs", core.Stdout.TrimEnd('\n'));
            // Our own client against our own server, through the command line.
            var large = Run("get", uri + "/large", "--block-size", "32");
            Assert.Equal(0, large.Exit);
            Assert.Equal(80, large.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
