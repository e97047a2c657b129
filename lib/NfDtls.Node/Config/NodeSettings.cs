namespace NfDtls.Config
{
    /// <summary>
    /// Everything a sensor node needs to know at boot: who it is, where the gateway is, its credentials, how often
    /// it reports and how big its buffers may be. The same class is filled on a board (from a settings file stored
    /// on the device), in the simulator and by the provisioning command. Text form: <see cref="NodeSettingsReader"/>
    /// and <see cref="NodeSettingsWriter"/>; ranges and per-mode requirements: <see cref="NodeSettingsCheck"/>.
    /// Public fields (not properties) keep it cheap on the interpreter and simple to fill.
    /// </summary>
    public sealed class NodeSettings
    {
        public const string SecurityPsk = "psk";
        public const string SecurityRpk = "rpk";
        public const string SecurityX509 = "x509";

        /// <summary>
        /// Resume a lost session with a session ticket the gateway sealed (RFC 5077; the gateway keeps no state per
        /// node), falling back to the session ID (RFC 5246 §7.3) and then to a full handshake when the gateway declines.
        /// </summary>
        public const string ResumptionTickets = "tickets";
        /// <summary>Resume by session ID only: the gateway must still hold the session in its cache.</summary>
        public const string ResumptionSessionId = "session_id";
        /// <summary>Never resume: every reconnect is a full handshake.</summary>
        public const string ResumptionOff = "off";

        /// <summary>CoAPS default port (RFC 7252 §12.8).</summary>
        public const int DefaultGatewayPort = 5684;

        /// <summary>Node name: also its MQTT topic level at the gateway, so letters, digits, '-', '_' and '.' only.</summary>
        public string NodeId = "";

        /// <summary>Gateway host name or IP literal.</summary>
        public string GatewayHost = "";
        public int GatewayPort = DefaultGatewayPort;

        /// <summary>"psk" | "rpk" | "x509" (see the Security* constants).</summary>
        public string Security = SecurityPsk;

        /// <summary>PSK identity (RFC 4279 §2), sent in the clear in ClientKeyExchange; UTF-8 on the wire.</summary>
        public string PskIdentity = "";
        /// <summary>The pre-shared key (RFC 7925 §4.2: at least 128 bits of entropy).</summary>
        public byte[] PskKey;

        /// <summary>P-256 private scalar, 32 bytes big-endian (rpk and x509).</summary>
        public byte[] PrivateKey;
        /// <summary>P-256 public key, SEC 1 uncompressed (65 bytes, 0x04 || X || Y).</summary>
        public byte[] PublicKey;
        /// <summary>The node's X.509 certificate, DER (x509 only).</summary>
        public byte[] Certificate;
        /// <summary>The CA certificate that signs the gateway's certificate, DER (x509 only).</summary>
        public byte[] CaCertificate;
        /// <summary>The gateway's raw public key, 65 bytes uncompressed (rpk: RFC 7250 pins it).</summary>
        public byte[] GatewayPublicKey;

        /// <summary>How often a reading is pushed.</summary>
        public int ReadingPeriodMs = 10000;
        /// <summary>CON (true, retransmitted until acknowledged, RFC 7252 §4.2) or NON readings.</summary>
        public bool Confirmable = true;

        /// <summary><see cref="ConnectionIdLength"/>: no connection_id extension (RFC 9146 off).</summary>
        public const int ConnectionIdOff = 0;
        /// <summary>
        /// <see cref="ConnectionIdLength"/>: offer an empty CID (RFC 9146 §3): the node puts the gateway's CID in its
        /// records, so the session survives a NAT giving it a new address or port, and asks for none back (the
        /// gateway's address does not change). The default.
        /// </summary>
        public const int ConnectionIdSendOnly = -1;

        /// <summary>
        /// Connection ID (RFC 9146): <see cref="ConnectionIdSendOnly"/> (default), <see cref="ConnectionIdOff"/>, or
        /// 4..32 to also ask the gateway for CIDs of that length in its records to the node.
        /// </summary>
        public int ConnectionIdLength = ConnectionIdSendOnly;

        // Buffer sizes: defaults are DtlsConfig's (RFC 7925 §11 / IPv6 minimum MTU 1280 - 48 = 1232 bytes of UDP payload).
        public int MaxDatagramSize = 1232;
        public int MaxRecordPlaintext = 1024;
        public int HandshakeBufferSize = 1536;
        public int FlightBufferSize = 1536;

        /// <summary>
        /// How a node gets its session back after a gateway restart, a network drop or an idle timeout without paying
        /// for the key exchange again: "tickets" (default) | "session_id" | "off" (see the Resumption* constants).
        /// </summary>
        public string SessionResumption = ResumptionTickets;

        /// <summary>Wi-Fi network (ESP32 boards); empty on wired boards.</summary>
        public string WifiSsid = "";
        public string WifiPassword = "";
    }
}
