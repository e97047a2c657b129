using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Tests.Pki;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>`nfdtls dtls-client` / `dtls-server` with the ECDHE options (--rpk --trust-key --key, --cert --ca), as child processes.</summary>
public sealed class EcdheCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nfdtls-ecdhe-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs the server with <paramref name="args"/> (plus --echo --count 1), returns it once it listens.</summary>
    private static (Process Server, string Address, System.Text.StringBuilder Output) StartServer(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nfdtls.dll"));
        foreach (string a in new[] { "dtls-server", "--listen", "127.0.0.1:0", "--echo", "--count", "1" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        var listening = new TaskCompletionSource<string>();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal))
            {
                listening.TrySetResult(e.Data["listening ".Length..]);
            }
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.True(listening.Task.Wait(TimeSpan.FromSeconds(30)), "server did not start");
        return (p, listening.Task.Result, output);
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(true);
            p.WaitForExit(5000);
        }
        p.Dispose();
    }

    [Fact]
    public void RawPublicKeysWithClientAuthAndAnUnknownKeyRefused()
    {
        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string sk = Write("server.key", serverKey.ExportECPrivateKeyPem());
        string sp = Write("server.pub", serverKey.ExportSubjectPublicKeyInfoPem());
        string ck = Write("client.key", clientKey.ExportPkcs8PrivateKeyPem());
        string cp = Write("client.pub", clientKey.ExportSubjectPublicKeyInfoPem());
        string xk = Write("stranger.key", strangerKey.ExportECPrivateKeyPem());

        var (server, address, output) = StartServer("--rpk", "--key", sk, "--trust-key", cp, "--require-client-auth");
        try
        {
            var (refused, _, refusedErr) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--rpk", "--trust-key", sp, "--key", xk, "--send", "x", "--timeout", "5");
            Assert.Equal(3, refused);
            Assert.Contains("unknown_ca", refusedErr);

            var (code, stdout, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--rpk", "--trust-key", sp, "--key", ck, "--send", "hello rpk", "--timeout", "5");
            Assert.True(code == 0, err);
            Assert.Contains("suite TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", err);
            Assert.Contains("hello rpk", stdout); // echoed by the server
            Assert.True(server.WaitForExit(10000), "server did not exit after --count 1");
            lock (output)
            {
                Assert.Contains("suite TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", output.ToString());
            }
        }
        finally
        {
            Stop(server);
        }
    }

    [Fact]
    public void CertificatesWithClientAuthAndAnUntrustedCaRefused()
    {
        X509Certificate2 root = TestPki.Make("CLI Root", TestPki.CaOptions(), null);
        var serverOptions = TestPki.LeafOptions(dns: "localhost", ip: "127.0.0.1");
        serverOptions.NotBefore = DateTimeOffset.UtcNow.AddDays(-1);
        serverOptions.NotAfter = DateTimeOffset.UtcNow.AddDays(5);
        X509Certificate2 serverCert = TestPki.Make("server", serverOptions, root);
        X509Certificate2 clientCert = TestPki.Make("client", serverOptions, root);
        X509Certificate2 otherRoot = TestPki.Make("Other Root", TestPki.CaOptions(), null);
        string ca = Write("ca.pem", root.ExportCertificatePem());
        string other = Write("other.pem", otherRoot.ExportCertificatePem());
        string sc = Write("server.pem", serverCert.ExportCertificatePem() + "\n" + root.ExportCertificatePem());
        string skey = Write("server.key", serverCert.GetECDsaPrivateKey()!.ExportECPrivateKeyPem());
        string cc = Write("client.pem", clientCert.ExportCertificatePem());
        string ckey = Write("client.key", clientCert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var (server, address, _) = StartServer("--cert", sc, "--key", skey, "--ca", ca, "--require-client-auth");
        try
        {
            var (refused, _, refusedErr) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--ca", other, "--cert", cc, "--key", ckey, "--send", "x", "--timeout", "5");
            Assert.Equal(3, refused);
            Assert.Contains("unknown_ca", refusedErr);

            var (code, stdout, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--ca", ca, "--cert", cc, "--key", ckey, "--send", "hello x509", "--timeout", "5");
            Assert.True(code == 0, err);
            Assert.Contains("suite TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", err);
            Assert.Contains("hello x509", stdout);
        }
        finally
        {
            Stop(server);
        }
    }

    [Fact]
    public void MissingFilesAndIncompleteCredentialsAreUsageErrors()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", "127.0.0.1:9", "--ca", Path.Combine(_dir, "absent.pem"));
        Assert.Equal(2, code);
        Assert.Contains("absent.pem", err);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string k = Write("k.pem", key.ExportECPrivateKeyPem());
        (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-server", "--listen", "127.0.0.1:0", "--key", k);
        Assert.Equal(2, code);
        Assert.Contains("--cert", err);
        (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", "127.0.0.1:9", "--suite", "tls13");
        Assert.Equal(2, code);
        Assert.Contains("--suite", err);
    }
}
