using NfDtls.Config;

namespace NfDtls.Gateway
{
    /// <summary>
    /// An edge gateway's settings, as a board reads them at boot (<see cref="GatewaySettingsReader"/>; written by
    /// `nfdtls provision … --gateway-board B --mqtt HOST:PORT`): where it listens, how many node sessions and what
    /// buffer sizes, its own key material, every node it accepts, and the MQTT broker it publishes to.
    /// </summary>
    public sealed class GatewaySettings
    {
        public const int DefaultMqttPort = 1883;

        public int Port = NodeSettings.DefaultGatewayPort;
        public int SessionCapacity = 16;
        /// <summary>RFC 9146 Connection ID length issued to nodes (4..32, 0: none); see <see cref="GatewayConfig.ConnectionIdLength"/>.</summary>
        public int ConnectionIdLength = GatewayConfig.DefaultConnectionIdLength;
        public int MaxDatagramSize = 1232;
        public int MaxRecordPlaintext = 1024;
        public int HandshakeBufferSize = 1536;
        public int FlightBufferSize = 1536;

        /// <summary>The broker: an IPv4 address as text (the core has no DNS: a board resolves a name first) and port.</summary>
        public string MqttHost = "";
        public int MqttPort = DefaultMqttPort;
        public string MqttClientId = "nfdtls-edge-gateway";
        public string MqttUsername;
        public string MqttPassword;
        public string MqttTopicPrefix = "nfdtls";
        public int MqttQueueCapacity = 256;

        public byte[] PrivateKey;
        public byte[] Certificate;
        public byte[] CaCertificate;

        public NodeTable Nodes;

        public GatewaySettings(int maxNodes)
        {
            Nodes = new NodeTable(maxNodes);
        }

        /// <summary>A <see cref="GatewayConfig"/> with these sizes and keys (crypto, randomness and clock are the host's).</summary>
        public GatewayConfig ToConfig()
        {
            GatewayConfig c = new GatewayConfig();
            c.SessionCapacity = SessionCapacity;
            c.ConnectionIdLength = ConnectionIdLength;
            c.MaxDatagramSize = MaxDatagramSize;
            c.MaxRecordPlaintext = MaxRecordPlaintext;
            c.HandshakeBufferSize = HandshakeBufferSize;
            c.FlightBufferSize = FlightBufferSize;
            c.PrivateKey = PrivateKey;
            c.Certificate = Certificate;
            c.CaCertificate = CaCertificate;
            return c;
        }
    }
}
