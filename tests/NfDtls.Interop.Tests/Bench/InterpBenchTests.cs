using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace NfDtls.Interop.Tests.Bench;

/// <summary>
/// The interpreter bench (`NfDtls.Bench interp`) against the real Mono interpreter (tests/test.sh installs it): the
/// portable core and the workloads compile with Roslyn's csc against Mono's reference assemblies, run under
/// `mono --interpreter`, and each row comes out with its figures. Nothing is asserted about speed (that is the
/// bench's job, not a test's).
/// </summary>
public class InterpBenchTests
{
    [Fact]
    public async Task BuildsForMonoAndPrintsMeasuredRows()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NfDtls.Bench.dll"));
        foreach (string a in new[] { "interp", "--quick", "--rows", "sha256,ecdh", "--no-jit" })
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        Task<string> stderrTask = p.StandardError.ReadToEndAsync();
        Task<string> stdoutTask = p.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(limit.Token);
        string stdout = await stdoutTask;
        string stderr = await stderrTask;
        Assert.True(p.ExitCode == 0, "exit " + p.ExitCode + ": " + stdout + stderr);

        foreach (string row in new[] { "SHA-256 1 KiB", "ECDH P-256 shared secret" })
        {
            string? line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(row, StringComparison.Ordinal));
            Assert.True(line != null, "no row " + row + " in:\n" + stdout);
            // operation, mono interp, nanoCLR estimate, -inline (not run: "-"), desktop JIT (not run: "-")
            string[] cells = line![row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, cells.Length);
            double interp = double.Parse(cells[0], CultureInfo.InvariantCulture);
            double estimate = double.Parse(cells[1], CultureInfo.InvariantCulture);
            Assert.True(interp > 0, line);
            Assert.True(estimate > interp, "the nanoCLR estimate is the Mono time times a ratio above 1: " + line);
        }
        Assert.Contains("mono --interpreter", stdout);
    }
}
