using System.Diagnostics;
using NfDtls.Desktop.Dtls;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// `--ticket-keys FILE` (issue 13: a gateway restart keeps its ticket key unless told otherwise): a node that did a full
/// handshake with one gateway process resumes with the next one when both use the same FILE, and does a full handshake
/// when the keys are fresh, absent or damaged. The gateway keeps them beside its credentials by default.
/// </summary>
public partial class SessionResumptionCommandTests
{
    private string ProvisionPskNode()
    {
        string fleet = Path.Combine(_dir, "fleet");
        var (code, _, err) = ProvisionCommandTests.Nfdtls("provision", "--out", fleet, "--nodes", "1", "--security", "psk", "--gateway-host", "127.0.0.1");
        Assert.True(code == 0, err);
        return fleet;
    }

    private static string GatewayPort(Child gateway)
    {
        string port = "";
        for (var sw = Stopwatch.StartNew(); port == "" && sw.Elapsed < TimeSpan.FromSeconds(30) && !gateway.Process.HasExited; Thread.Sleep(50))
        {
            port = System.Text.RegularExpressions.Regex.Match(gateway.ReadAll(), @"gateway listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;
        }
        Assert.True(port != "", "gateway did not start: " + gateway.ReadAll() + StdErr(gateway));
        return port;
    }

    private static string StdErr(Child child)
    {
        lock (child.Err)
        {
            return child.Err.ToString();
        }
    }

    /// <summary>One gateway process: starts it, connects the node once, stops it (killed: no clean-exit save), returns stderr lines of the node and the gateway's stderr.</summary>
    private (string[] Node, string Gateway) GatewayRun(string fleet, string session, params string[] extra)
    {
        var args = new List<string> { "gateway", "--credentials", Path.Combine(fleet, "gateway.json"), "--listen", "127.0.0.1:0", "--for", "60" };
        args.AddRange(extra);
        using var gateway = Start(args.ToArray());
        string port = GatewayPort(gateway);
        // The gateway takes CoAP, not text: no record comes back (exit 4), but the handshake is what counts here.
        var (c, _, e) = ProvisionCommandTests.Nfdtls("dtls-client", "--settings", Path.Combine(fleet, "nodes", "node-001.settings"),
                                                     "--connect", "127.0.0.1:" + port, "--send", "x", "--timeout", "2", "--session", session);
        Assert.True(c == 0 || c == 4, "exit " + c + "\n" + e);
        gateway.Process.Kill(true);
        gateway.Process.WaitForExit(5000);
        return (ErrLines(e), StdErr(gateway));
    }

    private static void AssertKeyFile(string path)
    {
        Assert.True(File.Exists(path), path);
        Assert.Equal(TicketKeyFile.FileLength, new FileInfo(path).Length);
        Assert.Equal("NFTK"u8.ToArray(), File.ReadAllBytes(path).AsSpan(0, 4).ToArray());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void GatewayRestartWithTheSameTicketKeysResumes()
    {
        string fleet = ProvisionPskNode();
        string keys = Path.Combine(_dir, "keys.bin");
        string session = Path.Combine(_dir, "node.session");

        Assert.Contains("full handshake", GatewayRun(fleet, session, "--ticket-keys", keys).Node);
        AssertKeyFile(keys);
        byte[] first = File.ReadAllBytes(keys);

        // A new process with the same file: the node's ticket opens, no ECDHE.
        var (node, err) = GatewayRun(fleet, session, "--ticket-keys", keys);
        Assert.Contains("resumed", node);
        Assert.DoesNotContain("full handshake", node);
        Assert.DoesNotContain("--ticket-keys", err);
        AssertKeyFile(keys);
        Assert.Equal(first.AsSpan(13 + 2, 20).ToArray(), File.ReadAllBytes(keys).AsSpan(13 + 2, 20).ToArray()); // same current key

        // Fresh keys (another file): the ticket is unknown, a full handshake.
        Assert.Contains("full handshake", GatewayRun(fleet, session, "--ticket-keys", Path.Combine(_dir, "other.bin")).Node);
        // Keys not kept: a full handshake every time, and no file beside the credentials.
        Assert.Contains("full handshake", GatewayRun(fleet, session, "--no-ticket-keys").Node);
        Assert.Contains("full handshake", GatewayRun(fleet, session, "--no-ticket-keys").Node);
        Assert.False(File.Exists(Path.Combine(fleet, "gateway.ticket-keys")));
    }

    [Fact]
    public void GatewayKeepsTicketKeysBesideItsCredentialsByDefault()
    {
        string fleet = ProvisionPskNode();
        string session = Path.Combine(_dir, "node.session");
        Assert.Contains("full handshake", GatewayRun(fleet, session).Node);
        AssertKeyFile(Path.Combine(fleet, "gateway.ticket-keys"));
        Assert.Contains("resumed", GatewayRun(fleet, session).Node);
    }

    [Fact]
    public void DamagedTicketKeyFileGivesFreshKeysAndAFullHandshake()
    {
        string fleet = ProvisionPskNode();
        string session = Path.Combine(_dir, "node.session");
        string keys = Path.Combine(_dir, "keys.bin");
        Assert.Contains("full handshake", GatewayRun(fleet, session, "--ticket-keys", keys).Node);
        Assert.Contains("resumed", GatewayRun(fleet, session, "--ticket-keys", keys).Node);

        // Right length and header, keys garbled: loads (the engine cannot tell), the ticket does not open.
        byte[] good = File.ReadAllBytes(keys);
        good[13 + 2 + 4] ^= 0xFF;
        File.WriteAllBytes(keys, good);
        Assert.Contains("full handshake", GatewayRun(fleet, session, "--ticket-keys", keys).Node);

        foreach (byte[] junk in new[] { "not a key file"u8.ToArray(), Array.Empty<byte>(), new byte[TicketKeyFile.FileLength] })
        {
            File.WriteAllBytes(keys, junk);
            var (node, err) = GatewayRun(fleet, session, "--ticket-keys", keys);
            Assert.Contains("full handshake", node);
            Assert.Contains("--ticket-keys " + keys, err);
            Assert.Contains("fresh keys", err);
            AssertKeyFile(keys); // replaced by the new keys
            Assert.Contains("resumed", GatewayRun(fleet, session, "--ticket-keys", keys).Node);
        }
    }

    [Fact]
    public void DtlsServerRestartWithTheSameTicketKeysResumes()
    {
        string keys = Path.Combine(_dir, "server.keys");
        string session = Path.Combine(_dir, "client.session");
        for (int run = 0; run < 3; run++)
        {
            // Run 2 uses fresh keys; each server exits cleanly after one client (--count 1).
            string file = run == 2 ? Path.Combine(_dir, "fresh.keys") : keys;
            using var server = Start("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--echo", "--count", "1",
                                     "--tickets", "--ticket-keys", file);
            string address = Listening(server);
            var (code, output, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key,
                                                                   "--send", "run" + run, "--timeout", "5", "--session", session);
            Assert.True(code == 0, err);
            Assert.Contains("run" + run, output);
            Assert.Contains(run == 1 ? "resumed" : "full handshake", ErrLines(err));
            Assert.True(server.Process.WaitForExit(10000), "server did not exit after --count 1");
            Assert.Equal(0, server.Process.ExitCode);
            AssertKeyFile(file);
        }
    }

    [Theory]
    [InlineData("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--ticket-keys", "k.bin")]
    [InlineData("serve", "--coaps", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--ticket-keys", "k.bin")]
    [InlineData("serve", "--listen", "127.0.0.1:0", "--tickets", "--ticket-keys", "k.bin")]
    [InlineData("gateway", "--credentials", "missing-is-not-reached.json", "--no-tickets", "--ticket-keys", "k.bin")]
    public void TicketKeysWithoutTicketsIsAUsageError(params string[] args)
    {
        string fleet = ProvisionPskNode();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "missing-is-not-reached.json")
            {
                args[i] = Path.Combine(fleet, "gateway.json");
            }
            if (args[i] == "k.bin")
            {
                args[i] = Path.Combine(_dir, "k.bin");
            }
        }
        var (code, _, err) = ProvisionCommandTests.Nfdtls(args);
        Assert.Equal(2, code);
        Assert.Contains("--ticket-keys", err);
        Assert.False(File.Exists(Path.Combine(_dir, "k.bin")));
    }

    [Fact]
    public void GatewayTicketKeysAndNoTicketKeysExcludeEachOther()
    {
        string fleet = ProvisionPskNode();
        var (code, _, err) = ProvisionCommandTests.Nfdtls("gateway", "--credentials", Path.Combine(fleet, "gateway.json"), "--listen", "127.0.0.1:0",
                                                         "--ticket-keys", Path.Combine(_dir, "k.bin"), "--no-ticket-keys", "--for", "1");
        Assert.Equal(2, code);
        Assert.Contains("--no-ticket-keys", err);
    }
}
