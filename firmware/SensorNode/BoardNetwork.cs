using System;
using System.Threading;
using nanoFramework.Networking;
using nanoFramework.Runtime.Native;
using NfDtls.Config;
using NfDtls.Diagnostics;
#if BOARD_ESP32
using System.Device.Wifi;
#endif

namespace NfDtls.Firmware
{
    /// <summary>Brings the board's network up: Wi-Fi (DHCP) on ESP32 with the settings' SSID, Ethernet (DHCP) on the STM32 boards.</summary>
    public static class BoardNetwork
    {
        private const int ConnectTimeoutMs = 60000;

        public static bool Connect(NodeSettings settings, ILog log)
        {
            CancellationTokenSource cts = new CancellationTokenSource(ConnectTimeoutMs);
            bool ok;
#if BOARD_ESP32
            if (settings.WifiSsid.Length == 0)
            {
                log.Write("network: wifi_ssid is empty in the settings");
                return false;
            }
            log.Write("network: joining Wi-Fi " + settings.WifiSsid);
            // requiresDateTime: wait for SNTP, so certificate validity can be checked.
            ok = WifiNetworkHelper.ConnectDhcp(settings.WifiSsid, settings.WifiPassword, WifiReconnectionKind.Automatic, true, 0, cts.Token);
            Exception failure = WifiNetworkHelper.HelperException;
#else
            log.Write("network: Ethernet (DHCP)");
            ok = NetworkHelper.SetupAndConnectNetwork(cts.Token, true);
            Exception failure = NetworkHelper.HelperException;
#endif
            if (!ok)
            {
                log.Write("network: failed" + (failure != null ? ": " + failure.Message : " (timeout)"));
            }
            return ok;
        }

        /// <summary>Logs why and reboots after a pause: a node in the field has nobody to press reset.</summary>
        public static void RestartLater(ILog log, string why)
        {
            log.Write("node: " + why + "; restarting in 30 s");
            Thread.Sleep(30000);
            Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
