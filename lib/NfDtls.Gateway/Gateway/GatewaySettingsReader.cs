using NfDtls.Config;

namespace NfDtls.Gateway
{
    /// <summary>
    /// Reads an edge gateway's settings text (the node settings' syntax: <see cref="NodeSettingsReader"/>):
    /// <code>
    /// port = 5684
    /// session_capacity = 16
    /// connection_id_length = 4                  # RFC 9146 CIDs issued to nodes (0: none)
    /// mqtt_host = 192.168.1.20
    /// mqtt_port = 1883
    /// private_key = 0a1b…                       # the gateway's P-256 key (rpk and x509 nodes)
    /// certificate = 3082…                       # its certificate from the fleet CA (x509 nodes)
    /// ca_certificate = 3082…
    /// node = node-001 psk node-001 000102…0f    # id, kind, PSK identity, key (hex)
    /// node = node-002 rpk 04a1b2…               # id, kind, public key (65 bytes, hex)
    /// node = node-003 x509 04c3d4…
    /// </code>
    /// Every key but <c>node</c> may appear once. Errors name the line and key and never repeat a secret value; bad
    /// text is a false result, never an exception.
    /// </summary>
    public static class GatewaySettingsReader
    {
        private static readonly string[] Keys =
        {
            "port", "session_capacity", "connection_id_length", "max_datagram_size", "max_record_plaintext", "handshake_buffer_size",
            "flight_buffer_size", "mqtt_host", "mqtt_port", "mqtt_client_id", "mqtt_username", "mqtt_password",
            "mqtt_topic_prefix", "mqtt_queue_capacity", "private_key", "certificate", "ca_certificate", "node",
        };

        public static bool TryParse(string text, GatewaySettings into, out string error)
        {
            return TryParse(text, into, out error, true);
        }

        /// <summary><paramref name="requireBroker"/> false: a board's defaults, read before the fleet's file adds the broker.</summary>
        public static bool TryParse(string text, GatewaySettings into, out string error, bool requireBroker)
        {
            error = null;
            if (text == null || into == null)
            {
                error = "no settings text";
                return false;
            }
            bool[] seen = new bool[Keys.Length];
            int lineNumber = 0;
            int pos = 0;
            while (pos <= text.Length)
            {
                int end = text.IndexOf('\n', pos);
                if (end < 0)
                {
                    end = text.Length;
                }
                lineNumber++;
                string line = SettingsText.Trimmed(text, pos, end);
                pos = end + 1;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                string where = string.Concat("line ", lineNumber.ToString(), ": ");
                int eq = line.IndexOf('=');
                string key = eq > 0 ? SettingsText.Trimmed(line, 0, eq) : null;
                int index = IndexOf(key);
                if (index < 0)
                {
                    error = eq > 0 ? string.Concat(where, "unknown setting '", key, "'") : string.Concat(where, "expected 'key = value'");
                    return false;
                }
                where = string.Concat(where, key, ": ");
                if (seen[index] && key != "node")
                {
                    error = string.Concat(where, "appears twice");
                    return false;
                }
                seen[index] = true;
                string problem;
                string value = NodeSettingsReader.ReadValue(line, eq + 1, out problem);
                if (value == null || !Assign(key, value, into, out problem))
                {
                    error = string.Concat(where, problem);
                    return false;
                }
            }
            if (requireBroker && into.MqttHost.Length == 0)
            {
                error = "mqtt_host: is required";
                return false;
            }
            return true;
        }

        private static int IndexOf(string key)
        {
            for (int i = 0; key != null && i < Keys.Length; i++)
            {
                if (Keys[i] == key)
                {
                    return i;
                }
            }
            return -1;
        }

        private static bool Assign(string key, string value, GatewaySettings s, out string problem)
        {
            problem = null;
            switch (key)
            {
                case "port": return Number(value, 1, 65535, out s.Port, out problem);
                case "session_capacity": return Number(value, 1, 4096, out s.SessionCapacity, out problem);
                case "connection_id_length": return ConnectionIdLength(value, s, out problem);
                case "max_datagram_size": return Number(value, 256, 16384, out s.MaxDatagramSize, out problem);
                case "max_record_plaintext": return Number(value, 128, 16384, out s.MaxRecordPlaintext, out problem);
                case "handshake_buffer_size": return Number(value, 512, 65536, out s.HandshakeBufferSize, out problem);
                case "flight_buffer_size": return Number(value, 512, 65536, out s.FlightBufferSize, out problem);
                case "mqtt_host": s.MqttHost = value; return true;
                case "mqtt_port": return Number(value, 1, 65535, out s.MqttPort, out problem);
                case "mqtt_client_id": s.MqttClientId = value; return true;
                case "mqtt_username": s.MqttUsername = value.Length > 0 ? value : null; return true;
                case "mqtt_password": s.MqttPassword = value.Length > 0 ? value : null; return true;
                case "mqtt_topic_prefix": s.MqttTopicPrefix = value; return true;
                case "mqtt_queue_capacity": return Number(value, 1, 100000, out s.MqttQueueCapacity, out problem);
                case "private_key": return Hex(value, 32, out s.PrivateKey, out problem);
                case "certificate": return Hex(value, 0, out s.Certificate, out problem);
                case "ca_certificate": return Hex(value, 0, out s.CaCertificate, out problem);
                default: return Node(value, s.Nodes, out problem);
            }
        }

        /// <summary>"id kind material…": psk takes an identity and a key, rpk and x509 a public key.</summary>
        private static bool Node(string value, NodeTable nodes, out string problem)
        {
            problem = null;
            string[] parts = Words(value);
            if (parts.Length < 3)
            {
                problem = "wants 'id psk identity key', 'id rpk public-key' or 'id x509 public-key'";
                return false;
            }
            NodeCredential node;
            byte[] bytes;
            if (parts[1] == NodeSettings.SecurityPsk)
            {
                if (parts.Length != 4 || !Hex(parts[3], 0, out bytes, out problem))
                {
                    problem = parts.Length != 4 ? "psk wants 'id psk identity key'" : string.Concat("the key ", problem);
                    return false;
                }
                node = NodeCredential.Psk(parts[0], SettingsText.ToUtf8(parts[2]), bytes);
            }
            else
            {
                if (parts.Length != 3 || !Hex(parts[2], 65, out bytes, out problem))
                {
                    problem = parts.Length != 3 ? "wants 'id kind public-key'" : string.Concat("the public key ", problem);
                    return false;
                }
                node = new NodeCredential(parts[0], parts[1]);
                node.PublicKey = bytes;
            }
            problem = nodes.Add(node);
            return problem == null;
        }

        private static string[] Words(string value)
        {
            int count = 0;
            for (int i = 0; i < value.Length; i++)
            {
                if (!SettingsText.IsSpace(value[i]) && (i == 0 || SettingsText.IsSpace(value[i - 1])))
                {
                    count++;
                }
            }
            string[] words = new string[count];
            int n = 0;
            int start = -1;
            for (int i = 0; i <= value.Length; i++)
            {
                bool space = i == value.Length || SettingsText.IsSpace(value[i]);
                if (!space && start < 0)
                {
                    start = i;
                }
                else if (space && start >= 0)
                {
                    words[n++] = value.Substring(start, i - start);
                    start = -1;
                }
            }
            return words;
        }

        /// <summary>0 (no Connection ID) or a length the engine issues, 4..32 (RFC 9146 allows up to 255; 32 is plenty).</summary>
        private static bool ConnectionIdLength(string value, GatewaySettings s, out string problem)
        {
            int length;
            if (!Number(value, 0, 32, out length, out problem) || (length > 0 && length < 4))
            {
                problem = "wants 0 (none) or a length from 4 to 32";
                return false;
            }
            s.ConnectionIdLength = length;
            return true;
        }

        private static bool Number(string value, int min, int max, out int result, out string problem)
        {
            problem = null;
            if (!SettingsText.TryParseNonNegative(value, out result) || result < min || result > max)
            {
                problem = string.Concat("wants a number from ", min.ToString(), " to ", max.ToString());
                return false;
            }
            return true;
        }

        private static bool Hex(string value, int length, out byte[] result, out string problem)
        {
            result = SettingsText.ParseHex(value, out problem);
            if (result == null)
            {
                return false;
            }
            if (result.Length == 0 || (length > 0 && result.Length != length))
            {
                problem = length > 0 ? string.Concat("must be ", length.ToString(), " bytes") : "is empty";
                result = null;
                return false;
            }
            return true;
        }
    }
}
