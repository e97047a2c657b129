namespace NfDtls.Pki
{
    /// <summary>
    /// Reads one DER element header inside a bounded buffer (X.690 §8.1, with the DER restrictions of §10.1: definite,
    /// minimal lengths). Only single-byte tags (all that X.509 and TLS use). Not a general ASN.1 library: callers walk
    /// the few structures they know.
    /// </summary>
    public static class DerReader
    {
        /// <summary>
        /// Reads the element at <paramref name="offset"/>, which must end at or before <paramref name="end"/>.
        /// False for a high tag number, an indefinite or non-minimal length, or an element running past end.
        /// </summary>
        public static bool ReadHeader(byte[] buffer, int offset, int end, out int tag, out int contentOffset, out int contentLength)
        {
            tag = 0;
            contentOffset = 0;
            contentLength = 0;
            if (buffer == null || offset < 0 || end > buffer.Length || offset > end - 2)
            {
                return false;
            }
            tag = buffer[offset];
            if ((tag & 0x1F) == 0x1F)
            {
                return false;
            }
            int first = buffer[offset + 1];
            int o = offset + 2;
            int length;
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                int count = first & 0x7F;
                if (count < 1 || count > 3 || o > end - count)
                {
                    return false;
                }
                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | buffer[o++];
                }
                if (length < MinimumForLengthBytes(count))
                {
                    return false;
                }
            }
            if (length > end - o)
            {
                return false;
            }
            contentOffset = o;
            contentLength = length;
            return true;
        }

        /// <summary>The smallest length that needs <paramref name="count"/> length bytes (DER forbids longer forms).</summary>
        public static int MinimumForLengthBytes(int count)
        {
            return count == 1 ? 0x80 : (count == 2 ? 0x100 : 0x10000);
        }
    }
}
