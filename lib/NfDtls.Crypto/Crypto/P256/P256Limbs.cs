namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// 256-bit values as 8 little-endian 32-bit limbs (<c>uint[8]</c>): big-endian bytes in and out, and the
    /// comparisons and masked copies the P-256 code needs. Constant-time except where a name says otherwise.
    /// </summary>
    internal static class P256Limbs
    {
        /// <summary>32 big-endian bytes to limbs.</summary>
        internal static void FromBytes(uint[] r, byte[] b, int bo)
        {
            for (int i = 0; i < 8; i++)
            {
                int k = bo + 28 - 4 * i;
                r[i] = ((uint)b[k] << 24) | ((uint)b[k + 1] << 16) | ((uint)b[k + 2] << 8) | b[k + 3];
            }
        }

        /// <summary>Limbs to 32 big-endian bytes.</summary>
        internal static void ToBytes(byte[] b, int bo, uint[] a)
        {
            for (int i = 0; i < 8; i++)
            {
                int k = bo + 28 - 4 * i;
                uint v = a[i];
                b[k] = (byte)(v >> 24);
                b[k + 1] = (byte)(v >> 16);
                b[k + 2] = (byte)(v >> 8);
                b[k + 3] = (byte)v;
            }
        }

        /// <summary>All ones when a = 0, else 0.</summary>
        internal static uint ZeroMask(uint[] a)
        {
            uint acc = a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7];
            return (uint)(((ulong)acc - 1) >> 32);
        }

        internal static bool IsZero(uint[] a)
        {
            return ZeroMask(a) != 0;
        }

        internal static bool Equal(uint[] a, uint[] b)
        {
            uint acc = 0;
            for (int i = 0; i < 8; i++)
            {
                acc |= a[i] ^ b[i];
            }
            return acc == 0;
        }

        /// <summary>True when a &lt; m.</summary>
        internal static bool IsLess(uint[] a, uint[] m)
        {
            long borrow = 0;
            for (int i = 0; i < 8; i++)
            {
                borrow = ((long)a[i] - m[i] + borrow) >> 32;
            }
            return borrow != 0;
        }

        /// <summary>r = m - a as plain integers (a ≤ m; P-256 uses it with m = n for a scalar's negation).</summary>
        internal static void Subtract(uint[] r, uint[] m, uint[] a)
        {
            long acc = 0;
            for (int i = 0; i < 8; i++)
            {
                acc += (long)m[i] - a[i];
                r[i] = (uint)acc;
                acc >>= 32;
            }
        }

        /// <summary>r = a where mask is all ones, r unchanged where it is 0.</summary>
        internal static void Select(uint[] r, uint[] a, uint mask)
        {
            for (int i = 0; i < 8; i++)
            {
                r[i] = (a[i] & mask) | (r[i] & ~mask);
            }
        }
    }
}
