using NfDtls.Coap.Message;

namespace NfDtls.Coap.Client
{
    /// <summary>
    /// Turns "/a/b%20c?x=1&amp;y" into Uri-Path and Uri-Query options (RFC 7252 §6.4 steps 8–9, percent-decoding
    /// included) straight into a message's option buffer: no allocation.
    /// </summary>
    public static class CoapUriPath
    {
        /// <summary>Adds the options; false if they did not fit the message's tables.</summary>
        public static bool AddPathAndQuery(CoapMessage message, string pathAndQuery)
        {
            if (pathAndQuery == null)
            {
                return true;
            }
            int i = 0;
            int n = pathAndQuery.Length;
            if (i < n && pathAndQuery[i] == '/')
            {
                i++;
            }
            int query = n;
            for (int k = 0; k < n; k++)
            {
                if (pathAndQuery[k] == '?')
                {
                    query = k;
                    break;
                }
            }
            bool ok = true;
            // §6.4 step 8: no Uri-Path for "/" or an empty path; otherwise one option per segment.
            if (i < query)
            {
                int start = i;
                for (int k = i; k <= query; k++)
                {
                    if (k == query || pathAndQuery[k] == '/')
                    {
                        ok &= AddDecoded(message, CoapOption.UriPath, pathAndQuery, start, k);
                        start = k + 1;
                    }
                }
            }
            if (query < n)
            {
                int start = query + 1;
                for (int k = start; k <= n; k++)
                {
                    if (k == n || pathAndQuery[k] == '&')
                    {
                        if (k > start)
                        {
                            ok &= AddDecoded(message, CoapOption.UriQuery, pathAndQuery, start, k);
                        }
                        start = k + 1;
                    }
                }
            }
            return ok;
        }

        private static bool AddDecoded(CoapMessage message, int number, string text, int start, int end)
        {
            // Decoded straight into the free end of the message's own option storage, then added from there.
            byte[] value;
            int at;
            int room = message.OwnFree(out value, out at);
            int length = 0;
            for (int k = start; k < end; k++)
            {
                int c = text[k];
                int need = c == '%' || c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                if (length + need > room)
                {
                    return message.AddOption(number, value, at, room + 1); // too long: refused, marks the overflow
                }
                if (c == '%' && k + 2 < end && HexValue(text[k + 1]) >= 0 && HexValue(text[k + 2]) >= 0)
                {
                    value[at + length++] = (byte)((HexValue(text[k + 1]) << 4) | HexValue(text[k + 2]));
                    k += 2;
                }
                else if (c < 0x80)
                {
                    value[at + length++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    value[at + length++] = (byte)(0xC0 | (c >> 6));
                    value[at + length++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    value[at + length++] = (byte)(0xE0 | (c >> 12));
                    value[at + length++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    value[at + length++] = (byte)(0x80 | (c & 0x3F));
                }
            }
            return message.AddOption(number, value, at, length);
        }

        private static int HexValue(int c)
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
    }
}
