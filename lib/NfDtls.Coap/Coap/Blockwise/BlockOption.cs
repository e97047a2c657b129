namespace NfDtls.Coap.Blockwise
{
    /// <summary>
    /// The Block1/Block2 option value (RFC 7959 §2.2): NUM (20 bits), M (more) and SZX, block size 2^(SZX+4)
    /// from 16 to 1024 (SZX 7 is reserved).
    /// </summary>
    public static class BlockOption
    {
        public static uint Encode(int num, bool more, int szx)
        {
            return ((uint)num << 4) | (more ? 8u : 0u) | (uint)(szx & 7);
        }

        public static int Num(uint value)
        {
            return (int)(value >> 4);
        }

        public static bool More(uint value)
        {
            return (value & 8) != 0;
        }

        public static int Szx(uint value)
        {
            return (int)(value & 7);
        }

        public static int Size(int szx)
        {
            return 1 << (szx + 4);
        }

        /// <summary>SZX for a block size 16..1024 (a power of two); -1 if not one.</summary>
        public static int SzxForSize(int size)
        {
            for (int szx = 0; szx <= 6; szx++)
            {
                if (Size(szx) == size)
                {
                    return szx;
                }
            }
            return -1;
        }
    }
}
