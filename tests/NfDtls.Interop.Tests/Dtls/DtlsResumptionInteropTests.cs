using System.Collections.Concurrent;
using System.Net;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// Session resumption (RFC 5246 §7.3 abbreviated handshake, RFC 5077 tickets, RFC 7627 §5.3) against OpenSSL 3.0 and
/// GnuTLS 3.7, both directions, both suites (PSK; ECDHE-ECDSA with X.509, and with GnuTLS raw public keys), with the
/// session-ID cache and with tickets: the second connection is resumed on both ends and carries data. The peers' own
/// words are checked ("Reused" from s_server/s_client, "This is a resumed session" from gnutls-cli).
/// </summary>
public sealed class DtlsResumptionInteropTests : IDisposable
{
    private const string Identity = "nfdtls-resume";
    private const string KeyHex = "00112233445566778899aabbccddeeff";
    private const string GnuTlsPsk = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+PSK";
    private const string GnuTlsX509 = "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-CIPHER-ALL:+AES-128-CCM-8:-KX-ALL:+ECDHE-ECDSA";
    private const string GnuTlsRpk = GnuTlsX509 + ":-CTYPE-ALL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly PeerPkiFiles _pki = new("nfdtls-resume", "nf-dtls resumption CA");
    private readonly string _pskFile;

    public DtlsResumptionInteropTests()
    {
        _pskFile = _pki.Write("psk.txt", Identity + ":" + KeyHex + "\n");
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>suite: "psk", "x509" or "rpk"; mode: "tickets" or "cache" (our side's resumption mechanism).</summary>
    private DtlsConfig Config(bool server, string suite, string mode)
    {
        DtlsConfig c = DtlsUdpClient.DefaultConfig();
        c.InitialRetransmitMs = 500;
        c.HandshakeBufferSize = 4096;
        c.FlightBufferSize = 4096;
        c.SessionTickets = mode == "tickets";
        c.SessionCacheSize = server && mode == "cache" ? 16 : 0;
        if (suite == "psk")
        {
            return c;
        }
        bool rpk = suite == "rpk";
        c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
        c.Ecdhe = _pki.Credentials(server, rpk);
        return c;
    }

    private DtlsUdpClient NewClient(int port, string suite, string mode) => suite == "psk"
        ? new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), Encoding.ASCII.GetBytes(Identity), Convert.FromHexString(KeyHex), Config(false, suite, mode))
        : new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), null!, null!, Config(false, suite, mode));

    /// <summary>
    /// Our client connects twice (two processes' worth: a new client that loads the first one's saved state); the
    /// second handshake is resumed; data goes both ways. Returns the saved state's length.
    /// </summary>
    private int OurClientResumes(int port, string suite, string mode, PeerProcess peer, Func<string, bool> echoed)
    {
        byte[]? state;
        using (var first = NewClient(port, suite, mode))
        {
            Assert.True(first.Connect(Wait), "full handshake: " + first.Session.Failure + " " + first.Session.AlertDescription + "\n" + peer.Output);
            Assert.False(first.Session.WasResumed);
            Assert.True(first.Session.UsesExtendedMasterSecret);
            state = first.SaveResumption();
            Assert.NotNull(state);
            first.Close();
        }
        using var second = NewClient(port, suite, mode);
        Assert.True(second.LoadResumption(state!));
        Assert.True(second.Connect(Wait), "resumed handshake: " + second.Session.Failure + " " + second.Session.AlertDescription + "\n" + peer.Output);
        Assert.True(second.Session.WasResumed, "the server did not resume\n" + peer.Output);
        Assert.Equal(suite == "psk" ? 0xC0A8 : 0xC0AE, second.Session.CipherSuite);
        Assert.True(second.Send(Encoding.ASCII.GetBytes("resumed ping\n")));
        Assert.True(echoed("resumed ping"), peer.Output);
        second.Close();
        return state!.Length;
    }

    // ================================================================ OpenSSL 3.0

    private PeerProcess StartOpenSslServer(int port, string suite, string mode)
    {
        var args = new List<string> { "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port };
        if (suite == "psk")
        {
            args.AddRange(new[] { "-nocert", "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8" });
        }
        else
        {
            args.AddRange(new[] { "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-cert", _pki.ServerCert, "-key", _pki.ServerKey, "-CAfile", _pki.Ca, "-Verify", "1", "-verify_return_error" });
        }
        if (mode == "cache")
        {
            args.Add("-no_ticket");
        }
        var peer = PeerProcess.Start("openssl", args);
        Assert.True(peer.WaitFor("ACCEPT", Wait), peer.Output);
        return peer;
    }

    [Theory]
    [InlineData("psk", "tickets")]
    [InlineData("psk", "cache")]
    [InlineData("x509", "tickets")]
    [InlineData("x509", "cache")]
    public void OurClientResumesWithOpenSslServer(string suite, string mode)
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = StartOpenSslServer(port, suite, mode);
        int length = OurClientResumes(port, suite, mode, peer, text => peer.WaitFor(text, Wait));
        Assert.True(peer.WaitFor("Reused session-id", Wait), peer.Output); // s_server's word for a resumed session
        if (mode == "cache")
        {
            Assert.InRange(length, 60, 200); // a session ID, no ticket
        }
        else
        {
            Assert.InRange(length, 200, DtlsClient.MaxResumptionStateLength); // with OpenSSL's ticket
        }
    }

    /// <summary>Our echo server; <paramref name="connected"/> gets each handshake's session and whether it was resumed (slots are reused).</summary>
    private DtlsUdpServer StartOurServer(string suite, string mode, ConcurrentQueue<(DtlsSession Session, bool Resumed, bool Ems, string Identity)> connected)
    {
        var keys = new PskTable(1);
        keys.Add(Encoding.ASCII.GetBytes(Identity), Convert.FromHexString(KeyHex));
        var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, Config(true, suite, mode));
        server.Connected += s => connected.Enqueue((s, s.WasResumed, s.UsesExtendedMasterSecret, s.PskIdentityText()));
        server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
        server.Start();
        return server;
    }

    private List<string> OpenSslClientArgs(int port, string suite)
    {
        var args = new List<string> { "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port };
        if (suite == "psk")
        {
            args.AddRange(new[] { "-psk", KeyHex, "-psk_identity", Identity, "-cipher", "PSK-AES128-CCM8" });
        }
        else
        {
            args.AddRange(new[] { "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-cert", _pki.ClientCert, "-key", _pki.ClientKey, "-CAfile", _pki.Ca, "-verify_return_error" });
        }
        return args;
    }

    [Theory]
    [InlineData("psk", "tickets")]
    [InlineData("psk", "cache")]
    [InlineData("x509", "tickets")]
    [InlineData("x509", "cache")]
    public void OpenSslClientResumesWithOurServer(string suite, string mode)
    {
        var connected = new ConcurrentQueue<(DtlsSession Session, bool Resumed, bool Ems, string Identity)>();
        using var server = StartOurServer(suite, mode, connected);
        int port = server.LocalEndPoint.Port;
        string sessionFile = Path.Combine(_pki.Dir, "openssl-" + suite + "-" + mode + ".sess");
        string cipher = suite == "psk" ? "PSK-AES128-CCM8" : "ECDHE-ECDSA-AES128-CCM8";
        for (int run = 0; run < 2; run++)
        {
            var args = OpenSslClientArgs(port, suite);
            args.AddRange(run == 0 ? new[] { "-sess_out", sessionFile } : new[] { "-sess_in", sessionFile });
            if (mode == "cache")
            {
                args.Add("-no_ticket");
            }
            using var peer = PeerProcess.Start("openssl", args);
            Assert.True(peer.WaitFor((run == 0 ? "New, " : "Reused, ") + "TLSv1.2, Cipher is " + cipher, Wait), peer.Output);
            peer.Stdin.WriteLine("openssl run " + run);
            peer.Stdin.Flush();
            Assert.True(peer.WaitFor("openssl run " + run, Wait), peer.Output); // echoed by our server
            peer.Stdin.Close(); // s_client ends the connection (close_notify) and writes -sess_out
            Assert.True(peer.WaitForExit(Wait), peer.Output);
            if (run == 0)
            {
                Assert.True(File.Exists(sessionFile), peer.Output);
            }
        }
        var sessions = connected.ToArray();
        Assert.Equal(2, sessions.Length);
        Assert.False(sessions[0].Resumed);
        Assert.True(sessions[1].Resumed);
        Assert.Equal(mode == "cache" ? 1 : 0, server.Engine.CachedSessions);
        if (suite == "psk")
        {
            Assert.Equal(Identity, sessions[1].Identity); // the resumed session shows the identity the full one did
        }
    }

    // ================================================================ GnuTLS 3.7

    private PeerProcess StartGnuTlsServer(int port, string suite, string mode)
    {
        var args = new List<string> { "--udp", "--port", port.ToString(), "--echo" };
        string priority = suite == "psk" ? GnuTlsPsk : suite == "rpk" ? GnuTlsRpk : GnuTlsX509;
        if (mode == "cache")
        {
            priority += ":%NO_TICKETS";
        }
        if (suite == "psk")
        {
            args.AddRange(new[] { "--pskpasswd", _pskFile });
        }
        else if (suite == "rpk")
        {
            args.AddRange(new[] { "--require-client-cert", "--rawpkkeyfile", _pki.ServerKey, "--rawpkfile", _pki.ServerPub });
        }
        else
        {
            args.AddRange(new[] { "--require-client-cert", "--x509certfile", _pki.ServerCert, "--x509keyfile", _pki.ServerKey, "--x509cafile", _pki.Ca, "--verify-client-cert" });
        }
        args.AddRange(new[] { "--priority", priority });
        var peer = PeerProcess.Start("gnutls-serv", args);
        Assert.True(peer.WaitFor("listening", Wait), peer.Output);
        return peer;
    }

    [Theory]
    [InlineData("psk", "tickets")]
    [InlineData("psk", "cache")]
    [InlineData("x509", "tickets")]
    [InlineData("x509", "cache")]
    [InlineData("rpk", "tickets")]
    [InlineData("rpk", "cache")]
    public void OurClientResumesWithGnuTlsServer(string suite, string mode)
    {
        int port = PeerProcess.FreeUdpPort();
        using var peer = StartGnuTlsServer(port, suite, mode);
        int length = OurClientResumes(port, suite, mode, peer, text => peer.WaitFor("command: " + text, Wait));
        if (mode == "cache")
        {
            Assert.InRange(length, 60, 200);
        }
        else
        {
            Assert.InRange(length, 200, DtlsClient.MaxResumptionStateLength); // with GnuTLS's ticket
        }
    }

    [Theory]
    [InlineData("psk", "tickets")]
    [InlineData("psk", "cache")]
    [InlineData("x509", "tickets")]
    [InlineData("x509", "cache")]
    [InlineData("rpk", "tickets")]
    [InlineData("rpk", "cache")]
    public void GnuTlsClientResumesWithOurServer(string suite, string mode)
    {
        var connected = new ConcurrentQueue<(DtlsSession Session, bool Resumed, bool Ems, string Identity)>();
        using var server = StartOurServer(suite, mode, connected);
        int port = server.LocalEndPoint.Port;
        var args = new List<string> { "--udp", "--port", port.ToString(), "127.0.0.1", "--resume" };
        string priority = suite == "psk" ? GnuTlsPsk : suite == "rpk" ? GnuTlsRpk : GnuTlsX509;
        if (mode == "cache")
        {
            priority += ":%NO_TICKETS";
        }
        if (suite == "psk")
        {
            args.AddRange(new[] { "--pskusername", Identity, "--pskkey", KeyHex });
        }
        else if (suite == "rpk")
        {
            args.AddRange(new[] { "--rawpkkeyfile", _pki.ClientKey, "--rawpkfile", _pki.ClientPub, "--no-ca-verification" });
        }
        else
        {
            args.AddRange(new[] { "--x509certfile", _pki.ClientCert, "--x509keyfile", _pki.ClientKey, "--x509cafile", _pki.Ca });
        }
        args.AddRange(new[] { "--priority", priority });
        using var peer = PeerProcess.Start("gnutls-cli", args);
        Assert.True(peer.WaitFor("This is a resumed session", Wait), peer.Output);
        peer.Stdin.WriteLine("gnutls resumed");
        peer.Stdin.Flush();
        Assert.True(peer.WaitFor("gnutls resumed", Wait), peer.Output); // echoed by our server over the resumed session
        var sessions = connected.ToArray();
        Assert.Equal(2, sessions.Length);
        Assert.False(sessions[0].Resumed);
        Assert.True(sessions[1].Resumed);
        Assert.True(sessions[1].Ems);
        Assert.Equal(mode == "cache" ? 1 : 0, server.Engine.CachedSessions);
    }
}
