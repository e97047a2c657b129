using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// ECDSA-Sig-Value (RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }) in strict DER, as TLS carries P-256
    /// signatures (RFC 8422 §5.4), to and from the fixed r || s form (32 + 32 bytes) the crypto interface uses.
    /// Decoding refuses every non-DER form (long-form short lengths, non-minimal or negative integers, trailing bytes):
    /// a signature has one encoding, so a malleated one is not accepted.
    /// </summary>
    public static class EcdsaDer
    {
        /// <summary>Largest encoding for P-256: 2 + 2 x (2 + 33).</summary>
        public const int MaxLength = 72;

        /// <summary>Writes the DER form of r || s (64 bytes at rs[rsOffset]); returns its length (8..72).</summary>
        public static int Encode(byte[] rs, int rsOffset, byte[] output, int outputOffset)
        {
            int rLength = IntegerLength(rs, rsOffset);
            int sLength = IntegerLength(rs, rsOffset + 32);
            int content = 2 + rLength + 2 + sLength;
            int o = outputOffset;
            output[o++] = 0x30;
            output[o++] = (byte)content;
            o = WriteInteger(rs, rsOffset, rLength, output, o);
            o = WriteInteger(rs, rsOffset + 32, sLength, output, o);
            return o - outputOffset;
        }

        /// <summary>
        /// Reads exactly <paramref name="count"/> bytes of DER into r || s (64 bytes). False for anything that is not
        /// the DER of two non-negative integers of at most 32 bytes each. Range checks (1 ≤ r, s &lt; n) are the verifier's.
        /// </summary>
        public static bool Decode(byte[] der, int offset, int count, byte[] rs, int rsOffset)
        {
            if (der == null || rs == null || offset < 0 || count < 8 || offset > der.Length - count
                || rsOffset < 0 || rsOffset > rs.Length - 64)
            {
                return false;
            }
            // X.690 §10.1: lengths below 128 take the short form; the content here is at most 70 bytes
            if (der[offset] != 0x30 || der[offset + 1] != count - 2)
            {
                return false;
            }
            int end = offset + count;
            int o = ReadInteger(der, offset + 2, end, rs, rsOffset);
            if (o < 0)
            {
                return false;
            }
            o = ReadInteger(der, o, end, rs, rsOffset + 32);
            return o == end;
        }

        // Returns the offset after the INTEGER, or -1.
        private static int ReadInteger(byte[] der, int o, int end, byte[] output, int outputOffset)
        {
            if (o > end - 3 || der[o] != 0x02)
            {
                return -1;
            }
            int length = der[o + 1];
            o += 2;
            if (length < 1 || length > 33 || o > end - length)
            {
                return -1;
            }
            if ((der[o] & 0x80) != 0)
            {
                return -1; // negative
            }
            if (length > 1 && der[o] == 0 && (der[o + 1] & 0x80) == 0)
            {
                return -1; // X.690 §8.3.2: not minimal
            }
            int skip = 0;
            if (der[o] == 0 && length > 1)
            {
                skip = 1;
            }
            int valueLength = length - skip;
            if (valueLength > 32)
            {
                return -1;
            }
            Array.Clear(output, outputOffset, 32 - valueLength);
            Array.Copy(der, o + skip, output, outputOffset + 32 - valueLength, valueLength);
            return o + length;
        }

        // Minimal two's-complement length of a non-negative 32-byte big-endian value.
        private static int IntegerLength(byte[] v, int offset)
        {
            int first = 0;
            while (first < 31 && v[offset + first] == 0)
            {
                first++;
            }
            int length = 32 - first;
            return (v[offset + first] & 0x80) != 0 ? length + 1 : length;
        }

        private static int WriteInteger(byte[] v, int offset, int length, byte[] output, int o)
        {
            output[o++] = 0x02;
            output[o++] = (byte)length;
            if (length == 33)
            {
                output[o++] = 0;
                Array.Copy(v, offset, output, o, 32);
                return o + 32;
            }
            // a padded value shorter than 32 bytes has a zero byte just before it: copy that along
            int first = 32 - length;
            Array.Copy(v, offset + first, output, o, length);
            return o + length;
        }
    }
}
