namespace NfDtls.Config
{
    /// <summary>
    /// Checks a <see cref="NodeSettings"/> before a node uses it: required fields for its security mode, key and
    /// certificate shapes, and ranges that keep buffers usable. The first problem found is reported as
    /// "key: what is wrong" with the key of the settings text format (<see cref="SettingsKeys"/>); secrets are
    /// never echoed.
    /// </summary>
    public static class NodeSettingsCheck
    {
        /// <summary>DTLS 1.2 record header (RFC 6347 §4.1) + AES-CCM explicit nonce and 8-byte tag (RFC 6655 §3, RFC 7925 §3.3).</summary>
        public const int RecordOverhead = 13 + 8 + 8;

        public const int MaxNodeIdLength = 64;
        /// <summary>RFC 4279 §5.3: identities up to 128 bytes must be supported.</summary>
        public const int MaxPskIdentityLength = 128;
        /// <summary>RFC 7925 §4.2 wants keys with enough entropy: at least 128 bits here.</summary>
        public const int MinPskKeyLength = 16;
        /// <summary>RFC 4279 §5.3: keys up to 64 bytes must be supported.</summary>
        public const int MaxPskKeyLength = 64;
        /// <summary>CID lengths a node may ask for (DtlsConfig's range; RFC 9146 allows up to 255, 32 is plenty).</summary>
        public const int MinConnectionIdLength = 4;
        public const int MaxConnectionIdLength = 32;

        public static bool Check(NodeSettings s, out string error)
        {
            error = null;
            if (s == null)
            {
                error = "no settings";
                return false;
            }
            return CheckIdentity(s, out error)
                && CheckCredentials(s, out error)
                && CheckTiming(s, out error)
                && CheckConnectionId(s, out error)
                && CheckBuffers(s, out error)
                && CheckWifi(s, out error);
        }

        private static bool CheckIdentity(NodeSettings s, out string error)
        {
            error = null;
            string id = s.NodeId;
            if (id == null || id.Length == 0)
            {
                return Fail(SettingsKeys.NodeId, "is required", out error);
            }
            if (id.Length > MaxNodeIdLength)
            {
                return Fail(SettingsKeys.NodeId, string.Concat("is longer than ", MaxNodeIdLength.ToString(), " characters"), out error);
            }
            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                if (!ok)
                {
                    // It becomes an MQTT topic level at the gateway, where '/', '+' and '#' mean something.
                    return Fail(SettingsKeys.NodeId, "may only use letters, digits, '-', '_' and '.'", out error);
                }
            }
            if (s.GatewayHost == null || s.GatewayHost.Length == 0)
            {
                return Fail(SettingsKeys.GatewayHost, "is required", out error);
            }
            if (s.GatewayHost.Length > 253 || HasSpaceOrControl(s.GatewayHost))
            {
                return Fail(SettingsKeys.GatewayHost, "is not a host name or IP address", out error);
            }
            if (s.GatewayPort < 1 || s.GatewayPort > 65535)
            {
                return Fail(SettingsKeys.GatewayPort, "must be from 1 to 65535", out error);
            }
            return true;
        }

        private static bool CheckCredentials(NodeSettings s, out string error)
        {
            error = null;
            if (s.Security == NodeSettings.SecurityPsk)
            {
                if (s.PskIdentity == null || s.PskIdentity.Length == 0)
                {
                    return Fail(SettingsKeys.PskIdentity, "is required when security = psk", out error);
                }
                if (SettingsText.Utf8Length(s.PskIdentity) > MaxPskIdentityLength || HasControl(s.PskIdentity))
                {
                    return Fail(SettingsKeys.PskIdentity, "must be at most 128 bytes of printable text", out error);
                }
                if (s.PskKey == null)
                {
                    return Fail(SettingsKeys.PskKey, "is required when security = psk", out error);
                }
                if (s.PskKey.Length < MinPskKeyLength || s.PskKey.Length > MaxPskKeyLength)
                {
                    return Fail(SettingsKeys.PskKey, string.Concat("must be 16 to 64 bytes (has ", s.PskKey.Length.ToString(), ")"), out error);
                }
                return true;
            }
            if (s.Security == NodeSettings.SecurityRpk)
            {
                return PrivateKey(s, out error)
                    && Point(SettingsKeys.PublicKey, s.PublicKey, true, "rpk", out error)
                    && Point(SettingsKeys.GatewayPublicKey, s.GatewayPublicKey, true, "rpk", out error);
            }
            if (s.Security == NodeSettings.SecurityX509)
            {
                return PrivateKey(s, out error)
                    && Point(SettingsKeys.PublicKey, s.PublicKey, false, "x509", out error)
                    && Der(SettingsKeys.Certificate, s.Certificate, out error)
                    && Der(SettingsKeys.CaCertificate, s.CaCertificate, out error);
            }
            return Fail(SettingsKeys.Security, "must be psk, rpk or x509", out error);
        }

        private static bool PrivateKey(NodeSettings s, out string error)
        {
            error = null;
            if (s.PrivateKey == null)
            {
                return Fail(SettingsKeys.PrivateKey, string.Concat("is required when security = ", s.Security), out error);
            }
            if (s.PrivateKey.Length != 32)
            {
                return Fail(SettingsKeys.PrivateKey, string.Concat("must be a 32-byte P-256 private key (has ", s.PrivateKey.Length.ToString(), " bytes)"), out error);
            }
            int or = 0;
            for (int i = 0; i < 32; i++)
            {
                or |= s.PrivateKey[i];
            }
            if (or == 0)
            {
                return Fail(SettingsKeys.PrivateKey, "is zero", out error);
            }
            return true;
        }

        /// <summary>SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y, 65 bytes for P-256.</summary>
        private static bool Point(string key, byte[] p, bool required, string mode, out string error)
        {
            error = null;
            if (p == null)
            {
                return !required || Fail(key, string.Concat("is required when security = ", mode), out error);
            }
            if (p.Length != 65 || p[0] != 0x04)
            {
                return Fail(key, "must be a 65-byte uncompressed P-256 point (04 || X || Y)", out error);
            }
            return true;
        }

        /// <summary>A DER certificate is a SEQUENCE (X.690 §8.9: tag 0x30) whose length fills the bytes exactly.</summary>
        private static bool Der(string key, byte[] der, out string error)
        {
            error = null;
            if (der == null)
            {
                return Fail(key, "is required when security = x509", out error);
            }
            if (der.Length < 4 || der[0] != 0x30)
            {
                return Fail(key, "is not a DER certificate (must start with a SEQUENCE, 30 ...)", out error);
            }
            int len;
            int header;
            int first = der[1];
            if (first < 0x80)
            {
                len = first;
                header = 2;
            }
            else
            {
                int octets = first & 0x7F;
                if (octets < 1 || octets > 3 || der.Length < 2 + octets)
                {
                    return Fail(key, "is not a DER certificate (bad length)", out error);
                }
                len = 0;
                for (int i = 0; i < octets; i++)
                {
                    len = (len << 8) | der[2 + i];
                }
                header = 2 + octets;
            }
            if (header + len != der.Length)
            {
                return Fail(key, "is not a DER certificate (its length does not match its bytes)", out error);
            }
            return true;
        }

        private static bool CheckTiming(NodeSettings s, out string error)
        {
            error = null;
            if (s.ReadingPeriodMs < 100 || s.ReadingPeriodMs > 86400000)
            {
                return Fail(SettingsKeys.ReadingPeriodMs, "must be from 100 ms to 86400000 ms (one day)", out error);
            }
            if (s.SessionResumption != NodeSettings.ResumptionTickets && s.SessionResumption != NodeSettings.ResumptionSessionId
                && s.SessionResumption != NodeSettings.ResumptionOff)
            {
                return Fail(SettingsKeys.SessionResumption, "must be tickets, session_id or off", out error);
            }
            return true;
        }

        private static bool CheckConnectionId(NodeSettings s, out string error)
        {
            error = null;
            int cid = s.ConnectionIdLength;
            if (cid != NodeSettings.ConnectionIdSendOnly && cid != NodeSettings.ConnectionIdOff
                && (cid < MinConnectionIdLength || cid > MaxConnectionIdLength))
            {
                return Fail(SettingsKeys.ConnectionId, "must be send-only, off or a length from 4 to 32", out error);
            }
            return true;
        }

        private static bool CheckBuffers(NodeSettings s, out string error)
        {
            error = null;
            if (s.MaxDatagramSize < 256 || s.MaxDatagramSize > 65507)
            {
                return Fail(SettingsKeys.MaxDatagramSize, "must be from 256 to 65507 bytes", out error);
            }
            if (s.MaxRecordPlaintext < 64 || s.MaxRecordPlaintext > 16384)
            {
                // RFC 6347 §4.1 / RFC 5246 §6.2.1: plaintext records are at most 2^14 bytes.
                return Fail(SettingsKeys.MaxRecordPlaintext, "must be from 64 to 16384 bytes", out error);
            }
            if (s.MaxRecordPlaintext + RecordOverhead > s.MaxDatagramSize)
            {
                return Fail(SettingsKeys.MaxRecordPlaintext, string.Concat("plus the ", RecordOverhead.ToString(),
                    "-byte record overhead must fit in max_datagram_size (", s.MaxDatagramSize.ToString(), ")"), out error);
            }
            if (s.HandshakeBufferSize < 256 || s.HandshakeBufferSize > 65536)
            {
                return Fail(SettingsKeys.HandshakeBufferSize, "must be from 256 to 65536 bytes", out error);
            }
            if (s.FlightBufferSize < 256 || s.FlightBufferSize > 65536)
            {
                return Fail(SettingsKeys.FlightBufferSize, "must be from 256 to 65536 bytes", out error);
            }
            // No size follows from a certificate (issue 12): the node's own chain is sent from its settings, not copied
            // into the flight buffer, and a peer Certificate larger than the handshake buffer is streamed through the
            // certificate parser (lib/NfDtls.Dtls/Dtls/README.md, "Flights").
            return true;
        }

        private static bool CheckWifi(NodeSettings s, out string error)
        {
            error = null;
            string ssid = s.WifiSsid == null ? "" : s.WifiSsid;
            string pass = s.WifiPassword == null ? "" : s.WifiPassword;
            if (SettingsText.Utf8Length(ssid) > 32 || HasControl(ssid))
            {
                // IEEE 802.11: an SSID is 0 to 32 octets.
                return Fail(SettingsKeys.WifiSsid, "must be at most 32 bytes of printable text", out error);
            }
            if (pass.Length > 0 && ssid.Length == 0)
            {
                return Fail(SettingsKeys.WifiPassword, "is set but wifi_ssid is empty", out error);
            }
            if (pass.Length > 0 && (pass.Length < 8 || pass.Length > 64 || HasControl(pass)))
            {
                // WPA2-Personal: a passphrase of 8 to 63 printable characters, or 64 hex digits.
                return Fail(SettingsKeys.WifiPassword, "must be empty (open network) or 8 to 63 characters (64 hex digits)", out error);
            }
            return true;
        }

        private static bool HasControl(string v)
        {
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] < ' ' || v[i] == (char)0x7F)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool HasSpaceOrControl(string v)
        {
            return HasControl(v) || v.IndexOf(' ') >= 0;
        }

        private static bool Fail(string key, string message, out string error)
        {
            error = string.Concat(key, ": ", message);
            return false;
        }
    }
}
