using NfDtls.Cli;
using NfDtls.Cli.Credentials;
using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Cli;

/// <summary>--settings (node settings file) and --credentials (gateway.json) turn into credentials; flags win.</summary>
public sealed class CredentialArgumentsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfdtls-cred-" + Guid.NewGuid().ToString("N"));

    public CredentialArgumentsTests()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("provision", "--out", _dir, "--nodes", "3", "--security", "psk,rpk,psk", "--gateway-host", "10.1.2.3", "--gateway-port", "6000");
        Assert.True(code == 0, err);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private string Node(int i) => Path.Combine(_dir, "nodes", "node-00" + i + ".settings");

    [Fact]
    public void PskSettingsBecomeFlagsThatExplicitFlagsOverride()
    {
        NodeSettings file = NodeSettingsFile.Load(Node(1));
        var o = CommandTable.Parse("dtls-client", "--send", "x", "--settings", Node(1));
        var settings = SettingsFileArguments.Apply(o, true);
        Assert.NotNull(settings);
        Assert.Equal("node-001", o.Get("--psk-identity"));
        Assert.Equal(file.PskKey, o.GetHex("--psk-key"));
        Assert.Equal("10.1.2.3:6000", o.Get("--connect"));
        Assert.Equal("x", o.Get("--send"));

        o = CommandTable.Parse("dtls-client", "--settings=" + Node(1), "--psk-key", "aabb", "--connect", "127.0.0.1:1");
        SettingsFileArguments.Apply(o, true);
        Assert.Equal("node-001", o.Get("--psk-identity"));
        Assert.Equal(new byte[] { 0xaa, 0xbb }, o.GetHex("--psk-key"));
        Assert.Equal("127.0.0.1:1", o.Get("--connect"));
        Assert.Single(o.GetAll("--connect"));
    }

    [Fact]
    public void NoSettingsFlagLeavesArgumentsAlone()
    {
        var o = CommandTable.Parse("dtls-client", "--psk-identity", "a");
        Assert.Null(SettingsFileArguments.Apply(o, true));
        Assert.Equal("a", o.Get("--psk-identity"));
        Assert.False(o.Has("--connect"));
        Assert.Null(SettingsFileArguments.Ecdhe(null, "x"));
    }

    [Fact]
    public void BadOrMissingSettingsFileIsAUsageError()
    {
        var e = Assert.Throws<UsageException>(() => SettingsFileArguments.Apply(CommandTable.Parse("get", "--settings", Path.Combine(_dir, "nope")), false));
        Assert.Contains("--settings", e.Message);
        Assert.Throws<UsageException>(() => CommandTable.Parse("get", "--settings"));
        string bad = Path.Combine(_dir, "bad.settings");
        File.WriteAllText(bad, "security = psk\npsk_key = zz\n");
        Assert.Throws<UsageException>(() => SettingsFileArguments.Apply(CommandTable.Parse("get", "--settings", bad), false));
    }

    [Fact]
    public void RpkSettingsGiveRawPublicKeyCredentialsPinningTheGateway()
    {
        var settings = SettingsFileArguments.Apply(CommandTable.Parse("get", "--settings", Node(2)), false);
        Assert.Equal(NodeSettings.SecurityRpk, settings!.Security);
        var c = SettingsFileArguments.Ecdhe(settings, "10.1.2.3");
        Assert.NotNull(c);
        Assert.True(c!.RawPublicKeys);
        Assert.Equal(settings.PrivateKey, c.PrivateKey);
        Assert.Equal(1, c.TrustedKeys.Count); // only the gateway
        Assert.True(c.TrustedKeys.ContainsPoint(settings.GatewayPublicKey, 0));
        var gateway = GatewayCredentials.Load(Path.Combine(_dir, "gateway.json"));
        Assert.Equal(gateway.PublicKey, settings.GatewayPublicKey);
    }

    [Fact]
    public void GatewayFileAcceptsEveryPskNodeAndTheFlagIdentityWins()
    {
        var o = CommandTable.Parse("dtls-server", "--echo", "--credentials", Path.Combine(_dir, "gateway.json"));
        var file = GatewayCredentialsArguments.Load(o);
        Assert.True(o.Has("--echo"));
        Assert.NotNull(file);
        var node1 = NodeSettingsFile.Load(Node(1));
        var node3 = NodeSettingsFile.Load(Node(3));
        byte[] flagKey = { 1, 2, 3, 4 };
        var keys = GatewayCredentialsArguments.Keys(file, "node-003"u8.ToArray(), flagKey)!;
        Assert.Equal(2, keys.Count); // node-001 from the file, node-003 from the flags; node-002 is rpk
        var buf = new byte[64];
        Assert.True(keys.TryGetKey("node-001"u8.ToArray(), 0, 8, buf, out int n));
        Assert.Equal(node1.PskKey, buf[..n]);
        Assert.True(keys.TryGetKey("node-003"u8.ToArray(), 0, 8, buf, out n));
        Assert.Equal(flagKey, buf[..n]);
        Assert.NotEqual(node3.PskKey, buf[..n]);
        Assert.False(keys.TryGetKey("node-002"u8.ToArray(), 0, 8, buf, out _));
        Assert.Null(GatewayCredentialsArguments.Keys(null, null, null));
        Assert.Throws<UsageException>(() => GatewayCredentialsArguments.Load(CommandTable.Parse("dtls-server", "--credentials", Node(1))));
    }
}
