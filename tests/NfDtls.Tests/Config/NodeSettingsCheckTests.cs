using NfDtls.Config;
using Xunit;

namespace NfDtls.Tests.Config;

public class NodeSettingsCheckTests
{
    private static NodeSettings Psk() => new()
    {
        NodeId = "node-1",
        GatewayHost = "192.168.1.10",
        Security = "psk",
        PskIdentity = "node-1",
        PskKey = NodeSettingsTextTests.Bytes(16, 1),
    };

    private static NodeSettings Rpk() => new()
    {
        NodeId = "node-2",
        GatewayHost = "gw",
        Security = "rpk",
        PrivateKey = NodeSettingsTextTests.Bytes(32, 2),
        PublicKey = NodeSettingsTextTests.Point(3),
        GatewayPublicKey = NodeSettingsTextTests.Point(4),
    };

    private static NodeSettings X509()
    {
        var cert = new byte[400];
        cert[0] = 0x30; cert[1] = 0x82; cert[2] = 0x01; cert[3] = 400 - 4 - 256;
        var ca = new byte[100];
        ca[0] = 0x30; ca[1] = 98;
        return new NodeSettings
        {
            NodeId = "node-3",
            GatewayHost = "gw",
            Security = "x509",
            PrivateKey = NodeSettingsTextTests.Bytes(32, 5),
            Certificate = cert,
            CaCertificate = ca,
        };
    }

    [Fact]
    public void GoodSettingsPassForEveryMode()
    {
        foreach (var s in new[] { Psk(), Rpk(), X509() })
        {
            Assert.True(NodeSettingsCheck.Check(s, out string? error), s.Security + ": " + error);
        }
    }

    public static TheoryData<string, string, Action<NodeSettings>> Breakages() => new()
    {
        { "psk", "node_id", s => s.NodeId = "" },
        { "psk", "node_id", s => s.NodeId = "a/b" },
        { "psk", "node_id", s => s.NodeId = new string('a', 65) },
        { "psk", "gateway_host", s => s.GatewayHost = "" },
        { "psk", "gateway_host", s => s.GatewayHost = "a b" },
        { "psk", "gateway_port", s => s.GatewayPort = 0 },
        { "psk", "gateway_port", s => s.GatewayPort = 70000 },
        { "psk", "security", s => s.Security = "tls" },
        { "psk", "psk_identity", s => s.PskIdentity = "" },
        { "psk", "psk_identity", s => s.PskIdentity = new string('i', 129) },
        { "psk", "psk_key", s => s.PskKey = null },
        { "psk", "psk_key", s => s.PskKey = new byte[15] },
        { "psk", "psk_key", s => s.PskKey = new byte[65] },
        { "rpk", "private_key", s => s.PrivateKey = null },
        { "rpk", "private_key", s => s.PrivateKey = new byte[31] },
        { "rpk", "private_key", s => s.PrivateKey = new byte[32] },
        { "rpk", "public_key", s => s.PublicKey = null },
        { "rpk", "public_key", s => s.PublicKey![0] = 2 },
        { "rpk", "gateway_public_key", s => s.GatewayPublicKey = null },
        { "rpk", "gateway_public_key", s => s.GatewayPublicKey = new byte[33] },
        { "x509", "private_key", s => s.PrivateKey = null },
        { "x509", "public_key", s => s.PublicKey = new byte[64] },
        { "x509", "certificate", s => s.Certificate = null },
        { "x509", "certificate", s => s.Certificate![0] = 0x31 },
        { "x509", "certificate", s => s.Certificate = s.Certificate![..399] },
        { "x509", "ca_certificate", s => s.CaCertificate = null },
        { "x509", "ca_certificate", s => s.CaCertificate![1] = 97 },
        { "psk", "reading_period_ms", s => s.ReadingPeriodMs = 99 },
        { "psk", "reading_period_ms", s => s.ReadingPeriodMs = 86400001 },
        { "psk", "session_resumption", s => s.SessionResumption = "ticket" },
        { "rpk", "session_resumption", s => s.SessionResumption = "" },
        { "psk", "connection_id", s => s.ConnectionIdLength = 3 },
        { "psk", "connection_id", s => s.ConnectionIdLength = 33 },
        { "psk", "connection_id", s => s.ConnectionIdLength = -2 },
        { "psk", "max_datagram_size", s => s.MaxDatagramSize = 255 },
        { "psk", "max_record_plaintext", s => s.MaxRecordPlaintext = 63 },
        { "psk", "max_record_plaintext", s => s.MaxRecordPlaintext = 1232 - 28 },
        { "psk", "handshake_buffer_size", s => s.HandshakeBufferSize = 100 },
        { "psk", "flight_buffer_size", s => s.FlightBufferSize = 100000 },
        { "psk", "wifi_ssid", s => s.WifiSsid = new string('s', 33) },
        { "psk", "wifi_password", s => s.WifiPassword = "secret123" },
        { "psk", "wifi_password", s => { s.WifiSsid = "home"; s.WifiPassword = "short"; } },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void EveryProblemNamesItsField(string mode, string key, Action<NodeSettings> breakIt)
    {
        var s = mode switch { "psk" => Psk(), "rpk" => Rpk(), _ => X509() };
        breakIt(s);
        Assert.False(NodeSettingsCheck.Check(s, out string? error));
        Assert.StartsWith(key + ": ", error);
    }

    [Theory]
    [InlineData(NodeSettings.ConnectionIdSendOnly)]
    [InlineData(NodeSettings.ConnectionIdOff)]
    [InlineData(4)]
    [InlineData(32)]
    public void ConnectionIdSendOnlyOffOrALength(int cid)
    {
        var s = Psk();
        s.ConnectionIdLength = cid;
        Assert.True(NodeSettingsCheck.Check(s, out string? error), error);
    }

    [Fact]
    public void WifiWithPassphrasePasses()
    {
        var s = Psk();
        s.WifiSsid = "home";
        s.WifiPassword = "correct horse";
        Assert.True(NodeSettingsCheck.Check(s, out string? error), error);
    }

    [Fact]
    public void CheckNeverEchoesSecrets()
    {
        var s = Psk();
        s.WifiSsid = "home";
        s.WifiPassword = "tiny";
        Assert.False(NodeSettingsCheck.Check(s, out string? error));
        Assert.DoesNotContain("tiny", error);
    }
}
