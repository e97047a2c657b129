namespace NfDtls.Config
{
    /// <summary>
    /// Writes a <see cref="NodeSettings"/> in the text format <see cref="NodeSettingsReader"/> reads, one
    /// <c>key = value</c> per line in <see cref="SettingsKeys.All"/> order. Byte fields that are null are left out;
    /// strings are quoted only when they need it (empty, '#', quotes, backslashes, control characters or edge spaces).
    /// The output contains the secrets: it is the device's file, not something to print.
    /// </summary>
    public static class NodeSettingsWriter
    {
        public static string Write(NodeSettings s)
        {
            return Write(s, null);
        }

        /// <summary><paramref name="header"/> (may be null) becomes '#' comment lines at the top.</summary>
        public static string Write(NodeSettings s, string header)
        {
            string[] parts = new string[SettingsKeys.All.Length + 2];
            int n = 0;
            if (header != null && header.Length > 0)
            {
                parts[n++] = CommentLines(header);
            }
            Line(parts, ref n, SettingsKeys.NodeId, Str(s.NodeId));
            Line(parts, ref n, SettingsKeys.GatewayHost, Str(s.GatewayHost));
            Line(parts, ref n, SettingsKeys.GatewayPort, s.GatewayPort.ToString());
            Line(parts, ref n, SettingsKeys.Security, Str(s.Security));
            Line(parts, ref n, SettingsKeys.PskIdentity, Str(s.PskIdentity));
            Line(parts, ref n, SettingsKeys.PskKey, Hex(s.PskKey));
            Line(parts, ref n, SettingsKeys.PrivateKey, Hex(s.PrivateKey));
            Line(parts, ref n, SettingsKeys.PublicKey, Hex(s.PublicKey));
            Line(parts, ref n, SettingsKeys.Certificate, Hex(s.Certificate));
            Line(parts, ref n, SettingsKeys.CaCertificate, Hex(s.CaCertificate));
            Line(parts, ref n, SettingsKeys.GatewayPublicKey, Hex(s.GatewayPublicKey));
            Line(parts, ref n, SettingsKeys.ReadingPeriodMs, s.ReadingPeriodMs.ToString());
            Line(parts, ref n, SettingsKeys.Confirmable, s.Confirmable ? "true" : "false");
            Line(parts, ref n, SettingsKeys.ConnectionId, ConnectionIdText(s.ConnectionIdLength));
            Line(parts, ref n, SettingsKeys.MaxDatagramSize, s.MaxDatagramSize.ToString());
            Line(parts, ref n, SettingsKeys.MaxRecordPlaintext, s.MaxRecordPlaintext.ToString());
            Line(parts, ref n, SettingsKeys.HandshakeBufferSize, s.HandshakeBufferSize.ToString());
            Line(parts, ref n, SettingsKeys.FlightBufferSize, s.FlightBufferSize.ToString());
            Line(parts, ref n, SettingsKeys.SessionResumption, Str(s.SessionResumption));
            Line(parts, ref n, SettingsKeys.WifiSsid, Str(s.WifiSsid));
            Line(parts, ref n, SettingsKeys.WifiPassword, Str(s.WifiPassword));
            string[] used = new string[n];
            System.Array.Copy(parts, used, n);
            return string.Concat(used);
        }

        private static void Line(string[] parts, ref int n, string key, string value)
        {
            if (value != null)
            {
                parts[n++] = string.Concat(key, " = ", value, "\n");
            }
        }

        /// <summary>The <see cref="SettingsKeys.ConnectionId"/> value: send-only, off, or the length.</summary>
        public static string ConnectionIdText(int length)
        {
            if (length == NodeSettings.ConnectionIdSendOnly)
            {
                return NodeSettingsReader.ConnectionIdSendOnlyText;
            }
            return length == NodeSettings.ConnectionIdOff ? "off" : length.ToString();
        }

        private static string Hex(byte[] b)
        {
            return b == null || b.Length == 0 ? null : SettingsText.ToHex(b);
        }

        private static string CommentLines(string header)
        {
            string[] lines = header.Split(new char[] { '\n' });
            string[] parts = new string[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                parts[i] = string.Concat("# ", SettingsText.Trimmed(lines[i], 0, lines[i].Length), "\n");
            }
            return string.Concat(parts);
        }

        /// <summary>A string value, quoted and escaped when the bare form would not read back the same.</summary>
        private static string Str(string v)
        {
            if (v == null)
            {
                v = "";
            }
            bool quote = v.Length == 0 || SettingsText.IsSpace(v[0]) || SettingsText.IsSpace(v[v.Length - 1]) || v[0] == '"';
            for (int i = 0; i < v.Length && !quote; i++)
            {
                char c = v[i];
                quote = c == '#' || c == '\\' || c < ' ';
            }
            if (!quote)
            {
                return v;
            }
            char[] chars = new char[v.Length * 2 + 2];
            int n = 0;
            chars[n++] = '"';
            for (int i = 0; i < v.Length; i++)
            {
                char c = v[i];
                if (c == '"' || c == '\\')
                {
                    chars[n++] = '\\';
                    chars[n++] = c;
                }
                else if (c == '\n')
                {
                    chars[n++] = '\\';
                    chars[n++] = 'n';
                }
                else if (c == '\t')
                {
                    chars[n++] = '\\';
                    chars[n++] = 't';
                }
                else
                {
                    chars[n++] = c;
                }
            }
            chars[n++] = '"';
            return new string(chars, 0, n);
        }
    }
}
