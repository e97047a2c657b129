using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NfDtls.Interop.Tests.Peers;

/// <summary>
/// A real peer (openssl, gnutls-serv, coap-server-gnutls, mosquitto…) run as a child process: output captured,
/// waited on by text, killed on dispose. A missing program is a test failure, never a skip.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _gate = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public static PeerProcess Start(string program, IEnumerable<string> args, string? workingDirectory = null, bool redirectStdin = true)
    {
        string path = Which(program) ?? throw new InvalidOperationException(
            program + " is not installed: tests/test.sh installs the interop peers (run it, or apt-get install the package)");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (peer._gate) peer._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (peer._gate) peer._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }
    public string Output => Stdout + Stderr;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public StreamWriter Stdin => _process.StandardInput;

    /// <summary>Waits until stdout or stderr contains <paramref name="text"/>; false on timeout or exit.</summary>
    public bool WaitFor(string text, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            if (_process.HasExited)
            {
                Thread.Sleep(50);
                return Output.Contains(text, StringComparison.Ordinal);
            }
            Thread.Sleep(20);
        }
        return false;
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit(); // drain async output
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    /// <summary>Full path of a program on PATH (plus /usr/sbin for mosquitto), or null.</summary>
    public static string? Which(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/usr/bin", "/sbin" });
        foreach (var d in dirs)
        {
            var p = Path.Combine(d, program);
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>A UDP port free on loopback right now.</summary>
    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
