using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Provisioning;

public sealed class NodeSettingsFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "nfdtls-settings-" + Guid.NewGuid().ToString("N") + ".settings");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void LoadsAProvisionedFileWithBaseSettingsUnderneath()
    {
        var node = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 1 }).Nodes[0];
        node.MaxDatagramSize = 0; // the file must say it, or the base must
        string text = NodeSettingsWriter.Write(node).Replace("max_datagram_size = 0\n", "");
        File.WriteAllText(_path, text);
        var loaded = NodeSettingsFile.Load(_path, "max_datagram_size = 1100\n");
        Assert.Equal(1100, loaded.MaxDatagramSize);
        Assert.Equal(node.PskKey, loaded.PskKey);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(node.PskIdentity), NodeSettingsFile.PskIdentityBytes(loaded));
    }

    [Fact]
    public void ErrorsNameFileLineAndField()
    {
        File.WriteAllText(_path, "node_id = a\npsk_key = zz\n");
        var e = Assert.Throws<NodeSettingsFileException>(() => NodeSettingsFile.Load(_path));
        Assert.Equal(_path + ": line 2: psk_key: wants hex bytes (e.g. 0a1b2c); character 1 is not a hex digit", e.Message);

        File.WriteAllText(_path, "node_id = a\n");
        e = Assert.Throws<NodeSettingsFileException>(() => NodeSettingsFile.Load(_path));
        Assert.StartsWith(_path + ": gateway_host: ", e.Message);

        e = Assert.Throws<NodeSettingsFileException>(() => NodeSettingsFile.Load(_path + ".missing"));
        Assert.Contains("cannot read", e.Message);
    }
}
