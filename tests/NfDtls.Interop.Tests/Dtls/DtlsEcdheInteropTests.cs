using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (0xC0AE) against OpenSSL and GnuTLS, both directions, with client
/// authentication: X.509 chains (P-256 certificates this test makes) and, with GnuTLS, RFC 7250 raw public keys.
/// The suite is checked on both ends; each test binds fresh loopback ports and kills its peer on the way out.
/// </summary>
public sealed class DtlsEcdheInteropTests : IDisposable
{
    private const string GnuTlsX509 = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+ECDHE-ECDSA";
    private const string GnuTlsRpk = GnuTlsX509 + ":-CTYPE-ALL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly PeerPkiFiles _pki = new("nfdtls-ecdhe", "nf-dtls interop CA");

    public void Dispose() => _pki.Dispose();

    private DtlsConfig Config(bool server, bool rpk)
    {
        DtlsConfig c = DtlsUdpClient.DefaultConfig();
        c.InitialRetransmitMs = 500;
        c.HandshakeBufferSize = 4096;
        c.FlightBufferSize = 4096;
        c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
        c.Ecdhe = _pki.Credentials(server, rpk);
        return c;
    }

    private DtlsUdpServer StartEchoServer(bool rpk, out int port, ConcurrentQueue<DtlsSession> connected)
    {
        var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), new PskTable(1), Config(true, rpk));
        server.Connected += s => connected.Enqueue(s);
        server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
        server.Start();
        port = server.LocalEndPoint.Port;
        return server;
    }

    private static void AssertOurSessionWasAuthenticated(ConcurrentQueue<DtlsSession> connected)
    {
        Assert.True(connected.TryPeek(out DtlsSession? s));
        Assert.Equal(0xC0AE, s!.CipherSuite);
    }

    [Fact]
    public void OurClientAgainstOpenSslServerWithClientAuth()
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port, "-cipher", "ECDHE-ECDSA-AES128-CCM8",
            "-cert", _pki.ServerCert, "-key", _pki.ServerKey, "-CAfile", _pki.Ca, "-Verify", "1", "-verify_return_error",
        });
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), null!, null!, Config(false, false));
        Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + " " + client.Session.AlertDescription + "\n" + peer.Output);
        Assert.Equal(0xC0AE, client.Session.CipherSuite);
        Assert.True(client.Send(Encoding.ASCII.GetBytes("ping from nfdtls\n")));
        Assert.True(peer.WaitFor("ping from nfdtls", Wait), peer.Output);
        Assert.Contains("CIPHER is ECDHE-ECDSA-AES128-CCM8", peer.Output);
        Assert.Contains("verify return:1", peer.Output); // s_server verified our certificate chain
        peer.Stdin.WriteLine("pong from openssl");
        peer.Stdin.Flush();
        byte[]? back = client.Receive(Wait);
        Assert.NotNull(back);
        Assert.Equal("pong from openssl\n", Encoding.ASCII.GetString(back!));
        client.Close();
    }

    [Fact]
    public void OpenSslClientWithCertificateAgainstOurServer()
    {
        var connected = new ConcurrentQueue<DtlsSession>();
        using var server = StartEchoServer(false, out int port, connected);
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port, "-cipher", "ECDHE-ECDSA-AES128-CCM8",
            "-cert", _pki.ClientCert, "-key", _pki.ClientKey, "-CAfile", _pki.Ca, "-verify_return_error",
        });
        Assert.True(peer.WaitFor("Cipher is ECDHE-ECDSA-AES128-CCM8", Wait), peer.Output);
        Assert.Contains("Verify return code: 0 (ok)", peer.Output);
        peer.Stdin.WriteLine("ping from openssl");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("ping from openssl", Wait), peer.Output); // echoed back by our server
        AssertOurSessionWasAuthenticated(connected);
    }

    [Fact]
    public void OpenSslClientWithoutCertificateIsRefusedByOurServer()
    {
        var connected = new ConcurrentQueue<DtlsSession>();
        using var server = StartEchoServer(false, out int port, connected);
        using var peer = PeerProcess.Start("openssl", new[]
        {
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port, "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-CAfile", _pki.Ca,
        });
        Assert.True(peer.WaitFor("handshake failure", Wait), peer.Output); // alert 40 from our server
        Assert.Empty(connected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OurClientAgainstGnuTlsServerWithClientAuth(bool rpk)
    {
        int port = PeerProcess.FreeUdpPort();
        var args = new List<string> { "--udp", "--port", port.ToString(), "--require-client-cert", "--echo" };
        args.AddRange(rpk
            ? new[] { "--rawpkkeyfile", _pki.ServerKey, "--rawpkfile", _pki.ServerPub, "--priority", GnuTlsRpk }
            : new[] { "--x509certfile", _pki.ServerCert, "--x509keyfile", _pki.ServerKey, "--x509cafile", _pki.Ca, "--verify-client-cert", "--priority", GnuTlsX509 });
        using var peer = PeerProcess.Start("gnutls-serv", args);
        Assert.True(peer.WaitFor("listening", Wait), peer.Output);
        using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), null!, null!, Config(false, rpk));
        Assert.True(client.Connect(Wait), "handshake: " + client.Session.Failure + " " + client.Session.AlertDescription + "\n" + peer.Output);
        Assert.Equal(0xC0AE, client.Session.CipherSuite);
        Assert.True(client.Send(Encoding.ASCII.GetBytes("ping to gnutls")));
        byte[]? back = client.Receive(Wait);
        Assert.NotNull(back);
        Assert.Equal("ping to gnutls", Encoding.ASCII.GetString(back!));
        // gnutls-serv prints no session summary; our client only connects when the server echoed server_certificate_type
        // raw public key (rpk) or sent an X.509 chain to our CA with IP 127.0.0.1, and it authenticated us (required).
        Assert.True(peer.WaitFor("Processing 14 bytes command: ping to gnutls", Wait), peer.Output);
        client.Close();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GnuTlsClientWithClientAuthAgainstOurServer(bool rpk)
    {
        var connected = new ConcurrentQueue<DtlsSession>();
        using var server = StartEchoServer(rpk, out int port, connected);
        var args = new List<string> { "--udp", "--port", port.ToString(), "127.0.0.1" };
        args.AddRange(rpk
            ? new[] { "--rawpkkeyfile", _pki.ClientKey, "--rawpkfile", _pki.ClientPub, "--no-ca-verification", "--priority", GnuTlsRpk }
            : new[] { "--x509certfile", _pki.ClientCert, "--x509keyfile", _pki.ClientKey, "--x509cafile", _pki.Ca, "--priority", GnuTlsX509 });
        using var peer = PeerProcess.Start("gnutls-cli", args);
        Assert.True(peer.WaitFor("Handshake was completed", Wait), peer.Output);
        Assert.Contains(rpk ? "(DTLS1.2-Raw Public Key)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-128-CCM-8)"
                            : "(DTLS1.2-X.509)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-128-CCM-8)", peer.Output);
        peer.Stdin.WriteLine("ping from gnutls");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("ping from gnutls", Wait), peer.Output);
        AssertOurSessionWasAuthenticated(connected);
    }
}
