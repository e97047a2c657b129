using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// The P-256 group (FIPS 186-4 D.1.2.3; y^2 = x^3 - 3x + b over GF(p)). Points are 24 limbs in a <c>uint[]</c>:
    /// homogeneous projective X, Y, Z (each 8 limbs, Montgomery form); infinity is (0 : 1 : 0). Addition and doubling
    /// use the complete formulas of Renes, Costello and Batina (EUROCRYPT 2016, algorithms 4 and 6, a = -3): one
    /// formula for every input, the identity and doubling included, so no branch ever depends on a point.
    /// Scalar multiplication is constant-time: every table entry is read and the wanted one kept by a mask
    /// (no memory index depends on a secret), and the sequence of operations is fixed (a 4-bit fixed window for a
    /// variable point, a 5-tooth comb for the base point). Not thread-safe. About 2.5 KB per instance (the 16-point
    /// window table is most of it); the 2 KB comb table is shared and read-only.
    /// </summary>
    internal sealed class P256Curve
    {
        internal const int PointSize = 24;
        private const int X = 0;
        private const int Y = 8;
        private const int Z = 16;

        // workspace slots (8 limbs each)
        private const int T0 = 0;
        private const int T1 = 8;
        private const int T2 = 16;
        private const int T3 = 24;
        private const int T4 = 32;
        private const int X3 = 40;
        private const int Y3 = 48;
        private const int Z3 = 56;

        internal readonly Montgomery256 Field =
            new Montgomery256(P256Tables.P, 1, P256Tables.PR2, P256Tables.PMinus2);

        internal readonly Montgomery256 Scalar =
            new Montgomery256(P256Tables.N, P256Tables.NInv32, P256Tables.NR2, P256Tables.NMinus2);

        private readonly uint[] _w = new uint[64];
        private readonly uint[] _window = new uint[16 * PointSize];
        private readonly uint[] _acc = new uint[PointSize];
        private readonly uint[] _pick = new uint[PointSize];
        private readonly uint[] _affine = new uint[24];

        /// <summary>r = 2p (RCB algorithm 6). r may alias p.</summary>
        internal void Double(uint[] r, int ro, uint[] p, int po)
        {
            Montgomery256 f = Field;
            uint[] w = _w;
            uint[] b = P256Tables.BMont;
            f.Mul(w, T0, p, po + X, p, po + X);     // t0 = X^2
            f.Mul(w, T1, p, po + Y, p, po + Y);     // t1 = Y^2
            f.Mul(w, T2, p, po + Z, p, po + Z);     // t2 = Z^2
            f.Mul(w, T3, p, po + X, p, po + Y);     // t3 = X Y
            f.Add(w, T3, w, T3, w, T3);             // t3 = t3 + t3
            f.Mul(w, Z3, p, po + X, p, po + Z);     // Z3 = X Z
            f.Add(w, Z3, w, Z3, w, Z3);             // Z3 = Z3 + Z3
            f.Mul(w, Y3, b, 0, w, T2);              // Y3 = b t2
            f.Sub(w, Y3, w, Y3, w, Z3);             // Y3 = Y3 - Z3
            f.Add(w, X3, w, Y3, w, Y3);             // X3 = Y3 + Y3
            f.Add(w, Y3, w, X3, w, Y3);             // Y3 = X3 + Y3
            f.Sub(w, X3, w, T1, w, Y3);             // X3 = t1 - Y3
            f.Add(w, Y3, w, T1, w, Y3);             // Y3 = t1 + Y3
            f.Mul(w, Y3, w, X3, w, Y3);             // Y3 = X3 Y3
            f.Mul(w, X3, w, X3, w, T3);             // X3 = X3 t3
            f.Add(w, T3, w, T2, w, T2);             // t3 = t2 + t2
            f.Add(w, T2, w, T2, w, T3);             // t2 = t2 + t3
            f.Mul(w, Z3, b, 0, w, Z3);              // Z3 = b Z3
            f.Sub(w, Z3, w, Z3, w, T2);             // Z3 = Z3 - t2
            f.Sub(w, Z3, w, Z3, w, T0);             // Z3 = Z3 - t0
            f.Add(w, T3, w, Z3, w, Z3);             // t3 = Z3 + Z3
            f.Add(w, Z3, w, Z3, w, T3);             // Z3 = Z3 + t3
            f.Add(w, T3, w, T0, w, T0);             // t3 = t0 + t0
            f.Add(w, T0, w, T3, w, T0);             // t0 = t3 + t0
            f.Sub(w, T0, w, T0, w, T2);             // t0 = t0 - t2
            f.Mul(w, T0, w, T0, w, Z3);             // t0 = t0 Z3
            f.Add(w, Y3, w, Y3, w, T0);             // Y3 = Y3 + t0
            f.Mul(w, T0, p, po + Y, p, po + Z);     // t0 = Y Z
            f.Add(w, T0, w, T0, w, T0);             // t0 = t0 + t0
            f.Mul(w, Z3, w, T0, w, Z3);             // Z3 = t0 Z3
            f.Sub(w, X3, w, X3, w, Z3);             // X3 = X3 - Z3
            f.Mul(w, Z3, w, T0, w, T1);             // Z3 = t0 t1
            f.Add(w, Z3, w, Z3, w, Z3);             // Z3 = Z3 + Z3
            f.Add(w, Z3, w, Z3, w, Z3);             // Z3 = Z3 + Z3
            Array.Copy(w, X3, r, ro, PointSize);
        }

        /// <summary>r = p + q (RCB algorithm 4), complete. r may alias p or q.</summary>
        internal void Add(uint[] r, int ro, uint[] p, int po, uint[] q, int qo)
        {
            Montgomery256 f = Field;
            uint[] w = _w;
            uint[] b = P256Tables.BMont;
            f.Mul(w, T0, p, po + X, q, qo + X);     // t0 = X1 X2
            f.Mul(w, T1, p, po + Y, q, qo + Y);     // t1 = Y1 Y2
            f.Mul(w, T2, p, po + Z, q, qo + Z);     // t2 = Z1 Z2
            f.Add(w, T3, p, po + X, p, po + Y);     // t3 = X1 + Y1
            f.Add(w, T4, q, qo + X, q, qo + Y);     // t4 = X2 + Y2
            f.Mul(w, T3, w, T3, w, T4);             // t3 = t3 t4
            f.Add(w, T4, w, T0, w, T1);             // t4 = t0 + t1
            f.Sub(w, T3, w, T3, w, T4);             // t3 = t3 - t4
            f.Add(w, T4, p, po + Y, p, po + Z);     // t4 = Y1 + Z1
            f.Add(w, X3, q, qo + Y, q, qo + Z);     // X3 = Y2 + Z2
            f.Mul(w, T4, w, T4, w, X3);             // t4 = t4 X3
            f.Add(w, X3, w, T1, w, T2);             // X3 = t1 + t2
            f.Sub(w, T4, w, T4, w, X3);             // t4 = t4 - X3
            f.Add(w, X3, p, po + X, p, po + Z);     // X3 = X1 + Z1
            f.Add(w, Y3, q, qo + X, q, qo + Z);     // Y3 = X2 + Z2
            f.Mul(w, X3, w, X3, w, Y3);             // X3 = X3 Y3
            f.Add(w, Y3, w, T0, w, T2);             // Y3 = t0 + t2
            f.Sub(w, Y3, w, X3, w, Y3);             // Y3 = X3 - Y3
            f.Mul(w, Z3, b, 0, w, T2);              // Z3 = b t2
            f.Sub(w, X3, w, Y3, w, Z3);             // X3 = Y3 - Z3
            f.Add(w, Z3, w, X3, w, X3);             // Z3 = X3 + X3
            f.Add(w, X3, w, X3, w, Z3);             // X3 = X3 + Z3
            f.Sub(w, Z3, w, T1, w, X3);             // Z3 = t1 - X3
            f.Add(w, X3, w, T1, w, X3);             // X3 = t1 + X3
            f.Mul(w, Y3, b, 0, w, Y3);              // Y3 = b Y3
            f.Add(w, T1, w, T2, w, T2);             // t1 = t2 + t2
            f.Add(w, T2, w, T1, w, T2);             // t2 = t1 + t2
            f.Sub(w, Y3, w, Y3, w, T2);             // Y3 = Y3 - t2
            f.Sub(w, Y3, w, Y3, w, T0);             // Y3 = Y3 - t0
            f.Add(w, T1, w, Y3, w, Y3);             // t1 = Y3 + Y3
            f.Add(w, Y3, w, T1, w, Y3);             // Y3 = t1 + Y3
            f.Add(w, T1, w, T0, w, T0);             // t1 = t0 + t0
            f.Add(w, T0, w, T1, w, T0);             // t0 = t1 + t0
            f.Sub(w, T0, w, T0, w, T2);             // t0 = t0 - t2
            f.Mul(w, T1, w, T4, w, Y3);             // t1 = t4 Y3
            f.Mul(w, T2, w, T0, w, Y3);             // t2 = t0 Y3
            f.Mul(w, Y3, w, X3, w, Z3);             // Y3 = X3 Z3
            f.Add(w, Y3, w, Y3, w, T2);             // Y3 = Y3 + t2
            f.Mul(w, X3, w, T3, w, X3);             // X3 = t3 X3
            f.Sub(w, X3, w, X3, w, T1);             // X3 = X3 - t1
            f.Mul(w, Z3, w, T4, w, Z3);             // Z3 = t4 Z3
            f.Mul(w, T1, w, T3, w, T0);             // t1 = t3 t0
            f.Add(w, Z3, w, Z3, w, T1);             // Z3 = Z3 + t1
            Array.Copy(w, X3, r, ro, PointSize);
        }

        internal static void SetInfinity(uint[] r, int ro)
        {
            Array.Clear(r, ro, PointSize);
            Array.Copy(P256Tables.OneP, 0, r, ro + Y, 8);
        }

        /// <summary>
        /// r = k P for a 32-byte big-endian scalar k (any value; k ≥ n works too) and a projective point P.
        /// Fixed 4-bit window, MSB first: 252 doublings and 64 additions whatever k is, each table entry chosen by a
        /// masked scan of all 16. r may alias P.
        /// </summary>
        internal void Multiply(uint[] r, int ro, uint[] p, int po, byte[] k, int ko)
        {
            uint[] table = _window;
            SetInfinity(table, 0);
            Array.Copy(p, po, table, PointSize, PointSize);
            for (int i = 2; i < 16; i++)
            {
                int o = i * PointSize;
                if ((i & 1) == 0)
                {
                    Double(table, o, table, (i >> 1) * PointSize);
                }
                else
                {
                    Add(table, o, table, o - PointSize, table, PointSize);
                }
            }

            uint[] acc = _acc;
            uint[] pick = _pick;
            SetInfinity(acc, 0);
            for (int i = 0; i < 64; i++)
            {
                if (i != 0)
                {
                    Double(acc, 0, acc, 0);
                    Double(acc, 0, acc, 0);
                    Double(acc, 0, acc, 0);
                    Double(acc, 0, acc, 0);
                }
                // nibble i from the top: the position is public, its value is secret
                uint nibble = ((uint)k[ko + (i >> 1)] >> (((i & 1) ^ 1) << 2)) & 15u;
                Array.Clear(pick, 0, PointSize);
                for (uint e = 0; e < 16; e++)
                {
                    uint mask = 0u - (((e ^ nibble) - 1u) >> 31);
                    int o = (int)e * PointSize;
                    for (int j = 0; j < PointSize; j++)
                    {
                        pick[j] |= table[o + j] & mask;
                    }
                }
                Add(acc, 0, acc, 0, pick, 0);
            }
            Array.Copy(acc, 0, r, ro, PointSize);
        }

        /// <summary>
        /// r = k G for a 32-byte big-endian scalar. Comb with 5 teeth spaced 52 bits (Lim-Lee): 51 doublings and 52
        /// additions; the entry is chosen by a masked scan of all 32 affine entries, and entry 0 (infinity) becomes
        /// (0 : 1 : 0) by masks, not by a branch.
        /// </summary>
        internal void MultiplyBase(uint[] r, int ro, byte[] k, int ko)
        {
            uint[] comb = P256Tables.Comb;
            uint[] one = P256Tables.OneP;
            uint[] acc = _acc;
            uint[] pick = _pick;
            SetInfinity(acc, 0);
            for (int i = P256Tables.CombSpacing - 1; i >= 0; i--)
            {
                if (i != P256Tables.CombSpacing - 1)
                {
                    Double(acc, 0, acc, 0);
                }
                uint index = 0;
                for (int t = 0; t < P256Tables.CombTeeth; t++)
                {
                    int bit = i + t * P256Tables.CombSpacing;
                    if (bit < 256)
                    {
                        index |= (((uint)k[ko + 31 - (bit >> 3)] >> (bit & 7)) & 1u) << t;
                    }
                }
                Array.Clear(pick, 0, 16);
                for (uint e = 0; e < 32; e++)
                {
                    uint mask = 0u - (((e ^ index) - 1u) >> 31);
                    int o = (int)e * 16;
                    for (int j = 0; j < 16; j++)
                    {
                        pick[j] |= comb[o + j] & mask;
                    }
                }
                // index 0: (0, 0) -> (0 : 1 : 0); otherwise Z = 1
                uint zero = 0u - ((index - 1u) >> 31);
                for (int j = 0; j < 8; j++)
                {
                    pick[Y + j] |= one[j] & zero;
                    pick[Z + j] = one[j] & ~zero;
                }
                Add(acc, 0, acc, 0, pick, 0);
            }
            Array.Copy(acc, 0, r, ro, PointSize);
        }

        /// <summary>
        /// Affine x and y of a projective point as plain (not Montgomery) limbs, x at xy[xo], y at xy[xo + 8].
        /// False for the point at infinity (then xy is zeroed).
        /// </summary>
        internal bool ToAffine(uint[] xy, int xo, uint[] p, int po)
        {
            Montgomery256 f = Field;
            uint[] a = _affine;
            f.Invert(a, 0, p, po + Z);
            f.Mul(a, 8, p, po + X, a, 0);
            f.Mul(a, 16, p, po + Y, a, 0);
            f.FromMontgomery(xy, xo, a, 8);
            f.FromMontgomery(xy, xo + 8, a, 16);
            return !Montgomery256.IsZero(p, po + Z);
        }

        /// <summary>
        /// Reads a SEC 1 uncompressed point (65 bytes: 0x04 || X || Y) and checks it: coordinates below p and on the
        /// curve (SEC 1 §3.2.2.1; the cofactor is 1, so that is the whole public-key validation; infinity has no
        /// uncompressed encoding). Writes it projective (Z = 1) at r[ro].
        /// </summary>
        internal bool DecodePoint(byte[] data, int offset, int count, uint[] r, int ro)
        {
            if (data == null || count != 65 || offset < 0 || offset > data.Length - 65 || data[offset] != 0x04)
            {
                return false;
            }
            Montgomery256 f = Field;
            uint[] a = _affine;
            Montgomery256.FromBytes(a, 0, data, offset + 1);
            Montgomery256.FromBytes(a, 8, data, offset + 33);
            if (!f.IsReduced(a, 0) || !f.IsReduced(a, 8))
            {
                return false;
            }
            f.ToMontgomery(r, ro + X, a, 0);
            f.ToMontgomery(r, ro + Y, a, 8);
            Array.Copy(P256Tables.OneP, 0, r, ro + Z, 8);

            // y^2 == x^3 - 3x + b
            f.Mul(a, 0, r, ro + Y, r, ro + Y);     // y^2
            f.Mul(a, 8, r, ro + X, r, ro + X);     // x^2
            f.Mul(a, 8, a, 8, r, ro + X);          // x^3
            f.Sub(a, 8, a, 8, r, ro + X);
            f.Sub(a, 8, a, 8, r, ro + X);
            f.Sub(a, 8, a, 8, r, ro + X);          // x^3 - 3x
            f.Add(a, 8, a, 8, P256Tables.BMont, 0);
            return Montgomery256.Equal(a, 0, a, 8);
        }

        /// <summary>Writes 0x04 || X || Y (65 bytes) of a projective point; false for infinity.</summary>
        internal bool EncodePoint(byte[] output, int offset, uint[] p, int po)
        {
            uint[] xy = _affine;
            bool finite = ToAffine(xy, 0, p, po);
            output[offset] = 0x04;
            Montgomery256.ToBytes(output, offset + 1, xy, 0);
            Montgomery256.ToBytes(output, offset + 33, xy, 8);
            return finite;
        }
    }
}
