using System.Diagnostics;
using System.Text;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>`nfdtls dtls-client` / `nfdtls dtls-server` as child processes: output and exit codes (the issue 3 contract).</summary>
public class DtlsCommandTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    [Fact]
    public void HelpShowsExamples()
    {
        var (code, output, _) = ProvisionCommandTests.Nfdtls("dtls-client", "--help");
        Assert.Equal(0, code);
        Assert.Contains("examples:", output);
        Assert.Contains("--psk-identity", output);
        (code, output, _) = ProvisionCommandTests.Nfdtls("dtls-server", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--echo", output);
    }

    [Fact]
    public void MissingOptionIsAUsageError()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--psk-identity", "a", "--psk-key", Key);
        Assert.Equal(2, code);
        Assert.Contains("--connect", err);
    }

    [Fact]
    public void ClientTimesOutWithoutServer()
    {
        int port = FreePort();
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", "127.0.0.1:" + port, "--psk-identity", "a", "--psk-key", Key, "--send", "x", "--timeout", "1.5");
        Assert.Equal(4, code);
        Assert.Contains("timed out", err);
    }

    [Fact]
    public void ClientAndServerCommandsTalkAndWrongKeyFails()
    {
        using var server = Start("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--echo", "--count", "1");
        string listening = server.ReadLine(TimeSpan.FromSeconds(30)) ?? "";
        Assert.StartsWith("listening 127.0.0.1:", listening);
        string address = listening["listening ".Length..];

        var (bad, _, badErr) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", "ffeeddccbbaa99887766554433221100", "--send", "x", "--timeout", "5");
        Assert.Equal(3, bad);
        Assert.Contains("handshake failed", badErr);

        var (code, output, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key, "--send", "hello nfdtls", "--timeout", "5");
        Assert.True(code == 0, err);
        Assert.Contains("hello nfdtls", output);
        Assert.Contains("suite TLS_PSK_WITH_AES_128_CCM_8", err);

        Assert.True(server.Process.WaitForExit(10000), "server did not exit after --count 1");
        Assert.Equal(0, server.Process.ExitCode);
        string all = server.ReadAll();
        Assert.Contains("handshake 127.0.0.1:", all);
        Assert.Contains("identity dev suite TLS_PSK_WITH_AES_128_CCM_8", all);
        Assert.Contains("hello nfdtls", all);
    }

    private static int FreePort()
    {
        using var s = new System.Net.Sockets.UdpClient(0);
        return ((System.Net.IPEndPoint)s.Client.LocalEndPoint!).Port;
    }

    private sealed class Child : IDisposable
    {
        public required Process Process;
        private readonly StringBuilder _out = new();
        private readonly Queue<string> _lines = new();

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
