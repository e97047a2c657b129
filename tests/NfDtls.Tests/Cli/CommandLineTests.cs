using System.Diagnostics;
using NfDtls.Cli;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Cli;

/// <summary>
/// What System.CommandLine brings to `nfdtls` (issue 15): --version, "did you mean" for mistyped commands and options,
/// @FILE response files, shell completion; and what must not change: usage errors exit 2, values read as before.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfdtls-cl-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void VersionIsTheToolsVersion()
    {
        var (code, output, err) = ProvisionCommandTests.Nfdtls("--version");
        Assert.True(code == 0, err);
        string version = typeof(CommandTable).Assembly.GetName().Version!.ToString(3);
        Assert.StartsWith(version, output.Trim());
    }

    [Fact]
    public void MistypedCommandIsAUsageErrorWithASuggestion()
    {
        var (code, output, err) = ProvisionCommandTests.Nfdtls("gett", "coap://127.0.0.1/hello");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("unknown command 'gett'", err);
        Assert.Contains("Did you mean", err);
        Assert.Contains("\nget\n", err.Replace("\r", ""));
        Assert.Equal("", output);
    }

    [Fact]
    public void MistypedOptionIsAUsageErrorWithASuggestion()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("get", "coap://127.0.0.1/hello", "--payloda", "x");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("nfdtls get: unknown option --payloda", err);
        Assert.Contains("\n--payload\n", err.Replace("\r", ""));
        Assert.Contains("see: nfdtls get --help", err);

        (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--connect", err);
    }

    [Fact]
    public void ResponseFileArgumentsCountAsTyped()
    {
        string fleet = Path.Combine(_dir, "fleet");
        string rsp = Path.Combine(_dir, "provision.rsp");
        File.WriteAllLines(rsp, new[] { "--out", fleet, "--nodes 2", "--prefix lab-" });
        var (code, _, err) = ProvisionCommandTests.Nfdtls("provision", "@" + rsp);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(fleet, "nodes", "lab-001.settings")));
        Assert.True(File.Exists(Path.Combine(fleet, "nodes", "lab-002.settings")));
        Assert.False(File.Exists(Path.Combine(fleet, "nodes", "lab-003.settings")));

        (code, _, _) = ProvisionCommandTests.Nfdtls("provision", "@" + Path.Combine(_dir, "absent.rsp"));
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public void ValuesReadAsBeforeTheLastOneWinsRepeatableOnesKeepAll()
    {
        var o = CommandTable.Parse("get", "coaps://127.0.0.1/x", "--timeout", "1", "--timeout=2.5", "--ca", "a.pem", "--ca", "b.pem", "-v", "--non");
        Assert.Equal(new[] { "coaps://127.0.0.1/x" }, o.Positional);
        Assert.Equal(2.5, o.GetDouble("--timeout", 30));
        Assert.Equal(new[] { "a.pem", "b.pem" }, o.GetAll("--ca"));
        Assert.True(o.Has("--verbose") && o.Has("-v") && o.Has("--non"));
        Assert.False(o.Has("--rpk"));
        Assert.Equal(10, CommandTable.Parse("dtls-client").GetInt("--timeout", 10));
        var e = Assert.Throws<UsageException>(() => CommandTable.Parse("get", "--count", "x").GetInt("--count", 0, 1));
        Assert.Contains("--count wants a whole number", e.Message);
        Assert.Throws<UsageException>(() => CommandTable.Parse("get", "--no-such-flag"));
    }

    [Fact]
    public void SuggestDirectiveCompletesCommandsOptionsAndValues()
    {
        Assert.Contains("dtls-client", Lines(ProvisionCommandTests.Nfdtls("[suggest:8]", "nfdtls d").Out));
        Assert.Equal(new[] { "ecdhe", "psk" }, Lines(ProvisionCommandTests.Nfdtls("[suggest:27]", "nfdtls dtls-client --suite ").Out));
        Assert.Contains("esp32-devkitc", Lines(ProvisionCommandTests.Nfdtls("[suggest:25]", "nfdtls provision --board ").Out));
        Assert.Contains("--psk-identity", Lines(ProvisionCommandTests.Nfdtls("[suggest:15]", "nfdtls get --ps").Out));
    }

    [Fact]
    public void BashCompletionScriptCompletesThroughNfdtls()
    {
        var (code, script, err) = ProvisionCommandTests.Nfdtls("completion", "bash");
        Assert.True(code == 0, err);
        string file = Path.Combine(_dir, "nfdtls.bash");
        File.WriteAllText(file, script);
        // nfdtls as the installed tool would be: a command on PATH.
        string bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        string shim = Path.Combine(bin, "nfdtls");
        File.WriteAllText(shim, "#!/bin/sh\nexec dotnet exec '" + Path.Combine(AppContext.BaseDirectory, "nfdtls.dll") + "' \"$@\"\n");
        string test = """
            chmod +x "$2"
            source "$1"
            complete_line() {
              COMP_LINE="$1"; COMP_POINT=${#1}; read -ra COMP_WORDS <<< "$1"
              [[ "$1" == *" " ]] && COMP_WORDS+=("")
              COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
              _nfdtls_complete
              echo "${COMPREPLY[*]}"
            }
            complete -p nfdtls
            complete_line "nfdtls ge"
            complete_line "nfdtls dtls-client --suite "
            complete_line "nfdtls get --psk-"
            complete_line "./somewhere/nfdtls completion "
            """;
        string testFile = Path.Combine(_dir, "test.bash");
        File.WriteAllText(testFile, test);
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(testFile);
        psi.ArgumentList.Add(file);
        psi.ArgumentList.Add(shim);
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string errors = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        string[] lines = Lines(output);
        Assert.True(lines.Length == 5, output + errors);
        Assert.Contains("_nfdtls_complete", lines[0]);
        Assert.Equal("get", lines[1]);
        Assert.Equal("ecdhe psk", lines[2]);
        Assert.Equal("--psk-identity --psk-key", lines[3]);
        Assert.EndsWith("bash pwsh zsh", lines[4]); // after --help and -h
    }

    [Theory]
    [InlineData("zsh", "compdef _nfdtls nfdtls")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName nfdtls")]
    public void OtherShellsGetTheirScript(string shell, string marker)
    {
        var (code, script, _) = ProvisionCommandTests.Nfdtls("completion", shell);
        Assert.Equal(0, code);
        Assert.Contains(marker, script);
        Assert.Contains("[suggest:", script);
        var (unknown, _, err) = ProvisionCommandTests.Nfdtls("completion", "fish");
        Assert.Equal(ExitCodes.Usage, unknown);
        Assert.Contains("bash, zsh or pwsh", err);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
