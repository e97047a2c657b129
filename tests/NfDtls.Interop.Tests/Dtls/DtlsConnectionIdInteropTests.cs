using System.Net;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// OpenSSL 3.0 and GnuTLS 3.7 do not implement DTLS 1.2 Connection ID (RFC 9146): our client offering the extension
/// must still connect (they ignore it; we then send plain records), and our server with CIDs on serves them normally.
/// </summary>
public class DtlsConnectionIdInteropTests
{
    private const string Identity = "nfdtls-interop";
    private const string KeyHex = "0123456789abcdef0123456789abcdef";
    private const string GnuTlsPriority = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+PSK";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static byte[] Key => Convert.FromHexString(KeyHex);

    private static DtlsConfig Config(int cid)
    {
        DtlsConfig c = DtlsUdpClient.DefaultConfig();
        c.InitialRetransmitMs = 500;
        c.ConnectionIdLength = cid;
        return c;
    }

    [Theory]
    [InlineData(8)]
    [InlineData(DtlsConfig.ConnectionIdSendOnly)]
    public void OurClientOfferingCidAgainstOpenSslServer(int cid)
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-nocert",
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config(cid));
        Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
        Assert.False(client.Session.UsesConnectionId);
        Assert.True(client.Send(Encoding.ASCII.GetBytes("ping with cid offered\n")));
        Assert.True(peer.WaitFor("ping with cid offered", Wait), peer.Output);
        peer.Stdin.WriteLine("pong from openssl");
        peer.Stdin.Flush();
        byte[]? back = client.Receive(Wait);
        Assert.NotNull(back);
        Assert.Equal("pong from openssl\n", Encoding.ASCII.GetString(back!));
        client.Close();
    }

    [Fact]
    public void OurClientOfferingCidAgainstGnuTlsServer()
    {
        string dir = Directory.CreateTempSubdirectory("nfdtls-gnutls-cid").FullName;
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
            using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Key, Config(8));
            Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + "\n" + peer.Output);
            Assert.False(client.Session.UsesConnectionId);
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
    public void OpenSslClientAgainstOurServerWithCidOn()
    {
        var keys = new PskTable(1);
        keys.Add(Encoding.ASCII.GetBytes(Identity), Key);
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, Config(8));
        server.DataReceived += (s, buf, off, n) =>
        {
            received.Enqueue(Encoding.ASCII.GetString(buf, off, n));
            server.SendFromHandler(s.Peer, buf, off, n);
        };
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        server.Start();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + server.LocalEndPoint.Port,
            "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8",
        });
        Assert.True(peer.WaitFor("Cipher is PSK-AES128-CCM8", Wait), peer.Output);
        peer.Stdin.WriteLine("ping from openssl");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("ping from openssl", Wait), peer.Output);
        Assert.Contains("ping from openssl\n", received);
        Assert.NotNull(connected);
        Assert.False(connected!.UsesConnectionId);
    }
}
