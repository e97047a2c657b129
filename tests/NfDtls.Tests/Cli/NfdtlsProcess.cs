using System.Diagnostics;
using System.Text;

namespace NfDtls.Tests.Cli;

/// <summary>
/// A long-running `nfdtls` command (a server, a gateway) started from the built CLI beside the tests: its standard
/// output read line by line as it comes (e.g. the `listening ...` line that gives the port), its standard error kept
/// whole; killed with its children on dispose if it is still running.
/// </summary>
internal sealed class NfdtlsProcess : IDisposable
{
    public readonly Process Process;
    private readonly StringBuilder _out = new();
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _err = new();

    private NfdtlsProcess(Process process)
    {
        Process = process;
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
                lock (_err)
                {
                    _err.AppendLine(e.Data);
                }
            }
        };
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    /// <summary>Runs `dotnet exec nfdtls.dll ARGS`.</summary>
    public static NfdtlsProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nfdtls.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return new NfdtlsProcess(Process.Start(psi)!);
    }

    /// <summary>The next standard output line not read yet, or null when none comes within <paramref name="timeout"/>.</summary>
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

    /// <summary>All the standard output so far, read lines included.</summary>
    public string ReadAll()
    {
        lock (_lines)
        {
            return _out.ToString();
        }
    }

    /// <summary>All the standard error so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
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
