using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Boards;

/// <summary>Every boards/&lt;board&gt;/board.settings is valid for every security mode and its README names how to flash it.</summary>
public class BoardSettingsTests
{
    public static TheoryData<string> Boards()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "boards")).OrderBy(d => d, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(d));
        }
        return data;
    }

    private static string Dir(string board) => Path.Combine(RepoPaths.Root, "boards", board);

    [Fact]
    public void TheSupportedBoardsAreThere()
    {
        var boards = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "boards")).Select(Path.GetFileName).ToArray();
        Assert.Contains("esp32-devkitc", boards);
        Assert.Contains(boards, b => b!.StartsWith("nucleo-", StringComparison.Ordinal) || b!.StartsWith("stm32", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void BoardSettingsParseAndPassTheCheckInEveryMode(string board)
    {
        string text = File.ReadAllText(Path.Combine(Dir(board), "board.settings"));
        var plain = new NodeSettings();
        Assert.True(NodeSettingsReader.TryParse(text, plain, out string? error), board + ": " + error);
        // Board defaults carry sizes and timing, never identities or secrets.
        foreach (var key in new[] { "node_id", "psk_key", "psk_identity", "private_key", "certificate", "wifi_password" })
        {
            Assert.DoesNotMatch("(?m)^\\s*" + key + "\\s*=", text);
        }
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 3, Security = new[] { "psk", "rpk", "x509" }, BaseSettingsText = text, GatewayHost = "gw.example.net",
        });
        foreach (var node in fleet.Nodes)
        {
            Assert.True(NodeSettingsCheck.Check(node, out error), board + " " + node.Security + ": " + error);
            Assert.Equal(plain.MaxDatagramSize, node.MaxDatagramSize);
            Assert.Equal(plain.HandshakeBufferSize, node.HandshakeBufferSize);
            // That the sizes carry a handshake in every mode (the gateway's certificate included) is shown by a real
            // one: BoardHandshakeTests.
        }
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void ReadmeNamesTheFirmwareTargetPinsAndBudget(string board)
    {
        string readme = File.ReadAllText(Path.Combine(Dir(board), "README.md"));
        Assert.Matches("nanoff --target [A-Z0-9_]+", readme);
        Assert.Contains("SDA", readme);
        Assert.Contains("SCL", readme);
        Assert.Contains("Memory budget", readme);
        Assert.Contains("board.settings", readme);
    }
}
