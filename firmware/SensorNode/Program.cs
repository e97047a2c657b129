using System;
using System.Threading;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Device;
using NfDtls.Diagnostics;
using NfDtls.Node;

namespace NfDtls.Firmware
{
    /// <summary>
    /// The sensor node firmware: wires this board's network, clock, entropy, BME280 and UDP socket to the portable
    /// <see cref="SensorNode"/> (lib/NfDtls.Node/Node), which does everything else — DTLS session, SenML readings over CoAP,
    /// back-off and reconnect, /config and /readings — exactly as the simulator runs it.
    /// </summary>
    public static class Program
    {
        // DateTime ticks (100 ns since 0001-01-01) at 1970-01-01T00:00:00Z.
        private const long UnixEpochTicks = 621355968000000000;

        public static void Main()
        {
            ILog log = new DeviceDebugLog();

            // 1. Who this node is and where the gateway is (written by `nfdtls provision`).
            NodeSettings settings = SettingsSource.Load(log);
            if (settings == null)
            {
                BoardNetwork.RestartLater(log, "no usable node settings");
                return;
            }

            // 2. Network (Wi-Fi on ESP32, Ethernet on the STM32 boards) and wall-clock time by SNTP
            //    (certificates carry validity dates; the engines themselves only use the monotonic DeviceClock).
            if (!BoardNetwork.Connect(settings, log))
            {
                BoardNetwork.RestartLater(log, "network did not come up");
                return;
            }

            // 3. Entropy: the hardware TRNG (System.Random on ESP32/STM32) seeds the core's HMAC-DRBG.
            IRandom random = new HmacDrbg(new DeviceEntropySource());

            // 4. The sensor: a BME280 on the board's I²C bus (pins in boards/<board>/README.md).
            ISensor sensor = Bme280Sensor.Open(BoardPins.I2cBusId, BoardPins.Bme280Address, log);

            // 5. The UDP socket, sized by the settings, and the portable node on top of it.
            DeviceUdpHost host = new DeviceUdpHost(0, settings.MaxDatagramSize);
            //    The core has no DNS: a gateway host name becomes its IPv4 address text before the node is built.
            if (!GatewayResolver.Resolve(settings, log))
            {
                BoardNetwork.RestartLater(log, "cannot resolve gateway " + settings.GatewayHost);
                return;
            }
            SensorNode node = new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, host, log);
            //    Calendar time (set by SNTP in step 2) for x509 certificate validity: seconds since 1970 at this clock value.
            node.SetWallClock((DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerSecond, DeviceClock.NowMs);
            host.Start(node);

            log.Write("node " + settings.NodeId + ": running, gateway " + settings.GatewayHost + ":" + settings.GatewayPort.ToString());
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
