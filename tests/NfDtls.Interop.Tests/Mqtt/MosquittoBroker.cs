using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using NfDtls.Interop.Tests.Peers;

namespace NfDtls.Interop.Tests.Mqtt;

/// <summary>
/// A real Mosquitto broker on a free loopback port, from a config file written here (listener, anonymous, optional
/// persistence so a restart keeps sessions). Killed on dispose; a missing mosquitto fails the test.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly bool _ownsDir;

    private MosquittoBroker(Process process, int port, string dir, bool ownsDir)
    {
        _process = process;
        Port = port;
        _dir = dir;
        _ownsDir = ownsDir;
    }

    public int Port { get; }

    /// <summary>Starts mosquitto and waits until it accepts TCP connections.</summary>
    /// <param name="port">0 = a free port.</param>
    /// <param name="persistDir">When set, sessions and queued messages are saved there on a clean stop and reloaded on start.</param>
    public static MosquittoBroker Start(int port = 0, string? persistDir = null)
    {
        string program = PeerProcess.Which("mosquitto")
            ?? throw new InvalidOperationException("mosquitto is not installed: tests/test.sh installs it (apt-get install mosquitto)");
        if (port == 0)
        {
            port = PeerProcess.FreeTcpPort();
        }
        bool ownsDir = persistDir == null;
        string dir = persistDir ?? Path.Combine(Path.GetTempPath(), "nfdtls-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        if (persistDir != null && !OperatingSystem.IsWindows())
        {
            // Started as root, mosquitto drops to its own user before it saves the persistence file.
            File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        }
        string conf = Path.Combine(dir, "mosquitto-" + port + ".conf");
        File.WriteAllText(conf,
            "listener " + port + " 127.0.0.1\n" +
            "allow_anonymous true\n" +
            (persistDir != null ? "persistence true\npersistence_location " + dir + "/\n" : "persistence false\n") +
            "log_dest stderr\n" +
            "log_type error\nlog_type warning\nlog_type notice\n");
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(conf);
        var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        var broker = new MosquittoBroker(p, port, dir, ownsDir);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (p.HasExited)
            {
                broker.Dispose();
                throw new InvalidOperationException("mosquitto exited at start (exit code " + p.ExitCode + ")");
            }
            try
            {
                using var c = new TcpClient();
                c.Connect("127.0.0.1", port);
                return broker;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }
        broker.Dispose();
        throw new TimeoutException("mosquitto did not listen on port " + port);
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    /// <summary>A clean stop (SIGTERM): mosquitto saves its persistence file and closes every connection.</summary>
    public void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }
        if (SysKill(_process.Id, 15) != 0 || !_process.WaitForExit(10000))
        {
            _process.Kill(true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        if (_ownsDir && Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }
}
