using System;
using System.Threading;
using nanoFramework.Networking;
using nanoFramework.Runtime.Native;
using NfDtls.Diagnostics;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>Brings the board's Ethernet up (DHCP) and waits for SNTP time; reboots later when it cannot.</summary>
    public static class BoardNetwork
    {
        private const int ConnectTimeoutMs = 60000;

        public static bool Connect(ILog log)
        {
            log.Write("network: Ethernet (DHCP), waiting for SNTP time");
            CancellationTokenSource cts = new CancellationTokenSource(ConnectTimeoutMs);
            // requiresDateTime: certificate validity (x509 nodes) and message times need the calendar.
            bool ok = NetworkHelper.SetupAndConnectNetwork(cts.Token, true);
            if (!ok)
            {
                Exception failure = NetworkHelper.HelperException;
                log.Write("network: failed" + (failure != null ? ": " + failure.Message : " (timeout)"));
            }
            return ok;
        }

        /// <summary>Logs why and reboots after a pause: a gateway in a cabinet has nobody to press reset.</summary>
        public static void RestartLater(ILog log, string why)
        {
            log.Write("edge gateway: " + why + "; restarting in 30 s");
            Thread.Sleep(30000);
            Power.RebootDevice(RebootOption.NormalReboot);
        }
    }
}
