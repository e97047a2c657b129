namespace NfDtls.Crypto.P256
{
    internal sealed partial class P256Curve
    {
        /// <summary>
        /// (x, y) = k G for a 32-byte big-endian scalar k in [1, n-1], constant-time. Two signed combs (Lim-Lee combs
        /// over the signed all-bit-set recoding of Hedabou, Pinel and Beneteau): an odd k' (k or n - k) is written
        /// sum over m &lt; 260 of s_m 2^m with every s_m = +-1 (s_m = 2 b_(m+1) - 1, s_259 = 1), and column i (26 of
        /// them) adds +-A[e] (teeth at bits i + 26 j, j &lt; 5) and +-B[e] (bits 130 + i + 26 j), e chosen by which signs
        /// agree with the top tooth's. So 25 doublings and 52 mixed additions, each entry picked by a masked scan of
        /// the 16 of its comb. Tables: P256Tables.Comb, 2 KB.
        /// </summary>
        internal bool MultiplyBase(uint[] x, uint[] y, byte[] k, int ko)
        {
            uint even = OddScalar(k, ko);
            _j.Exceptional = 0;
            for (int i = P256Tables.CombSpacing - 1; i >= 0; i--)
            {
                PickComb(i, 0);
                if (i == P256Tables.CombSpacing - 1)
                {
                    System.Array.Copy(_sx, _qx, 8);
                    System.Array.Copy(_sy, _qy, 8);
                    System.Array.Copy(P256Tables.One, _qz, 8);
                }
                else
                {
                    _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                    _j.AddMixed(_qx, _qy, _qz, _qx, _qy, _qz, _sx, _sy);
                }
                PickComb(i, 1);
                _j.AddMixed(_qx, _qy, _qz, _qx, _qy, _qz, _sx, _sy);
            }
            NegateIf(_qy, even);
            if (_j.Exceptional != 0)
            {
                MultiplyComplete(P256Tables.GX, P256Tables.GY, k, ko);
            }
            return ToAffine(x, y, _qx, _qy, _qz);
        }

        /// <summary>The signed comb entry of column <paramref name="i"/> of comb A (0) or B (1) into (_sx, _sy).</summary>
        private void PickComb(int i, int comb)
        {
            int first = 130 * comb + i;
            uint top = CombBit(first + 104);
            uint index = 0;
            for (int j = 0; j < 4; j++)
            {
                index |= ((CombBit(first + 26 * j) ^ top ^ 1u) & 1u) << j;
            }
            PickAffine(P256Tables.Comb, 256 * comb, index);
            NegateIf(_sy, top - 1u);
        }

        // c_m = 1 when the signed digit s_m is +1: bit m + 1 of k' below the top, and the top digit s_259 is +1
        private uint CombBit(int m)
        {
            return m == 259 ? 1u : Bit(m + 1);
        }

        /// <summary>(_sx, _sy) = entry <paramref name="index"/> of 16 affine entries at table[offset]: all 16 read, masked.</summary>
        private void PickAffine(uint[] table, int offset, uint index)
        {
            uint x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
            uint y0 = 0, y1 = 0, y2 = 0, y3 = 0, y4 = 0, y5 = 0, y6 = 0, y7 = 0;
            for (uint e = 0; e < 16; e++)
            {
                uint m = 0u - (((e ^ index) - 1u) >> 31);
                int o = offset + (int)e * 16;
                x0 |= table[o] & m;
                x1 |= table[o + 1] & m;
                x2 |= table[o + 2] & m;
                x3 |= table[o + 3] & m;
                x4 |= table[o + 4] & m;
                x5 |= table[o + 5] & m;
                x6 |= table[o + 6] & m;
                x7 |= table[o + 7] & m;
                y0 |= table[o + 8] & m;
                y1 |= table[o + 9] & m;
                y2 |= table[o + 10] & m;
                y3 |= table[o + 11] & m;
                y4 |= table[o + 12] & m;
                y5 |= table[o + 13] & m;
                y6 |= table[o + 14] & m;
                y7 |= table[o + 15] & m;
            }
            _sx[0] = x0;
            _sy[0] = y0;
            _sx[1] = x1;
            _sy[1] = y1;
            _sx[2] = x2;
            _sy[2] = y2;
            _sx[3] = x3;
            _sy[3] = y3;
            _sx[4] = x4;
            _sy[4] = y4;
            _sx[5] = x5;
            _sy[5] = y5;
            _sx[6] = x6;
            _sy[6] = y6;
            _sx[7] = x7;
            _sy[7] = y7;
        }
    }
}
