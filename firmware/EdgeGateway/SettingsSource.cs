using System.IO;
using NfDtls.Diagnostics;
using NfDtls.Gateway;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>
    /// Finds the edge gateway's settings (lib/NfDtls.Gateway's GatewaySettingsReader format, written by
    /// `nfdtls provision … --gateway-board`): D:\edge-gateway.settings (SD card) or I:\edge-gateway.settings (internal
    /// storage), then the compiled-in <see cref="EmbeddedSettings.Text"/>. Errors name the line and key, never a secret.
    /// </summary>
    public static class SettingsSource
    {
        /// <summary>Nodes a settings file may list (the node table is sized before the text is read).</summary>
        public const int MaxNodes = 512;

        private static readonly string[] Paths = new string[] { "D:\\edge-gateway.settings", "I:\\edge-gateway.settings" };

        public static GatewaySettings Load(ILog log)
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
            log.Write("settings: none found (D:\\edge-gateway.settings, I:\\edge-gateway.settings or EmbeddedSettings.Text)");
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
                return null; // no such drive on this board: try the next source
            }
        }

        private static GatewaySettings Parse(string text, string source, ILog log)
        {
            GatewaySettings settings = new GatewaySettings(MaxNodes);
            string error;
            if (!GatewaySettingsReader.TryParse(text, settings, out error))
            {
                log.Write("settings: " + source + ": " + error);
                return null;
            }
            log.Write("settings: " + settings.Nodes.Count.ToString() + " nodes, broker " + settings.MqttHost + " from " + source);
            return settings;
        }
    }
}
