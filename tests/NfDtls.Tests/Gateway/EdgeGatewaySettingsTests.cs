using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using NfDtls.Gateway;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Gateway;

/// <summary>The edge gateway's settings: written by provisioning on desktop, read by the portable core as a board reads them.</summary>
public sealed class EdgeGatewaySettingsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfdtls-edge-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static string BoardText => File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", "stm32f769i-discovery", "gateway.settings"));

    [Fact]
    public void WhatProvisioningWritesTheBoardReadsBackNodeForNode()
    {
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 5, Security = new[] { "psk", "rpk", "x509" }, GatewayHost = "192.168.1.20" },
            new SeededTestRandom(5), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string text = EdgeGatewaySettingsFile.Write(fleet.Gateway, BoardText, "192.168.1.5", 1884, "test");

        var s = new GatewaySettings(8);
        Assert.True(GatewaySettingsReader.TryParse(text, s, out string? error), error);
        Assert.Equal("192.168.1.5", s.MqttHost);
        Assert.Equal(1884, s.MqttPort);
        Assert.Equal(64, s.SessionCapacity);      // the board's figure
        Assert.Equal(4, s.ConnectionIdLength);    // RFC 9146 CIDs on, as on desktop
        Assert.Equal(4, s.ToConfig().ConnectionIdLength);
        Assert.Equal(4096, s.HandshakeBufferSize); // from boards/stm32f769i-discovery/gateway.settings
        Assert.Equal(1024, s.MqttQueueCapacity);
        Assert.Equal(fleet.Gateway.PrivateKey, s.PrivateKey);
        Assert.Equal(fleet.Gateway.Certificate, s.Certificate);
        Assert.Equal(fleet.Gateway.CaCertificate, s.CaCertificate);
        Assert.Equal(5, s.Nodes.Count);
        var desktop = SensorGatewayTable(fleet.Gateway);
        for (int i = 0; i < 5; i++)
        {
            var a = s.Nodes.At(i);
            var b = desktop.At(i);
            Assert.Equal(b.Id, a.Id);
            Assert.Equal(b.Security, a.Security);
            Assert.Equal(b.PskIdentity, a.PskIdentity);
            Assert.Equal(b.PskKey, a.PskKey);
            Assert.Equal(b.PublicKey, a.PublicKey);
        }
    }

    private static NodeTable SensorGatewayTable(GatewayCredentials c) => NfDtls.Desktop.Gateway.SensorGateway.NodeTableOf(c);

    [Theory]
    [InlineData("mqtt_port = 1883\n", "mqtt_host: is required")]
    [InlineData("mqtt_host = h\nnode = a psk id\n", "line 2: node: psk wants 'id psk identity key'")]
    [InlineData("mqtt_host = h\nnode = a rpk 0102\n", "line 2: node: the public key must be 65 bytes")]
    [InlineData("mqtt_host = h\nnode = a psk id 00112233445566778899aabbccddeeff\nnode = a psk id2 00112233445566778899aabbccddeeff\n", "line 3: node: node a appears twice")]
    [InlineData("mqtt_host = h\nnode = a dtls 04\n", "line 2: node: the public key must be 65 bytes")]
    [InlineData("mqtt_host = h\nmqtt_host = i\n", "line 2: mqtt_host: appears twice")]
    [InlineData("mqtt_host = h\nsession_capacity = 0\n", "line 2: session_capacity: wants a number from 1 to 4096")]
    [InlineData("mqtt_host = h\nconnection_id_length = 3\n", "line 2: connection_id_length: wants 0 (none) or a length from 4 to 32")]
    [InlineData("mqtt_host = h\nconnection_id_length = 33\n", "line 2: connection_id_length: wants 0 (none) or a length from 4 to 32")]
    public void BadTextIsAResultNamingTheLine(string text, string expected)
    {
        Assert.False(GatewaySettingsReader.TryParse(text, new GatewaySettings(4), out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ConnectionIdLengthIsOnByDefaultAndZeroTurnsItOff()
    {
        var s = new GatewaySettings(1);
        Assert.Equal(GatewayConfig.DefaultConnectionIdLength, s.ConnectionIdLength);
        Assert.True(GatewaySettingsReader.TryParse("mqtt_host = h\nconnection_id_length = 0\n", s, out string? error), error);
        Assert.Equal(0, s.ToConfig().ConnectionIdLength);
        Assert.True(GatewaySettingsReader.TryParse("mqtt_host = h\nconnection_id_length = 8\n", s, out error), error);
        Assert.Equal(8, s.ToConfig().ConnectionIdLength);
    }

    [Fact]
    public void ProvisionWritesTheEdgeGatewayFileOwnerOnlyAndPrintsNoSecret()
    {
        var (code, output, err) = ProvisionCommandTests.Nfdtls("provision", "--out", _dir, "--nodes", "3", "--security", "psk,rpk,x509",
            "--gateway-host", "192.168.1.20", "--gateway-board", "stm32f769i-discovery", "--mqtt", "192.168.1.5:1883");
        Assert.True(code == 0, err);
        string path = Path.Combine(_dir, "edge-gateway.settings");
        Assert.Contains(path, output);
        var s = new GatewaySettings(3);
        Assert.True(GatewaySettingsReader.TryParse(File.ReadAllText(path), s, out string? error), error);
        Assert.Equal(3, s.Nodes.Count);
        Assert.Equal(1883, s.MqttPort);
        var gw = GatewayCredentials.Load(Path.Combine(_dir, "gateway.json"));
        string psk = SettingsText.ToHex(gw.Nodes[0].PskKey!);
        Assert.Equal(psk, SettingsText.ToHex(s.Nodes.At(0).PskKey));
        Assert.DoesNotContain(psk, output + err);
        Assert.DoesNotContain(SettingsText.ToHex(gw.PrivateKey!), output + err);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("--gateway-board", "stm32f769i-discovery")]
    [InlineData("--mqtt", "broker:1883")]
    public void GatewayBoardAndMqttGoTogether(string flag, string value)
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("provision", "--out", _dir, flag, value);
        Assert.Equal(2, code);
        Assert.Contains(flag == "--mqtt" ? "--gateway-board" : "--mqtt", err);
        Assert.False(File.Exists(Path.Combine(_dir, "edge-gateway.settings")));
    }
}
