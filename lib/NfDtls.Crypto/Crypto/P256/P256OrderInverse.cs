namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Inversion modulo the group order n by Fermat, a^(n-2), in Montgomery form (<see cref="P256Order"/>): sliding
    /// windows of up to 4 bits over the public exponent n - 2 (the odd powers a, a^3, .., a^15 first; then 255
    /// squarings and about 50 multiplications), so which operations run depends on n alone, never on a. Its 10
    /// scratch values are borrowed (P256Ecdsa lends its curve's window table, idle while it inverts).
    /// </summary>
    internal sealed class P256OrderInverse
    {
        private readonly uint[][] _scratch;   // [0..7]: a^(2j + 1); [8]: a^2; [9]: the running power

        /// <param name="scratch">at least 10 arrays of 8 limbs, not in use while <see cref="Invert"/> runs</param>
        internal P256OrderInverse(uint[][] scratch)
        {
            _scratch = scratch;
        }

        /// <summary>r = a^-1 R (Montgomery form) for a = a' R; r may be a. a = 0 gives 0.</summary>
        internal void Invert(uint[] r, uint[] a)
        {
            uint[][] w = _scratch;
            uint[] t = w[9];
            System.Array.Copy(a, w[0], 8);
            P256Order.MontMul(w[8], a, a);
            for (int j = 1; j < 8; j++)
            {
                P256Order.MontMul(w[j], w[j - 1], w[8]);
            }
            uint[] e = P256Tables.NMinus2;
            bool started = false;
            int i = 255;
            while (i >= 0)
            {
                if (((e[i >> 5] >> (i & 31)) & 1u) == 0)
                {
                    P256Order.MontMul(t, t, t);
                    i--;
                    continue;
                }
                // the window: bits i down to low, at most 4 of them, ending on a one
                int low = i - 3 < 0 ? 0 : i - 3;
                while (((e[low >> 5] >> (low & 31)) & 1u) == 0)
                {
                    low++;
                }
                uint v = 0;
                for (int b = i; b >= low; b--)
                {
                    v = (v << 1) | ((e[b >> 5] >> (b & 31)) & 1u);
                    if (started)
                    {
                        P256Order.MontMul(t, t, t);
                    }
                }
                if (started)
                {
                    P256Order.MontMul(t, t, w[v >> 1]);
                }
                else
                {
                    System.Array.Copy(w[v >> 1], t, 8);
                    started = true;
                }
                i = low - 1;
            }
            System.Array.Copy(t, r, 8);
        }

        /// <summary>Wipes the powers of the value inverted (a nonce is secret).</summary>
        internal void Clear()
        {
            for (int j = 0; j < 10; j++)
            {
                System.Array.Clear(_scratch[j], 0, 8);
            }
        }
    }
}
