namespace NfDtls.Config
{
    /// <summary>
    /// The few text routines the settings format needs, written by hand because the core may not use System.Text,
    /// char.IsWhiteSpace or culture-aware parsing (PORTABLE.md). Not on any hot path: settings are read once at boot.
    /// </summary>
    public static class SettingsText
    {
        private const string HexDigits = "0123456789abcdef";

        public static bool IsSpace(char c)
        {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
        }

        /// <summary>s[start..end) without leading/trailing spaces.</summary>
        public static string Trimmed(string s, int start, int end)
        {
            while (start < end && IsSpace(s[start]))
            {
                start++;
            }
            while (end > start && IsSpace(s[end - 1]))
            {
                end--;
            }
            return s.Substring(start, end - start);
        }

        public static int HexValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }
            return -1;
        }

        /// <summary>
        /// Hex digits to bytes; ':' and spaces between bytes are allowed (as openssl prints keys), and an optional
        /// leading "0x". Empty text gives a zero-length array. On failure returns null and says why, without echoing
        /// the text (it may be a key).
        /// </summary>
        public static byte[] ParseHex(string text, out string problem)
        {
            problem = null;
            int start = 0;
            if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
            {
                start = 2;
            }
            int digits = 0;
            for (int i = start; i < text.Length; i++)
            {
                char c = text[i];
                if (HexValue(c) >= 0)
                {
                    digits++;
                }
                else if (c != ':' && c != ' ' && c != '\t')
                {
                    problem = string.Concat("wants hex bytes (e.g. 0a1b2c); character ", (i + 1).ToString(), " is not a hex digit");
                    return null;
                }
            }
            if ((digits & 1) != 0)
            {
                problem = "wants hex bytes (e.g. 0a1b2c); the number of hex digits is odd";
                return null;
            }
            byte[] result = new byte[digits / 2];
            int n = 0;
            int high = -1;
            for (int i = start; i < text.Length; i++)
            {
                int v = HexValue(text[i]);
                if (v < 0)
                {
                    if (high >= 0)
                    {
                        // A separator between the two digits of one byte ("a:b") is a typo, not a byte.
                        problem = string.Concat("wants hex bytes (e.g. 0a1b2c); separator inside a byte at character ", (i + 1).ToString());
                        return null;
                    }
                    continue;
                }
                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    result[n++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }
            return result;
        }

        /// <summary>Lower-case hex, no separators.</summary>
        public static string ToHex(byte[] data, int offset, int count)
        {
            char[] chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                int b = data[offset + i];
                chars[2 * i] = HexDigits[b >> 4];
                chars[2 * i + 1] = HexDigits[b & 0x0F];
            }
            return new string(chars);
        }

        public static string ToHex(byte[] data)
        {
            return ToHex(data, 0, data.Length);
        }

        /// <summary>A non-negative decimal integer (digits only, no sign, no culture); false on anything else or overflow.</summary>
        public static bool TryParseNonNegative(string text, out int value)
        {
            value = 0;
            if (text.Length == 0)
            {
                return false;
            }
            int v = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }
                int d = c - '0';
                if (v > (int.MaxValue - d) / 10)
                {
                    return false;
                }
                v = v * 10 + d;
            }
            value = v;
            return true;
        }

        /// <summary>true/false, yes/no, on/off, 1/0 (lower case).</summary>
        public static bool TryParseBool(string text, out bool value)
        {
            value = false;
            if (text == "true" || text == "yes" || text == "on" || text == "1")
            {
                value = true;
                return true;
            }
            return text == "false" || text == "no" || text == "off" || text == "0";
        }

        /// <summary>Bytes of <paramref name="s"/> in UTF-8 (by hand: System.Text is not in the core).</summary>
        public static byte[] ToUtf8(string s)
        {
            byte[] buf = new byte[Utf8Length(s)];
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                int c = s[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                    i++;
                    buf[n++] = (byte)(0xF0 | (cp >> 18));
                    buf[n++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    buf[n++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    buf[n++] = (byte)(0x80 | (cp & 0x3F));
                }
                else if (c < 0x80)
                {
                    buf[n++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    buf[n++] = (byte)(0xC0 | (c >> 6));
                    buf[n++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    // Lone surrogates are encoded as themselves (3 bytes), like a lenient encoder; ids are ASCII anyway.
                    buf[n++] = (byte)(0xE0 | (c >> 12));
                    buf[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    buf[n++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            return buf;
        }

        public static int Utf8Length(string s)
        {
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                int c = s[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
                {
                    n += 4;
                    i++;
                }
                else if (c < 0x80)
                {
                    n += 1;
                }
                else if (c < 0x800)
                {
                    n += 2;
                }
                else
                {
                    n += 3;
                }
            }
            return n;
        }
    }
}
