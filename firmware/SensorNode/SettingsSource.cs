using System.IO;
using NfDtls.Config;
using NfDtls.Diagnostics;

namespace NfDtls.Firmware
{
    /// <summary>
    /// Finds this device's settings (the node settings text format of lib/NfDtls.Node/Config): first a file on the
    /// device's storage — I:\node.settings (ESP32 internal flash, deployed with `nanoff --filedeployment`) or
    /// D:\node.settings (SD card) — then the compiled-in <see cref="EmbeddedSettings.Text"/> for boards without
    /// storage. The text is parsed and checked by the portable core; errors name the line and field.
    /// </summary>
    public static class SettingsSource
    {
        private static readonly string[] Paths = new string[] { "I:\\node.settings", "D:\\node.settings" };

        public static NodeSettings Load(ILog log)
        {
            for (int i = 0; i < Paths.Length; i++)
            {
                string text = ReadFile(Paths[i]);
                if (text != null)
                {
                    return Parse(text, Paths[i], log);
                }
            }
            if (EmbeddedSettings.Text.Length > 0)
            {
                return Parse(EmbeddedSettings.Text, "EmbeddedSettings.Text", log);
            }
            log.Write("settings: none found (I:\\node.settings, D:\\node.settings or EmbeddedSettings.Text)");
            return null;
        }

        private static string ReadFile(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllText(path) : null;
            }
            catch (IOException)
            {
                // No such drive on this board (e.g. no SD card): try the next source.
                return null;
            }
        }

        private static NodeSettings Parse(string text, string source, ILog log)
        {
            NodeSettings settings = new NodeSettings();
            string error;
            if (!NodeSettingsReader.TryParse(text, settings, out error) || !NodeSettingsCheck.Check(settings, out error))
            {
                log.Write("settings: " + source + ": " + error);
                return null;
            }
            log.Write("settings: " + settings.NodeId + " (" + settings.Security + ") from " + source);
            return settings;
        }
    }
}
