using System.Diagnostics;
using System.Text;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// `--session FILE` on `nfdtls dtls-client` and the coaps:// request commands, `--tickets` / `--session-cache N` on
/// `nfdtls dtls-server` and `nfdtls serve` (issue 13 §4): the first run says `full handshake` and saves the session
/// (mode 0600), the second says `resumed`.
/// </summary>
public partial class SessionResumptionCommandTests : IDisposable
{
    private const string Key = "00112233445566778899aabbccddeeff";
    private readonly string _dir = Directory.CreateTempSubdirectory("nfdtls-session-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string[] ErrLines(string err) => err.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("--tickets")]
    [InlineData("--session-cache")]
    [InlineData("both")]
    public void DtlsClientSecondRunIsResumed(string mode)
    {
        var args = new List<string> { "dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--echo", "--count", "3" };
        if (mode != "--session-cache")
        {
            args.Add("--tickets");
        }
        if (mode != "--tickets")
        {
            args.AddRange(new[] { "--session-cache", "8" });
        }
        using var server = Start(args.ToArray());
        string address = Listening(server);
        string session = Path.Combine(_dir, "s-" + mode.Trim('-') + ".bin");

        string[] Run(string text)
        {
            var (code, output, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key,
                                                                   "--send", text, "--timeout", "5", "--session", session);
            Assert.True(code == 0, err);
            Assert.Contains(text, output);
            return ErrLines(err);
        }

        Assert.Contains("full handshake", Run("first"));
        Assert.True(File.Exists(session));
        Assert.InRange(new FileInfo(session).Length, 60, 2000);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(session));
        }
        string[] second = Run("second");
        Assert.Contains("resumed", second);
        Assert.DoesNotContain("full handshake", second);
        Assert.Contains("resumed", Run("third"));

        Assert.True(server.Process.WaitForExit(10000), "server did not exit after --count 3");
        string all = server.ReadAll();
        Assert.Equal(2, all.Split('\n').Count(l => l.StartsWith("handshake ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" resumed", StringComparison.Ordinal)));
    }

    [Fact]
    public void DamagedSessionFileGivesAFullHandshake()
    {
        using var server = Start("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--echo", "--count", "2", "--tickets");
        string address = Listening(server);
        string session = Path.Combine(_dir, "junk.bin");
        File.WriteAllBytes(session, Encoding.ASCII.GetBytes("not a session at all"));
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key,
                                                         "--send", "x", "--timeout", "5", "--session", session);
        Assert.True(code == 0, err);
        Assert.Contains("full handshake", ErrLines(err));
        (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key,
                                                     "--send", "y", "--timeout", "5", "--session", session);
        Assert.True(code == 0, err);
        Assert.Contains("resumed", ErrLines(err));
    }

    [Fact]
    public void CoapsGetSecondRunIsResumed()
    {
        using var server = Start("serve", "--coaps", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--tickets", "--session-cache", "4");
        string port = "";
        for (var sw = Stopwatch.StartNew(); port == "" && sw.Elapsed < TimeSpan.FromSeconds(30); Thread.Sleep(50))
        {
            string err;
            lock (server.Err)
            {
                err = server.Err.ToString();
            }
            port = System.Text.RegularExpressions.Regex.Match(err, @"listening on coaps://127\.0\.0\.1:(\d+)").Groups[1].Value;
        }
        Assert.NotEqual("", port);
        string session = Path.Combine(_dir, "coaps.bin");
        for (int run = 0; run < 2; run++)
        {
            var (code, output, err) = ProvisionCommandTests.Nfdtls("get", "coaps://127.0.0.1:" + port + "/hello", "--psk-identity", "dev", "--psk-key", Key,
                                                                   "--timeout", "10", "--session", session);
            Assert.True(code == 0, err);
            Assert.NotEqual("", output.Trim());
            Assert.Contains(run == 0 ? "full handshake" : "resumed", ErrLines(err));
        }
    }

    [Fact]
    public void GatewayResumesNodesByDefault()
    {
        // `nfdtls gateway` has tickets and a session cache on without being asked (issue 13 §4): a PSK and an rpk
        // (ECDHE-ECDSA) node's second connection is resumed.
        string fleet = Path.Combine(_dir, "fleet");
        var (code, _, err) = ProvisionCommandTests.Nfdtls("provision", "--out", fleet, "--nodes", "2", "--security", "psk,rpk", "--gateway-host", "127.0.0.1");
        Assert.True(code == 0, err);
        using var gateway = Start("gateway", "--credentials", Path.Combine(fleet, "gateway.json"), "--listen", "127.0.0.1:0", "--for", "60");
        string port = "";
        for (var sw = Stopwatch.StartNew(); port == "" && sw.Elapsed < TimeSpan.FromSeconds(30); Thread.Sleep(50))
        {
            port = System.Text.RegularExpressions.Regex.Match(gateway.ReadAll(), @"gateway listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;
        }
        Assert.NotEqual("", port);
        foreach (string node in new[] { "node-001", "node-002" })
        {
            string session = Path.Combine(_dir, node + ".session");
            for (int run = 0; run < 2; run++)
            {
                // The gateway takes CoAP, not text: no record comes back (exit 4), but the handshake is what counts here.
                var (c, _, e) = ProvisionCommandTests.Nfdtls("dtls-client", "--settings", Path.Combine(fleet, "nodes", node + ".settings"),
                                                             "--connect", "127.0.0.1:" + port, "--send", "x", "--timeout", "2", "--session", session);
                Assert.True(c == 0 || c == 4, node + " run " + run + ": exit " + c + "\n" + e);
                Assert.Contains(run == 0 ? "full handshake" : "resumed", ErrLines(e));
            }
        }
    }

    [Fact]
    public void SessionIsForCoapsOnly()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("get", "coap://127.0.0.1:5683/hello", "--session", Path.Combine(_dir, "x.bin"));
        Assert.Equal(2, code);
        Assert.Contains("--session", err);
    }

    private static string Listening(Child server)
    {
        string listening = server.ReadLine(TimeSpan.FromSeconds(30)) ?? "";
        Assert.StartsWith("listening 127.0.0.1:", listening);
        return listening["listening ".Length..];
    }

    private sealed class Child : IDisposable
    {
        public required Process Process;
        private readonly StringBuilder _out = new();
        private readonly Queue<string> _lines = new();
        public readonly StringBuilder Err = new();

        public void Attach()
        {
            Process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null)
                {
                    return;
                }
                lock (_lines)
                {
                    _lines.Enqueue(e.Data);
                    _out.AppendLine(e.Data);
                }
            };
            Process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (Err)
                    {
                        Err.AppendLine(e.Data);
                    }
                }
            };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public string? ReadLine(TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < timeout)
            {
                lock (_lines)
                {
                    if (_lines.Count > 0)
                    {
                        return _lines.Dequeue();
                    }
                }
                Thread.Sleep(20);
            }
            return null;
        }

        public string ReadAll()
        {
            lock (_lines)
            {
                return _out.ToString();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(true);
                Process.WaitForExit(5000);
            }
            Process.Dispose();
        }
    }

    private static Child Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nfdtls.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var child = new Child { Process = Process.Start(psi)! };
        child.Attach();
        return child;
    }
}
