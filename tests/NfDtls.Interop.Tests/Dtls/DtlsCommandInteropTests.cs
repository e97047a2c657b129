using System.Text;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>The issue 3 commands exactly as a person runs them, against OpenSSL: exit codes, stdout and stderr.</summary>
public class DtlsCommandInteropTests
{
    private const string Identity = "cli-interop";
    private const string KeyHex = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static PeerProcess Nfdtls(params string[] args) =>
        PeerProcess.Start("dotnet", new[] { "exec", Path.Combine(AppContext.BaseDirectory, "nfdtls.dll") }.Concat(args));

    [Fact]
    public void DtlsClientCommandAgainstOpenSslServer()
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-nocert",
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        // No --send: the client reads stdin lines; s_server answers once the client's line arrived.
        using var client = Nfdtls("dtls-client", "--connect", "127.0.0.1:" + port, "--psk-identity", Identity,
                                  "--psk-key", KeyHex, "--timeout", "10");
        client.Stdin.WriteLine("line one from nfdtls");
        client.Stdin.Flush();
        Assert.True(peer.WaitFor("line one from nfdtls", Wait), peer.Output + client.Output);
        peer.Stdin.WriteLine("reply from openssl");
        peer.Stdin.Flush();
        Assert.True(client.WaitFor("reply from openssl", Wait), client.Output);
        client.Stdin.Close();
        Assert.True(client.WaitForExit(Wait), client.Output);
        Assert.Equal(0, client.ExitCode);
        Assert.Contains("suite TLS_PSK_WITH_AES_128_CCM_8", client.Stderr);
        Assert.Contains("reply from openssl", client.Stdout);
    }

    [Fact]
    public void DtlsClientCommandWithTheWrongKeyFailsWithExitCode3()
    {
        // OpenSSL drops a Finished that does not authenticate (no alert): the client must still say what happened.
        int port = PeerProcess.FreeUdpPort();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-nocert",
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        using var client = Nfdtls("dtls-client", "--connect", "127.0.0.1:" + port, "--psk-identity", Identity,
                                  "--psk-key", "00000000000000000000000000000001", "--send", "x", "--timeout", "3");
        Assert.True(client.WaitForExit(Wait), client.Output);
        Assert.Equal(3, client.ExitCode);
        Assert.Contains("wrong PSK", client.Stderr);
        Assert.DoesNotContain("suite ", client.Stderr);
    }

    [Fact]
    public void DtlsServerCommandAgainstOpenSslClient()
    {
        int port = PeerProcess.FreeUdpPort();
        using var server = Nfdtls("dtls-server", "--listen", "127.0.0.1:" + port, "--psk-identity", Identity,
                                  "--psk-key", KeyHex, "--echo", "--count", "1");
        Assert.True(server.WaitFor("listening 127.0.0.1:" + port, Wait), server.Output);
        using (var peer = PeerProcess.Start("openssl", new[]
        {
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        }))
        {
            Assert.True(peer.WaitFor("Cipher is PSK-AES128-CCM8", Wait), peer.Output + server.Output);
            peer.Stdin.WriteLine("echo me");
            peer.Stdin.Flush();
            Assert.True(peer.WaitFor("echo me", Wait), peer.Output);
            peer.Stdin.Close(); // s_client sends close_notify on end of input
            Assert.True(server.WaitForExit(Wait), "dtls-server did not exit after --count 1\n" + server.Output);
        }
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("handshake 127.0.0.1:", server.Stdout);
        Assert.Contains("identity " + Identity + " suite TLS_PSK_WITH_AES_128_CCM_8", server.Stdout);
        Assert.Contains("record 127.0.0.1:", server.Stdout);
        Assert.Contains("echo me", server.Stdout);
    }
}
