namespace NfDtls.Firmware
{
    /// <summary>
    /// Compiled-in settings for boards without a file system (e.g. NUCLEO-F746ZG). Paste the content of the device's
    /// nodes/&lt;id&gt;.settings from `nfdtls provision` between the quotes (a C# verbatim string: double any '"').
    /// It holds the device's secrets: build from a local copy and never commit it filled in
    /// (`git update-index --skip-worktree firmware/SensorNode/EmbeddedSettings.cs`). Empty: use the settings file.
    /// </summary>
    public static class EmbeddedSettings
    {
        public const string Text = @"";
    }
}
