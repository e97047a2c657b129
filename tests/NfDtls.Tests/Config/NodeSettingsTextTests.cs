using NfDtls.Config;
using Xunit;

namespace NfDtls.Tests.Config;

public class NodeSettingsTextTests
{
    internal static NodeSettings Full()
    {
        var s = new NodeSettings
        {
            NodeId = "node-007",
            GatewayHost = "gw.example.net",
            GatewayPort = 15684,
            Security = "x509",
            PskIdentity = "ident with # and \"quotes\" and \\",
            PskKey = Bytes(16, 1),
            PrivateKey = Bytes(32, 2),
            PublicKey = Point(3),
            Certificate = Bytes(300, 4),
            CaCertificate = Bytes(280, 5),
            GatewayPublicKey = Point(6),
            ReadingPeriodMs = 2500,
            Confirmable = false,
            ConnectionIdLength = 8,
            MaxDatagramSize = 600,
            MaxRecordPlaintext = 512,
            HandshakeBufferSize = 900,
            FlightBufferSize = 800,
            SessionResumption = NodeSettings.ResumptionSessionId,
            WifiSsid = " my wifi ",
            WifiPassword = "pa ss\tword",
        };
        return s;
    }

    internal static byte[] Bytes(int n, int seed)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(seed * 31 + i * 7);
        return b;
    }

    internal static byte[] Point(int seed)
    {
        var p = Bytes(65, seed);
        p[0] = 4;
        return p;
    }

    private static void AssertSame(NodeSettings a, NodeSettings b)
    {
        Assert.Equal(a.NodeId, b.NodeId);
        Assert.Equal(a.GatewayHost, b.GatewayHost);
        Assert.Equal(a.GatewayPort, b.GatewayPort);
        Assert.Equal(a.Security, b.Security);
        Assert.Equal(a.PskIdentity, b.PskIdentity);
        Assert.Equal(a.PskKey, b.PskKey);
        Assert.Equal(a.PrivateKey, b.PrivateKey);
        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.Equal(a.Certificate, b.Certificate);
        Assert.Equal(a.CaCertificate, b.CaCertificate);
        Assert.Equal(a.GatewayPublicKey, b.GatewayPublicKey);
        Assert.Equal(a.ReadingPeriodMs, b.ReadingPeriodMs);
        Assert.Equal(a.Confirmable, b.Confirmable);
        Assert.Equal(a.ConnectionIdLength, b.ConnectionIdLength);
        Assert.Equal(a.MaxDatagramSize, b.MaxDatagramSize);
        Assert.Equal(a.MaxRecordPlaintext, b.MaxRecordPlaintext);
        Assert.Equal(a.HandshakeBufferSize, b.HandshakeBufferSize);
        Assert.Equal(a.FlightBufferSize, b.FlightBufferSize);
        Assert.Equal(a.SessionResumption, b.SessionResumption);
        Assert.Equal(a.WifiSsid, b.WifiSsid);
        Assert.Equal(a.WifiPassword, b.WifiPassword);
    }

    [Fact]
    public void EveryFieldRoundTrips()
    {
        var a = Full();
        string text = NodeSettingsWriter.Write(a, "written by a test\nsecond line");
        Assert.StartsWith("# written by a test\n# second line\n", text);
        var b = new NodeSettings();
        Assert.True(NodeSettingsReader.TryParse(text, b, out string? error), error);
        AssertSame(a, b);
        Assert.Equal(text, NodeSettingsWriter.Write(b, "written by a test\nsecond line"));
    }

    [Fact]
    public void DefaultsRoundTripAndNullBytesAreLeftOut()
    {
        var a = new NodeSettings();
        string text = NodeSettingsWriter.Write(a);
        Assert.DoesNotContain("psk_key", text);
        Assert.Contains("node_id = \"\"", text);
        var b = new NodeSettings { NodeId = "x", PskKey = new byte[] { 1 } };
        Assert.True(NodeSettingsReader.TryParse(text, b, out string? error), error);
        Assert.Equal("", b.NodeId);
        Assert.Equal(new byte[] { 1 }, b.PskKey); // absent key keeps the value already there
        Assert.Equal(5684, b.GatewayPort);
        Assert.Equal(10000, b.ReadingPeriodMs);
        Assert.True(b.Confirmable);
        Assert.Equal(1232, b.MaxDatagramSize);
        Assert.Contains("connection_id = send-only\n", text);
        Assert.Equal(NodeSettings.ConnectionIdSendOnly, b.ConnectionIdLength);
    }

    [Theory]
    [InlineData("send-only", NodeSettings.ConnectionIdSendOnly, "send-only")]
    [InlineData("on", NodeSettings.ConnectionIdSendOnly, "send-only")]
    [InlineData("true", NodeSettings.ConnectionIdSendOnly, "send-only")]
    [InlineData("off", NodeSettings.ConnectionIdOff, "off")]
    [InlineData("false", NodeSettings.ConnectionIdOff, "off")]
    [InlineData("0", NodeSettings.ConnectionIdOff, "off")]
    [InlineData("8", 8, "8")]
    public void ConnectionIdReadsAndWritesBack(string value, int length, string written)
    {
        var s = new NodeSettings { ConnectionIdLength = 16 };
        Assert.True(NodeSettingsReader.TryParse("connection_id = " + value + "\n", s, out string? error), error);
        Assert.Equal(length, s.ConnectionIdLength);
        Assert.Contains("\nconnection_id = " + written + "\n", NodeSettingsWriter.Write(s));
    }

    [Fact]
    public void CommentsBlankLinesSeparatorsAndCrLf()
    {
        string text = "# header\r\n\r\n  node_id = n1   # trailing comment\r\n"
                    + "psk_key = 0x00:01:02:03 04 05\r\n"
                    + "wifi_password = \"a # b\"  # comment after quotes\r\n"
                    + "gateway_host = host#not-a-comment\r\n"
                    + "confirmable = no\r\n"
                    + "private_key =\r\n";
        var s = new NodeSettings { PrivateKey = new byte[32] };
        Assert.True(NodeSettingsReader.TryParse(text, s, out string? error), error);
        Assert.Equal("n1", s.NodeId);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5 }, s.PskKey);
        Assert.Equal("a # b", s.WifiPassword);
        Assert.Equal("host#not-a-comment", s.GatewayHost);
        Assert.False(s.Confirmable);
        Assert.Null(s.PrivateKey);
    }

    [Theory]
    [InlineData("node_id = \"open", "node_id", "closing")]
    [InlineData("node_id = \"a\" b", "node_id", "after the closing quote")]
    [InlineData("node_id = \"a\\q\"", "node_id", "escape")]
    [InlineData("gateway_host = \"a\\", "gateway_host", "")]
    [InlineData("gateway_port = 56x4", "gateway_port", "whole number")]
    [InlineData("gateway_port = -1", "gateway_port", "whole number")]
    [InlineData("gateway_port = 99999999999", "gateway_port", "whole number")]
    [InlineData("reading_period_ms = ten", "reading_period_ms", "whole number")]
    [InlineData("confirmable = maybe", "confirmable", "true or false")]
    [InlineData("connection_id = sometimes", "connection_id", "send-only, off or a length")]
    [InlineData("connection_id = -4", "connection_id", "send-only, off or a length")]
    [InlineData("max_datagram_size = 1.5", "max_datagram_size", "whole number")]
    [InlineData("max_record_plaintext = ", "max_record_plaintext", "whole number")]
    [InlineData("handshake_buffer_size = 1k", "handshake_buffer_size", "whole number")]
    [InlineData("flight_buffer_size = 0x10", "flight_buffer_size", "whole number")]
    [InlineData("psk_key = 0g", "psk_key", "hex")]
    [InlineData("private_key = abc", "private_key", "odd")]
    [InlineData("public_key = a:b", "public_key", "hex")]
    [InlineData("certificate = zz", "certificate", "hex")]
    [InlineData("ca_certificate = 30-01", "ca_certificate", "hex")]
    [InlineData("gateway_public_key = 04 0", "gateway_public_key", "odd")]
    [InlineData("psk_identity = \"x", "psk_identity", "closing")]
    [InlineData("security = \"psk\" x", "security", "closing quote")]
    [InlineData("session_resumption = \"tickets", "session_resumption", "closing")]
    [InlineData("wifi_ssid = \"x", "wifi_ssid", "closing")]
    [InlineData("wifi_password = \"x\\z\"", "wifi_password", "escape")]
    public void EveryErrorNamesLineAndField(string badLine, string key, string why)
    {
        // line 1 comment, line 2 blank, line 3 good, line 4 the bad one
        string text = "# settings\n\nsecurity = psk\n" + badLine + "\n";
        if (key == "security")
        {
            text = "# settings\n\nnode_id = a\n" + badLine + "\n";
        }
        var s = new NodeSettings();
        Assert.False(NodeSettingsReader.TryParse(text, s, out string? error));
        Assert.StartsWith("line 4: " + key + ": ", error);
        Assert.Contains(why, error);
    }

    [Fact]
    public void EveryKeyHasABadValueTestAbove()
    {
        // Keeps the theory above complete when a field is added.
        var tested = typeof(NodeSettingsTextTests).GetMethod(nameof(EveryErrorNamesLineAndField))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[1]).ToHashSet();
        foreach (var key in SettingsKeys.All)
        {
            Assert.Contains(key, tested);
        }
        Assert.Equal(typeof(NodeSettings).GetFields().Count(f => !f.IsLiteral), SettingsKeys.All.Length);
    }

    [Theory]
    [InlineData("node_id", "line 1: expected 'key = value'")]
    [InlineData("= x", "line 1: expected 'key = value'")]
    [InlineData("colour = blue", "line 1: unknown setting 'colour'")]
    [InlineData("node_id = a\nnode_id = b", "line 2: node_id: appears twice")]
    public void StructureErrors(string text, string expected)
    {
        Assert.False(NodeSettingsReader.TryParse(text, new NodeSettings(), out string? error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void SecretsAreNeverEchoedInErrors()
    {
        Assert.False(NodeSettingsReader.TryParse("psk_key = 00112233445566778899aabbccddeefX", new NodeSettings(), out string? e1));
        Assert.DoesNotContain("00112233", e1);
        Assert.False(NodeSettingsReader.TryParse("private_key = SECRETSECRET", new NodeSettings(), out string? e2));
        Assert.DoesNotContain("SECRET", e2);
    }

    [Fact]
    public void HexAndUtf8Helpers()
    {
        Assert.Equal("00ff10", SettingsText.ToHex(new byte[] { 0, 255, 16 }));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, SettingsText.ParseHex("ABcd", out _));
        Assert.Empty(SettingsText.ParseHex("", out _)!);
        foreach (var text in new[] { "", "abc", "héllo", "日本", "😀x" })
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), SettingsText.ToUtf8(text));
        }
        Assert.True(SettingsText.TryParseNonNegative("2147483647", out int max));
        Assert.Equal(int.MaxValue, max);
        Assert.False(SettingsText.TryParseNonNegative("2147483648", out _));
    }
}
