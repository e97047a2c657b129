namespace NfDtls.Config
{
    /// <summary>
    /// The key names of the settings text format, one per <see cref="NodeSettings"/> field, in the order the writer
    /// emits them. Error messages name fields by these keys, so a user can find the line to fix.
    /// </summary>
    public static class SettingsKeys
    {
        public const string NodeId = "node_id";
        public const string GatewayHost = "gateway_host";
        public const string GatewayPort = "gateway_port";
        public const string Security = "security";
        public const string PskIdentity = "psk_identity";
        public const string PskKey = "psk_key";
        public const string PrivateKey = "private_key";
        public const string PublicKey = "public_key";
        public const string Certificate = "certificate";
        public const string CaCertificate = "ca_certificate";
        public const string GatewayPublicKey = "gateway_public_key";
        public const string ReadingPeriodMs = "reading_period_ms";
        public const string Confirmable = "confirmable";
        public const string ConnectionId = "connection_id";
        public const string MaxDatagramSize = "max_datagram_size";
        public const string MaxRecordPlaintext = "max_record_plaintext";
        public const string HandshakeBufferSize = "handshake_buffer_size";
        public const string FlightBufferSize = "flight_buffer_size";
        public const string SessionResumption = "session_resumption";
        public const string WifiSsid = "wifi_ssid";
        public const string WifiPassword = "wifi_password";

        /// <summary>Every key, writer order.</summary>
        public static readonly string[] All = new string[]
        {
            NodeId, GatewayHost, GatewayPort, Security, PskIdentity, PskKey, PrivateKey, PublicKey, Certificate,
            CaCertificate, GatewayPublicKey, ReadingPeriodMs, Confirmable, ConnectionId, MaxDatagramSize, MaxRecordPlaintext,
            HandshakeBufferSize, FlightBufferSize, SessionResumption, WifiSsid, WifiPassword,
        };

        /// <summary>Keys whose values are secrets: never echoed in errors or logs.</summary>
        public static bool IsSecret(string key)
        {
            return key == PskKey || key == PrivateKey || key == WifiPassword;
        }

        public static int IndexOf(string key)
        {
            for (int i = 0; i < All.Length; i++)
            {
                if (All[i] == key)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
