namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Inversion modulo the group order n by Fermat, a^(n-2), in Montgomery form (<see cref="P256Order"/>): fixed
    /// 4-bit windows over the public exponent n - 2 (a^1 .. a^15 first, then 252 squarings and one multiplication per
    /// nonzero nibble), so the operations never depend on a. About 600 bytes of scratch per instance.
    /// </summary>
    internal sealed class P256OrderInverse
    {
        private readonly uint[][] _powers = NewPowers();
        private readonly uint[] _t = new uint[8];

        /// <summary>r = a^-1 R (Montgomery form) for a = a' R; r may be a. a = 0 gives 0.</summary>
        internal void Invert(uint[] r, uint[] a)
        {
            uint[][] w = _powers;
            uint[] t = _t;
            System.Array.Copy(a, w[1], 8);
            P256Order.MontMul(w[2], a, a);
            for (int i = 3; i < 16; i++)
            {
                P256Order.MontMul(w[i], w[i - 1], a);
            }
            uint[] e = P256Tables.NMinus2;
            System.Array.Copy(w[e[7] >> 28], t, 8);
            for (int i = 62; i >= 0; i--)
            {
                P256Order.MontMul(t, t, t);
                P256Order.MontMul(t, t, t);
                P256Order.MontMul(t, t, t);
                P256Order.MontMul(t, t, t);
                uint nibble = (e[i >> 3] >> ((i & 7) << 2)) & 15u;
                if (nibble != 0)
                {
                    P256Order.MontMul(t, t, w[nibble]);
                }
            }
            System.Array.Copy(t, r, 8);
        }

        internal void Clear()
        {
            for (int i = 0; i < 16; i++)
            {
                System.Array.Clear(_powers[i], 0, 8);
            }
            System.Array.Clear(_t, 0, 8);
        }

        private static uint[][] NewPowers()
        {
            uint[][] w = new uint[16][];
            for (int i = 0; i < 16; i++)
            {
                w[i] = new uint[8];
            }
            return w;
        }
    }
}
