using NfDtls.Text;

namespace NfDtls.Coap.Server
{
    /// <summary>
    /// RFC 6690 link format for /.well-known/core: &lt;/path&gt;;rt="…";if="…";ct=N;sz=N;obs, comma separated, with
    /// the §4.1 query filter (?rt=…, ?if=…, ?ct=…, ?href=…, ?title=…; a trailing '*' matches a prefix; rt and if
    /// match any of their space-separated values). Written by hand into a caller buffer: no allocation.
    /// </summary>
    public static class LinkFormat
    {
        /// <summary>Writes the links of <paramref name="resources"/> that pass the filter; returns the length or -1 if it did not fit.</summary>
        public static int Write(CoapResource[] resources, int count, byte[] buffer, int capacity,
            byte[] filter, int filterOffset, int filterLength)
        {
            int at = 0;
            bool first = true;
            for (int i = 0; i < count; i++)
            {
                CoapResource r = resources[i];
                if (r == null || r.Hidden || !Matches(r, filter, filterOffset, filterLength))
                {
                    continue;
                }
                if (!first)
                {
                    at = Put(buffer, capacity, at, ",");
                }
                first = false;
                at = Put(buffer, capacity, at, "<");
                at = Put(buffer, capacity, at, r.Path);
                at = Put(buffer, capacity, at, ">");
                if (r.ResourceType != null)
                {
                    at = Quoted(buffer, capacity, at, ";rt=\"", r.ResourceType);
                }
                if (r.InterfaceDescription != null)
                {
                    at = Quoted(buffer, capacity, at, ";if=\"", r.InterfaceDescription);
                }
                if (r.Title != null)
                {
                    at = Quoted(buffer, capacity, at, ";title=\"", r.Title);
                }
                if (r.ContentFormat >= 0)
                {
                    at = Put(buffer, capacity, at, ";ct=");
                    at = Number(buffer, capacity, at, r.ContentFormat);
                }
                if (r.MaximumSizeEstimate >= 0)
                {
                    at = Put(buffer, capacity, at, ";sz=");
                    at = Number(buffer, capacity, at, r.MaximumSizeEstimate);
                }
                if (r.Observable)
                {
                    at = Put(buffer, capacity, at, ";obs");
                }
                if (at < 0)
                {
                    return -1;
                }
            }
            return at;
        }

        private static int Put(byte[] buffer, int capacity, int at, string text)
        {
            if (at < 0)
            {
                return -1;
            }
            int n = Utf8Bytes.TryWrite(text, buffer, at, capacity - at);
            return n < 0 ? -1 : at + n;
        }

        private static int Quoted(byte[] buffer, int capacity, int at, string prefix, string value)
        {
            at = Put(buffer, capacity, at, prefix);
            at = Put(buffer, capacity, at, value);
            return Put(buffer, capacity, at, "\"");
        }

        private static int Number(byte[] buffer, int capacity, int at, int value)
        {
            if (at < 0 || capacity - at < 11)
            {
                return -1;
            }
            return at + DecimalText.WriteInteger(value, buffer, at);
        }

        /// <summary>§4.1: filter "name=value" from one Uri-Query; no filter (length 0) matches everything.</summary>
        public static bool Matches(CoapResource r, byte[] filter, int offset, int length)
        {
            if (filter == null || length <= 0)
            {
                return true;
            }
            int eq = -1;
            for (int i = 0; i < length; i++)
            {
                if (filter[offset + i] == (byte)'=')
                {
                    eq = i;
                    break;
                }
            }
            if (eq <= 0)
            {
                return true; // not a filter we understand: RFC 6690 leaves it to the server; list everything
            }
            int vAt = offset + eq + 1;
            int vLen = length - eq - 1;
            bool prefix = vLen > 0 && filter[vAt + vLen - 1] == (byte)'*';
            if (prefix)
            {
                vLen--;
            }
            if (Utf8Bytes.Equals("rt", filter, offset, eq))
            {
                return AnyWord(r.ResourceType, filter, vAt, vLen, prefix);
            }
            if (Utf8Bytes.Equals("if", filter, offset, eq))
            {
                return AnyWord(r.InterfaceDescription, filter, vAt, vLen, prefix);
            }
            if (Utf8Bytes.Equals("title", filter, offset, eq))
            {
                return Compare(r.Title, 0, r.Title == null ? 0 : r.Title.Length, filter, vAt, vLen, prefix);
            }
            if (Utf8Bytes.Equals("href", filter, offset, eq))
            {
                return Compare(r.Path, 0, r.Path.Length, filter, vAt, vLen, prefix);
            }
            if (Utf8Bytes.Equals("ct", filter, offset, eq))
            {
                int ct;
                return r.ContentFormat >= 0 && DecimalText.TryParseInteger(filter, vAt, vLen, out ct) && ct == r.ContentFormat;
            }
            if (Utf8Bytes.Equals("obs", filter, offset, eq))
            {
                return r.Observable;
            }
            return false;
        }

        private static bool AnyWord(string attribute, byte[] value, int offset, int length, bool prefix)
        {
            if (attribute == null)
            {
                return false;
            }
            int start = 0;
            for (int i = 0; i <= attribute.Length; i++)
            {
                if (i == attribute.Length || attribute[i] == ' ')
                {
                    if (i > start && Compare(attribute, start, i - start, value, offset, length, prefix))
                    {
                        return true;
                    }
                    start = i + 1;
                }
            }
            return false;
        }

        /// <summary>ASCII comparison of attribute[start..start+count) with the value bytes (prefix match when asked).</summary>
        private static bool Compare(string attribute, int start, int count, byte[] value, int offset, int length, bool prefix)
        {
            if (attribute == null)
            {
                return false;
            }
            if (prefix ? count < length : count != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (attribute[start + i] != value[offset + i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
