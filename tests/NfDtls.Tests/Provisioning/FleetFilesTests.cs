using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Provisioning;

public class FleetFilesTests
{
    [Fact]
    public void WritesGatewayNodesAndCaKeyOwnerOnlyAndTheyReadBack()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nfdtls-fleet-" + Guid.NewGuid().ToString("N"));
        try
        {
            var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 3, Security = new[] { "psk", "rpk", "x509" } });
            var files = FleetFiles.Write(fleet, dir, "test note");
            Assert.Equal(5, files.Count);
            foreach (var f in files)
            {
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
                }
            }
            var gw = GatewayCredentials.Load(Path.Combine(dir, "gateway.json"));
            Assert.Equal(3, gw.Nodes.Count);
            foreach (var n in fleet.Nodes)
            {
                string text = File.ReadAllText(Path.Combine(dir, "nodes", n.NodeId + ".settings"));
                Assert.Contains("# test note", text);
                var back = new NodeSettings();
                Assert.True(NodeSettingsReader.TryParse(text, back, out string? error), error);
                Assert.True(NodeSettingsCheck.Check(back, out error), error);
                Assert.Equal(NodeSettingsWriter.Write(n), NodeSettingsWriter.Write(back));
            }
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(dir, "ca-key.pem")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
