namespace NfDtls.Text
{
    /// <summary>
    /// UTF-8 by hand (System.Text is a separate package on nanoFramework). Writes into caller buffers and compares
    /// in place, so option and SenML names cost no allocation. Unpaired surrogates become U+FFFD.
    /// </summary>
    public static class Utf8Bytes
    {
        /// <summary>Bytes <paramref name="text"/> takes in UTF-8.</summary>
        public static int Count(string text)
        {
            if (text == null)
            {
                return 0;
            }
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    n += 1;
                }
                else if (c < 0x800)
                {
                    n += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    n += 4;
                    i++;
                }
                else
                {
                    n += 3;
                }
            }
            return n;
        }

        /// <summary>Writes <paramref name="text"/> at <paramref name="offset"/>; returns bytes written (the caller sized the buffer with <see cref="Count"/>).</summary>
        public static int Write(string text, byte[] buffer, int offset)
        {
            if (text == null)
            {
                return 0;
            }
            int at = offset;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    buffer[at++] = (byte)c;
                    continue;
                }
                if (c < 0x800)
                {
                    buffer[at++] = (byte)(0xC0 | (c >> 6));
                    buffer[at++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    buffer[at++] = (byte)(0xF0 | (cp >> 18));
                    buffer[at++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    buffer[at++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    buffer[at++] = (byte)(0x80 | (cp & 0x3F));
                    continue;
                }
                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    c = 0xFFFD;
                }
                buffer[at++] = (byte)(0xE0 | (c >> 12));
                buffer[at++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[at++] = (byte)(0x80 | (c & 0x3F));
            }
            return at - offset;
        }

        /// <summary>Writes <paramref name="text"/> if it fits in <paramref name="capacity"/>; -1 otherwise.</summary>
        public static int TryWrite(string text, byte[] buffer, int offset, int capacity)
        {
            int n = Count(text);
            if (n > capacity || offset < 0 || offset + n > buffer.Length)
            {
                return -1;
            }
            return Write(text, buffer, offset);
        }

        /// <summary>True if the bytes are exactly the UTF-8 of <paramref name="text"/>.</summary>
        public static bool Equals(string text, byte[] buffer, int offset, int count)
        {
            if (text == null)
            {
                return count == 0;
            }
            int at = offset;
            int end = offset + count;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c >= 0x80)
                {
                    // Rare on the paths that compare (ASCII paths and names): compare through the general writer's length.
                    return CompareSlow(text, buffer, offset, count);
                }
                if (at >= end || buffer[at] != c)
                {
                    return false;
                }
                at++;
            }
            return at == end;
        }

        private static bool CompareSlow(string text, byte[] buffer, int offset, int count)
        {
            if (Count(text) != count)
            {
                return false;
            }
            byte[] tmp = new byte[count];
            Write(text, tmp, 0);
            for (int i = 0; i < count; i++)
            {
                if (tmp[i] != buffer[offset + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Decodes UTF-8 to a string (allocates: for applications and the gateway, not engines). Bad sequences become U+FFFD.</summary>
        public static string ToText(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count];
            int n = 0;
            int i = offset;
            int end = offset + count;
            while (i < end)
            {
                int b = buffer[i];
                int cp;
                int need;
                if (b < 0x80)
                {
                    cp = b;
                    need = 0;
                }
                else if ((b & 0xE0) == 0xC0)
                {
                    cp = b & 0x1F;
                    need = 1;
                }
                else if ((b & 0xF0) == 0xE0)
                {
                    cp = b & 0x0F;
                    need = 2;
                }
                else if ((b & 0xF8) == 0xF0)
                {
                    cp = b & 0x07;
                    need = 3;
                }
                else
                {
                    chars[n++] = (char)0xFFFD;
                    i++;
                    continue;
                }
                i++;
                bool ok = i + need <= end;
                for (int k = 0; ok && k < need; k++)
                {
                    int c = buffer[i + k];
                    if ((c & 0xC0) != 0x80)
                    {
                        ok = false;
                    }
                    else
                    {
                        cp = (cp << 6) | (c & 0x3F);
                    }
                }
                if (!ok)
                {
                    chars[n++] = (char)0xFFFD;
                    continue;
                }
                i += need;
                // RFC 3629 §3: an overlong form, a surrogate or a value past U+10FFFF is not UTF-8. Decoded as is, it
                // would give lone or wrong surrogates that encode back to other bytes (senml-json fuzz finding).
                if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000)
                    || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    chars[n++] = (char)0xFFFD;
                    continue;
                }
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }
            }
            return new string(chars, 0, n);
        }
    }
}
