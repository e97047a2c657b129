using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Coap;

/// <summary>
/// coaps:// with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7925 §4.4) through the command line: `nfdtls get` with
/// certificates or raw public keys against `nfdtls serve`, with certificates against libcoap's coap-server-gnutls,
/// and with rpk/x509 device settings files against `nfdtls gateway`.
/// </summary>
public sealed class CliCoapsEcdheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nfdtls-coaps-ecdhe").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

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

    private string Path_(string name) => Path.Combine(_dir, name);

    /// <summary>A P-256 CA with a server certificate (IP 127.0.0.1) and a client certificate, as PEM files: name.pem, name.key, name.pub.</summary>
    private void MakePki(string ca, params string[] leaves)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=" + ca, caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var caCert = caReq.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));
        File.WriteAllText(Path_(ca + ".pem"), caCert.ExportCertificatePem());
        byte serial = 1;
        foreach (string leaf in leaves)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest("CN=" + leaf, key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
            using var cert = req.Create(caCert, now.AddHours(-1), now.AddDays(1), new byte[] { serial++, 0x42 });
            File.WriteAllText(Path_(leaf + ".pem"), cert.ExportCertificatePem());
            File.WriteAllText(Path_(leaf + ".key"), key.ExportECPrivateKeyPem());
            File.WriteAllText(Path_(leaf + ".pub"), key.ExportSubjectPublicKeyInfoPem());
        }
    }

    private PeerProcess Serve(out int port, params string[] options)
    {
        port = PeerProcess.FreeUdpPort();
        var serve = PeerProcess.Start(Nfdtls(), new[] { "serve", "--coaps", "--listen", "127.0.0.1:" + port }.Concat(options), redirectStdin: false);
        Assert.True(serve.WaitFor("listening on", TimeSpan.FromSeconds(20)), serve.Output);
        return serve;
    }

    [Fact]
    public void GetWithCertificatesAgainstOurServeRequiringClientAuth()
    {
        MakePki("fleet-ca", "server", "client");
        MakePki("other-ca", "stranger");
        using var serve = Serve(out int port, "--cert", Path_("server.pem"), "--key", Path_("server.key"), "--ca", Path_("fleet-ca.pem"), "--require-client-auth");
        string uri = "coaps://127.0.0.1:" + port;

        var get = Run("get", uri + "/hello", "--cert", Path_("client.pem"), "--key", Path_("client.key"), "--ca", Path_("fleet-ca.pem"), "-v");
        Assert.True(get.Exit == 0, get.Stderr);
        Assert.Equal("Hello from nfdtls", get.Stdout.TrimEnd('\n'));
        Assert.Contains("cipher suite 0xc0ae", get.Stderr); // TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8

        var observe = Run("observe", uri + "/clock", "--count", "2", "--cert", Path_("client.pem"), "--key", Path_("client.key"), "--ca", Path_("fleet-ca.pem"));
        Assert.Equal(0, observe.Exit);
        Assert.Equal(2, observe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // A client certificate from another CA, no client certificate, and a server we do not trust: all refused (exit 3).
        Assert.Equal(3, Run("get", uri + "/hello", "--cert", Path_("stranger.pem"), "--key", Path_("stranger.key"), "--ca", Path_("fleet-ca.pem"), "--timeout", "10").Exit);
        Assert.Equal(3, Run("get", uri + "/hello", "--suite", "ecdhe", "--ca", Path_("fleet-ca.pem"), "--timeout", "10").Exit);
        Assert.Equal(3, Run("get", uri + "/hello", "--cert", Path_("client.pem"), "--key", Path_("client.key"), "--ca", Path_("other-ca.pem"), "--timeout", "10").Exit);
        // ECDHE options make no sense for coap:// (usage).
        Assert.Equal(2, Run("get", "coap://127.0.0.1:" + port + "/hello", "--ca", Path_("fleet-ca.pem")).Exit);
    }

    [Fact]
    public void GetWithRawPublicKeysAgainstOurServe()
    {
        MakePki("ca", "server", "client", "stranger");
        using var serve = Serve(out int port, "--rpk", "--key", Path_("server.key"), "--trust-key", Path_("client.pub"), "--require-client-auth");
        string uri = "coaps://127.0.0.1:" + port;
        var get = Run("put", uri + "/store", "--payload", "pinned", "--content-format", "0", "--rpk", "--key", Path_("client.key"), "--trust-key", Path_("server.pub"));
        Assert.True(get.Exit == 0, get.Stderr);
        var back = Run("get", uri + "/store", "--rpk", "--key", Path_("client.key"), "--trust-key", Path_("server.pub"), "-v");
        Assert.Equal("pinned", back.Stdout.TrimEnd('\n'));
        Assert.Contains("cipher suite 0xc0ae", back.Stderr);
        // A key the server does not pin, and a server key we do not pin: refused.
        Assert.Equal(3, Run("get", uri + "/hello", "--rpk", "--key", Path_("stranger.key"), "--trust-key", Path_("server.pub"), "--timeout", "10").Exit);
        Assert.Equal(3, Run("get", uri + "/hello", "--rpk", "--key", Path_("client.key"), "--trust-key", Path_("stranger.pub"), "--timeout", "10").Exit);
    }

    [Fact]
    public void GetWithCertificatesAgainstLibcoapPkiServer()
    {
        MakePki("fleet-ca", "server", "client");
        MakePki("other-ca", "stranger");
        int port = LibcoapRunner.FreePair();
        // coap-server-gnutls: -c certificate, -j key, -C CA (it asks for and checks the client's certificate).
        using var server = PeerProcess.Start("coap-server-gnutls", new[]
        {
            "-A", "127.0.0.1", "-p", port.ToString(), "-c", Path_("server.pem"), "-j", Path_("server.key"), "-C", Path_("fleet-ca.pem"), "-v", "6",
        }, redirectStdin: false);
        string uri = "coaps://127.0.0.1:" + (port + 1) + "/";
        (int Exit, string Stdout, string Stderr) get = default;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            get = Run("get", uri, "--cert", Path_("client.pem"), "--key", Path_("client.key"), "--ca", Path_("fleet-ca.pem"), "--timeout", "3", "-v");
            if (get.Exit != 4)
            {
                break; // 4 = no answer yet: the server is still starting
            }
        }
        Assert.True(get.Exit == 0, get.Stderr + server.Output);
        Assert.Contains("libcoap", get.Stdout);
        Assert.Contains("cipher suite 0xc0ae", get.Stderr); // GnuTLS negotiated ECDHE-ECDSA with AES-128-CCM-8
        // It asked for our certificate and checked it against -C (libcoap names it by SAN DNS/CN; ours carries an IP SAN).
        Assert.True(server.WaitFor("presented by client (Certificate)", TimeSpan.FromSeconds(5)), server.Output);
        // GnuTLS refuses a client certificate from another CA: a failed handshake (3), not a timeout.
        var stranger = Run("get", uri, "--cert", Path_("stranger.pem"), "--key", Path_("stranger.key"), "--ca", Path_("fleet-ca.pem"), "--timeout", "10");
        Assert.True(stranger.Exit == 3, stranger.Stderr);
    }

    [Fact]
    public void RpkAndX509SettingsFilesPostToTheGateway()
    {
        string fleet = Path_("fleet");
        int port = PeerProcess.FreeUdpPort();
        var provision = Run("provision", "--out", fleet, "--nodes", "3", "--security", "psk,rpk,x509", "--gateway-host", "127.0.0.1", "--gateway-port", port.ToString());
        Assert.True(provision.Exit == 0, provision.Stderr);
        using var gateway = PeerProcess.Start(Nfdtls(), new[] { "gateway", "--credentials", Path.Combine(fleet, "gateway.json"), "--listen", "127.0.0.1:" + port, "--for", "60" }, redirectStdin: false);
        Assert.True(gateway.WaitFor("listening on", TimeSpan.FromSeconds(20)), gateway.Output);
        for (int n = 1; n <= 3; n++)
        {
            var post = Run("post", "coaps://127.0.0.1:" + port + "/readings", "--settings", Path.Combine(fleet, "nodes", "node-00" + n + ".settings"),
                "--payload", "[{\"bn\":\"t/\",\"n\":\"temperature\",\"u\":\"Cel\",\"v\":2" + n + ".5},{\"n\":\"seq\",\"v\":1}]", "--content-format", "110", "-v");
            Assert.True(post.Exit == 0, "node-00" + n + ": " + post.Stderr);
            Assert.StartsWith("2.04", post.Stderr.Split('\n').First(l => !l.StartsWith("nfdtls")));
            Assert.Contains(n == 1 ? "cipher suite 0xc0a8" : "cipher suite 0xc0ae", post.Stderr);
            // The gateway named each node by its credential: PSK identity, raw key, or the key in its certificate.
            Assert.True(gateway.WaitFor("node-00" + n + " temperature = 2" + n + ".5 Cel", TimeSpan.FromSeconds(5)), gateway.Output);
        }
    }
}
