namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Inversion modulo p by Fermat, a^(p-2), along a fixed addition chain for p - 2 = 2^256 - 2^224 + 2^192 + 2^96 - 3
    /// (255 squarings and 12 multiplications): the same operations for every input, so constant-time. 0 gives 0.
    /// The chain builds a^(2^k - 1) for k = 2, 3, 6, 12, 15, 30, 32 and then lays out p - 2's bits: 32 ones, 31 zeros
    /// and a one, 96 zeros, 94 ones, a zero and a one. Its 7 scratch values are borrowed (the curve lends its window
    /// table, idle whenever an inversion runs), so an instance is a few fields.
    /// </summary>
    internal sealed class P256FieldInverse
    {
        private readonly uint[] _x2;
        private readonly uint[] _x3;
        private readonly uint[] _x6;
        private readonly uint[] _x15;
        private readonly uint[] _x30;
        private readonly uint[] _x32;
        private readonly uint[] _t;

        /// <param name="scratch">at least 7 arrays of 8 limbs, not in use while <see cref="Invert"/> runs</param>
        internal P256FieldInverse(uint[][] scratch)
        {
            _x2 = scratch[0];
            _x3 = scratch[1];
            _x6 = scratch[2];
            _x15 = scratch[3];
            _x30 = scratch[4];
            _x32 = scratch[5];
            _t = scratch[6];
        }

        /// <summary>r = a^-1 mod p; r may be a.</summary>
        internal void Invert(uint[] r, uint[] a)
        {
            uint[] t = _t;
            SquareTimes(_x2, a, 1);
            P256Field.Mul(_x2, _x2, a);            // a^(2^2 - 1)
            SquareTimes(_x3, _x2, 1);
            P256Field.Mul(_x3, _x3, a);            // a^(2^3 - 1)
            SquareTimes(_x6, _x3, 3);
            P256Field.Mul(_x6, _x6, _x3);          // a^(2^6 - 1)
            SquareTimes(t, _x6, 6);
            P256Field.Mul(t, t, _x6);              // a^(2^12 - 1)
            SquareTimes(_x15, t, 3);
            P256Field.Mul(_x15, _x15, _x3);        // a^(2^15 - 1)
            SquareTimes(_x30, _x15, 15);
            P256Field.Mul(_x30, _x30, _x15);       // a^(2^30 - 1)
            SquareTimes(_x32, _x30, 2);
            P256Field.Mul(_x32, _x32, _x2);        // a^(2^32 - 1): bits 255..224
            SquareTimes(t, _x32, 32);
            P256Field.Mul(t, t, a);                // bits 223..192: 0...01
            SquareTimes(t, t, 128);
            P256Field.Mul(t, t, _x32);             // bits 191..96 zero, 95..64 ones
            SquareTimes(t, t, 32);
            P256Field.Mul(t, t, _x32);             // bits 63..32 ones
            SquareTimes(t, t, 30);
            P256Field.Mul(t, t, _x30);             // bits 31..2 ones
            SquareTimes(t, t, 2);
            P256Field.Mul(r, t, a);                // bits 1..0: 01
        }

        private static void SquareTimes(uint[] r, uint[] a, int n)
        {
            P256Field.Sqr(r, a);
            for (int i = 1; i < n; i++)
            {
                P256Field.Sqr(r, r);
            }
        }
    }
}
