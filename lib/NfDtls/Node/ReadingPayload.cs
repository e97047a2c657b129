using NfDtls.Text;

namespace NfDtls.Node
{
    /// <summary>
    /// One sample as a SenML JSON pack (RFC 8428 §5): a base name "urn:dev:&lt;node id&gt;:" on the first record, one
    /// record per reading, and a last record "seq" numbering the sample so the gateway can drop a resent one.
    /// Written into a caller's buffer; allocation-free (the base name bytes are prepared once).
    /// </summary>
    public sealed class ReadingPayload
    {
        public const string SequenceName = "seq";
        private readonly byte[] _baseName;

        public ReadingPayload(string nodeId)
        {
            string bn = string.Concat("urn:dev:", nodeId, ":");
            _baseName = new byte[Utf8Bytes.Count(bn)];
            Utf8Bytes.Write(bn, _baseName, 0);
        }

        /// <summary>Returns the bytes written, or -1 when <paramref name="capacity"/> is too small.</summary>
        public int Write(SensorReading[] readings, int count, long sequence, byte[] buffer, int offset, int capacity)
        {
            // Worst case per record: names and units are short ASCII; a number is at most 26 bytes.
            int need = 32 + _baseName.Length + 24;
            for (int i = 0; i < count; i++)
            {
                need += 40 + Utf8Bytes.Count(readings[i].Name) + Utf8Bytes.Count(readings[i].Unit);
            }
            if (need > capacity)
            {
                return -1;
            }
            int at = offset;
            buffer[at++] = (byte)'[';
            for (int i = 0; i < count; i++)
            {
                at = Ascii(buffer, at, i == 0 ? "{\"bn\":\"" : ",{");
                if (i == 0)
                {
                    System.Array.Copy(_baseName, 0, buffer, at, _baseName.Length);
                    at += _baseName.Length;
                    at = Ascii(buffer, at, "\",");
                }
                at = Ascii(buffer, at, "\"n\":\"");
                at += Utf8Bytes.Write(readings[i].Name, buffer, at);
                if (readings[i].Unit.Length > 0)
                {
                    at = Ascii(buffer, at, "\",\"u\":\"");
                    at += Utf8Bytes.Write(readings[i].Unit, buffer, at);
                }
                at = Ascii(buffer, at, "\",\"v\":");
                at += DecimalText.WriteDouble(readings[i].Value, buffer, at, 10);
                buffer[at++] = (byte)'}';
            }
            at = Ascii(buffer, at, count == 0 ? "{\"bn\":\"" : ",{");
            if (count == 0)
            {
                System.Array.Copy(_baseName, 0, buffer, at, _baseName.Length);
                at += _baseName.Length;
                at = Ascii(buffer, at, "\",");
            }
            at = Ascii(buffer, at, "\"n\":\"seq\",\"v\":");
            at += DecimalText.WriteInteger(sequence, buffer, at);
            at = Ascii(buffer, at, "}]");
            return at - offset;
        }

        private static int Ascii(byte[] buffer, int at, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[at++] = (byte)text[i];
            }
            return at;
        }
    }
}
