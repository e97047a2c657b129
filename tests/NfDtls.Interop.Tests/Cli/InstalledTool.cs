using System.Diagnostics;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Cli;

/// <summary>
/// `nfdtls` packed and installed the way issue 7 tells users to: `dotnet pack tools/NfDtls.Cli -o artifacts`, then
/// `dotnet tool install --tool-path DIR --add-source artifacts nfdtls`. Done once per test class, in a temporary
/// folder with its own nuget.config (only the artifacts feed) and its own package folder, so neither another feed
/// nor a stale nfdtls in the user's NuGet cache can stand in for the freshly packed tool.
/// </summary>
public sealed class InstalledTool : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "nfdtls-installed-" + Guid.NewGuid().ToString("N"));

    /// <summary>The installed command (DIR/nfdtls).</summary>
    public string Command { get; }

    public InstalledTool()
    {
        string repo = RepoRoot();
        string artifacts = Path.Combine(Root, "artifacts");
        Directory.CreateDirectory(artifacts);
        // The test assembly was built in some configuration; the CLI project reference was built in the same one.
        string configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Debug/") ? "Debug" : "Release";
        string project = Path.Combine(repo, "tools", "NfDtls.Cli", "NfDtls.Cli.csproj");
        var pack = Dotnet(Root, false, "pack", project, "-c", configuration, "-o", artifacts, "--no-build", "-nologo", "-v", "q");
        if (pack.Exit != 0)
        {
            pack = Dotnet(Root, false, "pack", project, "-c", configuration, "-o", artifacts, "-nologo", "-v", "q");
        }
        Assert.True(pack.Exit == 0, "dotnet pack failed: " + pack.Output);
        Assert.True(File.Exists(Path.Combine(artifacts, "nfdtls.0.1.0.nupkg")) || Directory.GetFiles(artifacts, "nfdtls.*.nupkg").Length == 1,
            "no nfdtls package in " + artifacts);
        File.WriteAllText(Path.Combine(Root, "nuget.config"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /><add key=\"artifacts\" value=\"" + artifacts + "\" /></packageSources></configuration>\n");
        string tools = Path.Combine(Root, "tools");
        var install = Dotnet(Root, true, "tool", "install", "--tool-path", tools, "--configfile", Path.Combine(Root, "nuget.config"), "--add-source", artifacts, "nfdtls");
        Assert.True(install.Exit == 0, "dotnet tool install failed: " + install.Output);
        Command = Path.Combine(tools, OperatingSystem.IsWindows() ? "nfdtls.exe" : "nfdtls");
        Assert.True(File.Exists(Command), Command + " was not installed: " + install.Output);
    }

    /// <summary>Runs the installed nfdtls to completion (killed after <paramref name="limitSeconds"/>).</summary>
    public (int Exit, string Stdout, string Stderr) Run(int limitSeconds, params string[] args)
    {
        using var p = PeerProcess.Start(Command, args, Root, redirectStdin: false);
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(limitSeconds)), "nfdtls " + string.Join(" ", args) + " did not finish: " + p.Output);
        return (p.ExitCode, p.Stdout, p.Stderr);
    }

    /// <summary>Starts a long-running installed nfdtls (a server); the caller disposes it, which kills it.</summary>
    public PeerProcess Start(params string[] args) => PeerProcess.Start(Command, args, Root, redirectStdin: false);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
        }
    }

    /// <param name="isolated">use a package folder of our own (the install; a build still needs the user's cache)</param>
    private static (int Exit, string Output) Dotnet(string workingDirectory, bool isolated, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (isolated)
        {
            psi.Environment["NUGET_PACKAGES"] = Path.Combine(workingDirectory, "packages");
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(true);
            return (-1, "dotnet " + string.Join(" ", args) + " timed out");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
        {
            dir = dir.Parent;
        }
        Assert.True(dir != null, "repository root not found above " + AppContext.BaseDirectory);
        return dir!.FullName;
    }
}
