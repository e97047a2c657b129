namespace NfDtls.Config
{
    /// <summary>
    /// Reads the settings text format into a <see cref="NodeSettings"/>:
    /// <code>
    /// # comment lines start with '#'; blank lines are ignored
    /// node_id = node-001
    /// gateway_host = 192.168.1.10
    /// psk_key = 000102030405060708090a0b0c0d0e0f     # bytes as hex (':' or spaces between bytes allowed)
    /// wifi_password = "has # and spaces"             # quotes when a value needs them (\" and \\ inside)
    /// </code>
    /// Keys are <see cref="SettingsKeys"/>; each may appear once. A '#' after whitespace starts a trailing comment
    /// in an unquoted value. Keys not in the text keep the value <c>into</c> already has, so a board's defaults can
    /// be read first and a device's own file on top. Errors name the line and key ("line 4: psk_key: ...") and never
    /// repeat a secret value. Bad text is a false result, never an exception.
    /// </summary>
    public static class NodeSettingsReader
    {
        /// <summary>The <see cref="SettingsKeys.ConnectionId"/> value for <see cref="NodeSettings.ConnectionIdSendOnly"/>.</summary>
        public const string ConnectionIdSendOnlyText = "send-only";

        public static bool TryParse(string text, NodeSettings into, out string error)
        {
            error = null;
            if (text == null || into == null)
            {
                error = "no settings text";
                return false;
            }
            bool[] seen = new bool[SettingsKeys.All.Length];
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
                if (!ParseLine(text, pos, end, lineNumber, into, seen, out error))
                {
                    return false;
                }
                pos = end + 1;
            }
            return true;
        }

        private static bool ParseLine(string text, int start, int end, int lineNumber, NodeSettings into, bool[] seen, out string error)
        {
            error = null;
            string line = SettingsText.Trimmed(text, start, end);
            if (line.Length == 0 || line[0] == '#')
            {
                return true;
            }
            string where = string.Concat("line ", lineNumber.ToString(), ": ");
            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                error = string.Concat(where, "expected 'key = value'");
                return false;
            }
            string key = SettingsText.Trimmed(line, 0, eq);
            int index = SettingsKeys.IndexOf(key);
            if (index < 0)
            {
                error = string.Concat(where, "unknown setting '", key, "'");
                return false;
            }
            where = string.Concat(where, key, ": ");
            if (seen[index])
            {
                error = string.Concat(where, "appears twice");
                return false;
            }
            seen[index] = true;
            string problem;
            string value = ReadValue(line, eq + 1, out problem);
            if (value == null)
            {
                error = string.Concat(where, problem);
                return false;
            }
            if (!Assign(key, value, into, out problem))
            {
                error = string.Concat(where, problem);
                return false;
            }
            return true;
        }

        /// <summary>The value after '=': quoted (with \" \\ \n \t escapes) or bare up to a " #" comment.</summary>
        public static string ReadValue(string line, int start, out string problem)
        {
            problem = null;
            int i = start;
            while (i < line.Length && SettingsText.IsSpace(line[i]))
            {
                i++;
            }
            if (i < line.Length && line[i] == '"')
            {
                char[] chars = new char[line.Length];
                int n = 0;
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        problem = "the quoted value has no closing '\"'";
                        return null;
                    }
                    char c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }
                    if (c == '\\')
                    {
                        if (i >= line.Length)
                        {
                            problem = "the quoted value ends in a lone '\\'";
                            return null;
                        }
                        char e = line[i++];
                        if (e == 'n')
                        {
                            c = '\n';
                        }
                        else if (e == 't')
                        {
                            c = '\t';
                        }
                        else if (e == '"' || e == '\\')
                        {
                            c = e;
                        }
                        else
                        {
                            problem = "unknown escape in the quoted value (use \\\" \\\\ \\n or \\t)";
                            return null;
                        }
                    }
                    chars[n++] = c;
                }
                while (i < line.Length && SettingsText.IsSpace(line[i]))
                {
                    i++;
                }
                if (i < line.Length && line[i] != '#')
                {
                    problem = "text after the closing quote (only a '# comment' may follow)";
                    return null;
                }
                return new string(chars, 0, n);
            }
            int stop = line.Length;
            for (int j = i; j < line.Length; j++)
            {
                if (line[j] == '#' && (j == i || SettingsText.IsSpace(line[j - 1])))
                {
                    stop = j;
                    break;
                }
            }
            return SettingsText.Trimmed(line, i, stop);
        }

        private static bool Assign(string key, string value, NodeSettings s, out string problem)
        {
            problem = null;
            switch (key)
            {
                case SettingsKeys.NodeId:
                    s.NodeId = value;
                    return true;
                case SettingsKeys.GatewayHost:
                    s.GatewayHost = value;
                    return true;
                case SettingsKeys.Security:
                    s.Security = value;
                    return true;
                case SettingsKeys.PskIdentity:
                    s.PskIdentity = value;
                    return true;
                case SettingsKeys.SessionResumption:
                    s.SessionResumption = value;
                    return true;
                case SettingsKeys.WifiSsid:
                    s.WifiSsid = value;
                    return true;
                case SettingsKeys.WifiPassword:
                    s.WifiPassword = value;
                    return true;
                case SettingsKeys.GatewayPort:
                    return Int(value, ref s.GatewayPort, out problem);
                case SettingsKeys.ReadingPeriodMs:
                    return Int(value, ref s.ReadingPeriodMs, out problem);
                case SettingsKeys.MaxDatagramSize:
                    return Int(value, ref s.MaxDatagramSize, out problem);
                case SettingsKeys.MaxRecordPlaintext:
                    return Int(value, ref s.MaxRecordPlaintext, out problem);
                case SettingsKeys.HandshakeBufferSize:
                    return Int(value, ref s.HandshakeBufferSize, out problem);
                case SettingsKeys.FlightBufferSize:
                    return Int(value, ref s.FlightBufferSize, out problem);
                case SettingsKeys.Confirmable:
                    if (!SettingsText.TryParseBool(value, out s.Confirmable))
                    {
                        problem = string.Concat("wants true or false, not '", value, "'");
                        return false;
                    }
                    return true;
                case SettingsKeys.ConnectionId:
                    return ConnectionId(value, s, out problem);
                case SettingsKeys.PskKey:
                    return Bytes(value, ref s.PskKey, out problem);
                case SettingsKeys.PrivateKey:
                    return Bytes(value, ref s.PrivateKey, out problem);
                case SettingsKeys.PublicKey:
                    return Bytes(value, ref s.PublicKey, out problem);
                case SettingsKeys.Certificate:
                    return Bytes(value, ref s.Certificate, out problem);
                case SettingsKeys.CaCertificate:
                    return Bytes(value, ref s.CaCertificate, out problem);
                case SettingsKeys.GatewayPublicKey:
                    return Bytes(value, ref s.GatewayPublicKey, out problem);
                default:
                    problem = "unknown setting";
                    return false;
            }
        }

        /// <summary>
        /// send-only (or on/true/yes: the default, on), off (false/no/0), or a CID length; the range is
        /// <see cref="NodeSettingsCheck"/>'s to judge.
        /// </summary>
        private static bool ConnectionId(string value, NodeSettings s, out string problem)
        {
            problem = null;
            bool on;
            if (value == ConnectionIdSendOnlyText)
            {
                s.ConnectionIdLength = NodeSettings.ConnectionIdSendOnly;
                return true;
            }
            if (value != "1" && SettingsText.TryParseBool(value, out on))
            {
                s.ConnectionIdLength = on ? NodeSettings.ConnectionIdSendOnly : NodeSettings.ConnectionIdOff;
                return true;
            }
            int length;
            if (!SettingsText.TryParseNonNegative(value, out length))
            {
                problem = string.Concat("wants send-only, off or a length from 4 to 32, not '", value, "'");
                return false;
            }
            s.ConnectionIdLength = length;
            return true;
        }

        private static bool Int(string value, ref int field, out string problem)
        {
            problem = null;
            int v;
            if (!SettingsText.TryParseNonNegative(value, out v))
            {
                problem = string.Concat("wants a whole number (digits only), not '", value, "'");
                return false;
            }
            field = v;
            return true;
        }

        /// <summary>Hex bytes; an empty value means "none" (null). Never echoes the value: it may be a key.</summary>
        private static bool Bytes(string value, ref byte[] field, out string problem)
        {
            byte[] b = SettingsText.ParseHex(value, out problem);
            if (b == null)
            {
                return false;
            }
            field = b.Length == 0 ? null : b;
            return true;
        }
    }
}
