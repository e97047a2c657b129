using System.Diagnostics;
using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Provisioning;

/// <summary>`nfdtls provision` run as a user runs it: a child process, its output and exit code.</summary>
public sealed class ProvisionCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfdtls-provision-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    internal static (int Code, string Out, string Err) Nfdtls(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nfdtls.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60000))
        {
            p.Kill(true);
            throw new TimeoutException("nfdtls " + string.Join(" ", args) + " did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void WritesTheFleetAndNeverPrintsSecrets()
    {
        var (code, output, err) = Nfdtls("provision", "--out", _dir, "--nodes", "3", "--security", "psk,rpk,x509",
            "--board", "esp32-devkitc", "--gateway-host", "gw.lan", "--wifi-ssid", "home", "--wifi-password", "correct horse");
        Assert.True(code == 0, err);
        var gw = GatewayCredentials.Load(Path.Combine(_dir, "gateway.json"));
        Assert.Equal(3, gw.Nodes.Count);
        var nodes = new List<NodeSettings>();
        foreach (var id in new[] { "node-001", "node-002", "node-003" })
        {
            var s = new NodeSettings();
            Assert.True(NodeSettingsReader.TryParse(File.ReadAllText(Path.Combine(_dir, "nodes", id + ".settings")), s, out string? e), e);
            Assert.True(NodeSettingsCheck.Check(s, out e), e);
            Assert.Equal("gw.lan", s.GatewayHost);
            Assert.Equal(1024, s.MaxDatagramSize); // from boards/esp32-devkitc/board.settings
            nodes.Add(s);
        }
        string all = output + err;
        Assert.Contains("node-003", all);
        Assert.DoesNotContain(SettingsText.ToHex(nodes[0].PskKey), all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SettingsText.ToHex(nodes[1].PrivateKey), all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SettingsText.ToHex(nodes[2].PrivateKey), all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SettingsText.ToHex(gw.PrivateKey!), all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("correct horse", all);
    }

    [Fact]
    public void ShowSecretsPrintsTheKeys()
    {
        var (code, output, _) = Nfdtls("provision", "--out", _dir, "--nodes", "2", "--security", "psk,rpk", "--show-secrets");
        Assert.Equal(0, code);
        var gw = GatewayCredentials.Load(Path.Combine(_dir, "gateway.json"));
        Assert.Contains(SettingsText.ToHex(gw.FindById("node-001")!.PskKey!), output);
        var rpk = new NodeSettings();
        Assert.True(NodeSettingsReader.TryParse(File.ReadAllText(Path.Combine(_dir, "nodes", "node-002.settings")), rpk, out _));
        Assert.Contains(SettingsText.ToHex(rpk.PrivateKey), output);
    }

    [Fact]
    public void RefusesToOverwriteAFleetUnlessForced()
    {
        var first = Nfdtls("provision", "--out", _dir);
        Assert.Equal(0, first.Code);
        Assert.Contains("--gateway-host sets the real address", first.Err);
        string before = File.ReadAllText(Path.Combine(_dir, "gateway.json"));
        var (code, _, err) = Nfdtls("provision", "--out", _dir);
        Assert.Equal(1, code);
        Assert.Contains("--force", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir, "gateway.json")));
        Assert.Equal(0, Nfdtls("provision", "--out", _dir, "--force").Code);
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(_dir, "gateway.json")));
    }

    [Theory]
    [InlineData("missing required option --out")]
    [InlineData("--security wants psk, rpk or x509", "--out", "X", "--security", "tls")]
    [InlineData("--nodes wants a whole number", "--out", "X", "--nodes", "0")]
    [InlineData("--board: no board 'nope'", "--out", "X", "--board", "nope")]
    [InlineData("unknown option --colour", "--out", "X", "--colour", "red")]
    [InlineData("--psk-bytes wants a whole number from 16 to 64", "--out", "X", "--psk-bytes", "8")]
    public void BadOptionsAreUsageErrors(string message, params string[] args)
    {
        var (code, _, err) = Nfdtls(new[] { "provision" }.Concat(args.Select(a => a == "X" ? _dir : a)).ToArray());
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.False(File.Exists(Path.Combine(_dir, "gateway.json")));
    }

    [Fact]
    public void HelpHasExamplesAndListsTheBoards()
    {
        var (code, output, _) = Nfdtls("provision", "--help");
        Assert.Equal(0, code);
        Assert.Contains("examples:", output);
        Assert.Contains("nfdtls provision --out", output);
        foreach (var board in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "boards")))
        {
            Assert.Contains(Path.GetFileName(board), output);
        }
    }
}
