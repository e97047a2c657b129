using NfDtls.Config;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// Reads a device settings file written by `nfdtls provision` (or by hand) on desktop: for the CLI's
/// `--settings FILE` and the simulator. The text is parsed and checked by the portable core, so a file that works
/// here works on a board. Problems are a <see cref="NodeSettingsFileException"/> whose message names the file, line
/// and field (never a secret value).
/// </summary>
public static class NodeSettingsFile
{
    public static NodeSettings Load(string path) => Load(path, null);

    /// <summary>Reads <paramref name="baseText"/> (e.g. a board.settings) first, then the file on top of it.</summary>
    public static NodeSettings Load(string path, string? baseText)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeSettingsFileException(path + ": cannot read: " + e.Message);
        }
        var settings = new NodeSettings();
        string error;
        if (baseText != null && !NodeSettingsReader.TryParse(baseText, settings, out error))
        {
            throw new NodeSettingsFileException("base settings: " + error);
        }
        if (!NodeSettingsReader.TryParse(text, settings, out error) || !NodeSettingsCheck.Check(settings, out error))
        {
            throw new NodeSettingsFileException(path + ": " + error);
        }
        return settings;
    }

    /// <summary>The PSK identity as it goes on the wire (RFC 4279 §2: UTF-8).</summary>
    public static byte[] PskIdentityBytes(NodeSettings settings) => SettingsText.ToUtf8(settings.PskIdentity);
}

/// <summary>A settings file that cannot be used; the message says which file, line and field.</summary>
public sealed class NodeSettingsFileException(string message) : Exception(message);
