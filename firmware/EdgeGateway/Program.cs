using System.Threading;
using NfDtls.Crypto;
using NfDtls.Device;
using NfDtls.Diagnostics;
using NfDtls.Gateway;
using NfDtls.Uplink;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>
    /// The edge gateway firmware: wires this board's Ethernet, SNTP time, entropy and UDP socket to the portable
    /// <see cref="GatewayEndpoint"/> (lib/NfDtls.Gateway: DTLS with the node table, /readings, de-duplication — the same
    /// code the desktop `nfdtls gateway` runs) and its MQTT uplink to the site's broker through nanoFramework.M2Mqtt.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            ILog log = new DeviceDebugLog();

            // 1. The nodes, their credentials and the broker (written by `nfdtls provision … --gateway-board`).
            GatewaySettings settings = SettingsSource.Load(log);
            if (settings == null)
            {
                BoardNetwork.RestartLater(log, "no usable edge gateway settings");
                return;
            }

            // 2. Ethernet (DHCP) and the calendar by SNTP: x509 nodes' certificates and message times need it.
            if (!BoardNetwork.Connect(log))
            {
                BoardNetwork.RestartLater(log, "network did not come up");
                return;
            }

            // 3. Entropy: the hardware TRNG seeds the core's HMAC-DRBG.
            IRandom random = new HmacDrbg(new DeviceEntropySource());

            // 4. The MQTT uplink: a bounded queue filled by the gateway, emptied by its own thread with QoS 1.
            PublisherConfig uplinkConfig = new PublisherConfig();
            uplinkConfig.TopicPrefix = settings.MqttTopicPrefix;
            uplinkConfig.QueueCapacity = settings.MqttQueueCapacity;
            M2MqttBrokerClient broker = new M2MqttBrokerClient(settings.MqttHost, settings.MqttPort, settings.MqttClientId,
                settings.MqttUsername, settings.MqttPassword);
            ReadingPublisher uplink = new ReadingPublisher(uplinkConfig, broker, random);
            broker.ReportTo(uplink);
            uplink.SetWallClock(SntpWallClock.UnixMs, DeviceClock.NowMs);

            // 5. The UDP socket on the CoAPs port and the portable gateway on top of it.
            GatewayConfig config = settings.ToConfig();
            config.Crypto = PortableCryptoProvider.Instance;
            config.Random = random;
            config.Log = log;
            config.Clock = new SntpWallClock();
            DeviceUdpHost host = new DeviceUdpHost(settings.Port, settings.MaxDatagramSize);
            GatewayEndpoint gateway = new GatewayEndpoint(config, settings.Nodes, uplink, null, host);
            host.Start(gateway);
            new PublisherThread(uplink).Start();

            log.Write("edge gateway: " + settings.Nodes.Count.ToString() + " nodes on port " + settings.Port.ToString()
                + ", publishing to " + settings.MqttHost + ":" + settings.MqttPort.ToString());
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
