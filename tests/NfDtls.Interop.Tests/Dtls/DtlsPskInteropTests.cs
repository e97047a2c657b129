using System.Net;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// TLS_PSK_WITH_AES_128_CCM_8 against OpenSSL and GnuTLS, both directions, data both ways, suite 0xC0A8 checked on
/// both ends. Each test binds fresh loopback ports and kills its peer process on the way out.
/// </summary>
public class DtlsPskInteropTests
{
    private const string Identity = "nfdtls-interop";
    private const string KeyHex = "0123456789abcdef0123456789abcdef";
    private const string GnuTlsPriority = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+PSK";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static byte[] Key => Convert.FromHexString(KeyHex);

    private static DtlsConfig Config()
    {
        DtlsConfig c = DtlsUdpClient.DefaultConfig();
        c.InitialRetransmitMs = 500;
        return c;
    }

    private static DtlsUdpServer StartEchoServer(out int port, System.Collections.Concurrent.ConcurrentQueue<string> received)
    {
        var keys = new PskTable(1);
        keys.Add(Encoding.ASCII.GetBytes(Identity), Key);
        var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, Config());
        server.DataReceived += (s, buf, off, n) =>
        {
            received.Enqueue(Encoding.ASCII.GetString(buf, off, n));
            server.SendFromHandler(s.Peer, buf, off, n);
        };
        server.Start();
        port = server.LocalEndPoint.Port;
        return server;
    }

    [Fact]
    public void OurClientAgainstOpenSslServer()
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-nocert",
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config());
        Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
        Assert.Equal(0xC0A8, client.Session.CipherSuite);

        Assert.True(client.Send(Encoding.ASCII.GetBytes("ping from nfdtls\n")));
        Assert.True(peer.WaitFor("ping from nfdtls", Wait), peer.Output);
        Assert.True(peer.WaitFor("CIPHER is PSK-AES128-CCM8", Wait), peer.Output);

        peer.Stdin.WriteLine("pong from openssl");
        peer.Stdin.Flush();
        byte[]? back = client.Receive(Wait);
        Assert.NotNull(back);
        Assert.Equal("pong from openssl\n", Encoding.ASCII.GetString(back!));
        client.Close();
    }

    [Fact]
    public void OpenSslClientAgainstOurServer()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = StartEchoServer(out int port, received);
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("Cipher is PSK-AES128-CCM8", Wait), peer.Output);
        peer.Stdin.WriteLine("ping from openssl");
        peer.Stdin.Flush();
        // Our server received it and echoed it: s_client prints what it receives (it does not echo its own input).
        Assert.True(peer.WaitFor("ping from openssl", Wait), peer.Output);
        Assert.Contains("ping from openssl\n", received);
        Assert.NotNull(connected);
        Assert.Equal(0xC0A8, connected!.CipherSuite);
        Assert.Equal(Identity, connected.PskIdentityText());
        Assert.True(connected.UsesExtendedMasterSecret);
    }

    [Fact]
    public void OurClientAgainstGnuTlsServer()
    {
        string dir = Directory.CreateTempSubdirectory("nfdtls-gnutls").FullName;
        try
        {
            string pskFile = Path.Combine(dir, "psk.txt");
            File.WriteAllText(pskFile, Identity + ":" + KeyHex + "\n");
            int port = PeerProcess.FreeUdpPort();
            using var peer = PeerProcess.Start("gnutls-serv", new[]
            {
                "--udp", "--port", port.ToString(), "--pskpasswd", pskFile, "--priority", GnuTlsPriority, "--echo",
            });
            Assert.True(peer.WaitFor("listening", Wait), peer.Output);
            using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config());
            Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
            Assert.Equal(0xC0A8, client.Session.CipherSuite);
            Assert.True(client.Send(Encoding.ASCII.GetBytes("ping to gnutls")));
            byte[]? back = client.Receive(Wait);
            Assert.NotNull(back);
            Assert.Equal("ping to gnutls", Encoding.ASCII.GetString(back!));
            client.Close();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void IdentityHintsBothWays()
    {
        // OpenSSL server with a hint: our client reads the ServerKeyExchange.
        int port = PeerProcess.FreeUdpPort();
        using (var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-nocert", "-psk_hint", "openssl-hint",
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        }))
        {
            Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
            using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config());
            Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
            Assert.Equal(0xC0A8, client.Session.CipherSuite);
        }

        // Our server with a hint: GnuTLS takes the ServerKeyExchange.
        var keys = new PskTable(1);
        keys.Add(Encoding.ASCII.GetBytes(Identity), Key);
        DtlsConfig config = Config();
        config.PskIdentityHint = Encoding.ASCII.GetBytes("nfdtls-hint");
        using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, config);
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        server.Start();
        using var cli = PeerProcess.Start("gnutls-cli", new[]
        {
            "--udp", "--port", server.LocalEndPoint.Port.ToString(), "127.0.0.1", "--pskusername", Identity, "--pskkey", KeyHex,
            "--priority", GnuTlsPriority,
        });
        Assert.True(cli.WaitFor("Handshake was completed", Wait), cli.Output);
        Assert.NotNull(connected);
        Assert.Equal(0xC0A8, connected!.CipherSuite);
    }

    [Fact]
    public void GnuTlsClientWithoutAnyExtensionsIsServed()
    {
        // Neither extended_master_secret nor renegotiation_info (RFC 7627 / RFC 5746 are optional for the peer).
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = StartEchoServer(out int port, received);
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        using var peer = PeerProcess.Start("gnutls-cli", new[]
        {
            "--udp", "--port", port.ToString(), "127.0.0.1", "--pskusername", Identity, "--pskkey", KeyHex,
            "--priority", GnuTlsPriority + ":%NO_EXTENSIONS:%DISABLE_SAFE_RENEGOTIATION",
        });
        Assert.True(peer.WaitFor("Handshake was completed", Wait), peer.Output);
        peer.Stdin.WriteLine("no extensions");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("no extensions", Wait), peer.Output);
        Assert.NotNull(connected);
        Assert.False(connected!.UsesExtendedMasterSecret);
        Assert.Equal(0xC0A8, connected.CipherSuite);
    }

    [Fact]
    public void OurClientAgainstGnuTlsServerWithoutExtensions()
    {
        string dir = Directory.CreateTempSubdirectory("nfdtls-gnutls").FullName;
        try
        {
            string pskFile = Path.Combine(dir, "psk.txt");
            File.WriteAllText(pskFile, Identity + ":" + KeyHex + "\n");
            int port = PeerProcess.FreeUdpPort();
            using var peer = PeerProcess.Start("gnutls-serv", new[]
            {
                "--udp", "--port", port.ToString(), "--pskpasswd", pskFile, "--echo",
                "--priority", GnuTlsPriority + ":%NO_EXTENSIONS",
            });
            Assert.True(peer.WaitFor("listening", Wait), peer.Output);
            using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config());
            Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
            Assert.False(client.Session.UsesExtendedMasterSecret); // offered, not echoed: the RFC 5246 master secret
            Assert.True(client.Send(Encoding.ASCII.GetBytes("plain ms")));
            Assert.Equal("plain ms", Encoding.ASCII.GetString(client.Receive(Wait) ?? Array.Empty<byte>()));
            client.Close();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void GnuTlsClientAgainstOurServer()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = StartEchoServer(out int port, received);
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        using var peer = PeerProcess.Start("gnutls-cli", new[]
        {
            "--udp", "--port", port.ToString(), "127.0.0.1", "--pskusername", Identity, "--pskkey", KeyHex,
            "--priority", GnuTlsPriority,
        });
        Assert.True(peer.WaitFor("Handshake was completed", Wait), peer.Output);
        Assert.Contains("(AES-128-CCM-8)", peer.Output);
        peer.Stdin.WriteLine("ping from gnutls");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("ping from gnutls", Wait), peer.Output);
        Assert.Contains("ping from gnutls\n", received);
        Assert.NotNull(connected);
        Assert.Equal(0xC0A8, connected!.CipherSuite);
        Assert.Contains("extended master secret", peer.Output);
    }
}
