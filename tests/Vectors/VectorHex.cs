using System;

namespace NfDtls.Vectors
{
    /// <summary>Hex and ASCII to bytes and back, written for nanoFramework too (no Convert, no System.Text).</summary>
    public static class VectorHex
    {
        private const string Digits = "0123456789abcdef";

        public static byte[] Parse(string hex)
        {
            if ((hex.Length & 1) != 0)
            {
                throw new ArgumentException("odd hex length");
            }
            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(Nibble(hex[2 * i]) << 4 | Nibble(hex[2 * i + 1]));
            }
            return bytes;
        }

        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }
            return bytes;
        }

        /// <summary>Lower-case hex of buf[offset .. offset + count).</summary>
        public static string Of(byte[] buf, int offset, int count)
        {
            char[] chars = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                chars[2 * i] = Digits[buf[offset + i] >> 4];
                chars[2 * i + 1] = Digits[buf[offset + i] & 15];
            }
            return new string(chars);
        }

        /// <summary>Case-insensitive equality of two hex strings (the tables mix cases as their sources do).</summary>
        public static bool SameHex(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }
            for (int i = 0; i < a.Length; i++)
            {
                if (Nibble(a[i]) != Nibble(b[i]))
                {
                    return false;
                }
            }
            return true;
        }

        private static int Nibble(char c)
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
            throw new ArgumentException("not a hex digit");
        }
    }
}
