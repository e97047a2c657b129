using NfDtls.Vectors;
using Xunit;

namespace NfDtls.Tests.Boards;

/// <summary>
/// The device tests carry boards/esp32-devkitc/board.settings as a constant (a board has no repository files):
/// the copy must stay the file, or the node the device tests build is not the board's.
/// </summary>
public class EmbeddedBoardSettingsTests
{
    [Fact]
    public void TheDeviceTestsCopyOfTheEsp32SettingsIsTheFile()
    {
        string file = File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", "esp32-devkitc", "board.settings")).Replace("\r\n", "\n");
        Assert.True(file == EmbeddedBoardSettings.Esp32Devkitc,
            "tests/Vectors/EmbeddedBoardSettings.cs differs from boards/esp32-devkitc/board.settings: copy the file into the constant again");
    }
}
