using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// The P-256 group (FIPS 186-4 D.1.2.3; y^2 = x^3 - 3x + b over GF(p)) for ECDH and ECDSA: scalar multiplications
    /// in Jacobian coordinates over <see cref="P256Jacobian"/>, points in and out as affine x, y (plain limbs).
    /// <list type="bullet">
    /// <item>k G (key generation, signing): two signed combs of 5 teeth (P256Curve.FixedBase.cs), constant-time.</item>
    /// <item>k P (ECDH): signed odd 4-bit windows (P256Curve.VariableBase.cs), constant-time.</item>
    /// <item>u1 G + u2 Q (ECDSA verification): one doubling chain for both, variable-time (P256Curve.Verify.cs).</item>
    /// </list>
    /// Written for an interpreter: few calls per field operation, limbs in locals, no allocation. Not thread-safe.
    /// About 2.3 KB per instance (the 8-point window table, 1.2 KB, doubles as the inversions' scratch); the 2 KB comb
    /// table is shared.
    /// </summary>
    internal sealed partial class P256Curve
    {
        private readonly P256Jacobian _j = new P256Jacobian();
        private readonly P256FieldInverse _inverse;

        // the odd multiples P, 3P, ..., 15P (Jacobian) of the multiplication running: entry j is _window[3j], [3j + 1],
        // [3j + 2] (X, Y, Z); between multiplications, scratch for the inversions
        private readonly uint[][] _window;

        // the accumulator, the table entry picked for the next addition, the recoded scalar, scratch
        private readonly uint[] _qx = new uint[8];
        private readonly uint[] _qy = new uint[8];
        private readonly uint[] _qz = new uint[8];
        private readonly uint[] _sx = new uint[8];
        private readonly uint[] _sy = new uint[8];
        private readonly uint[] _sz = new uint[8];
        private readonly uint[] _k = new uint[8];
        private readonly uint[] _t = new uint[8];
        private readonly uint[] _u = new uint[8];

        internal P256Curve()
        {
            _window = new uint[24][];
            for (int i = 0; i < 24; i++)
            {
                _window[i] = new uint[8];
            }
            _inverse = new P256FieldInverse(_window);
        }

        /// <summary>24 arrays of 8 limbs free between multiplications (P256Ecdsa inverts mod n in them).</summary>
        internal uint[][] Scratch
        {
            get { return _window; }
        }

        /// <summary>
        /// Affine x, y of (X : Y : Z) as plain limbs; false for infinity (x, y are then garbage). Constant-time
        /// (one inversion by a fixed chain). x, y may be X, Y.
        /// </summary>
        internal bool ToAffine(uint[] x, uint[] y, uint[] px, uint[] py, uint[] pz)
        {
            uint[] zi = _t;
            uint[] zi2 = _u;
            bool finite = !P256Limbs.IsZero(pz);
            _inverse.Invert(zi, pz);
            P256Field.Sqr(zi2, zi);
            P256Field.Mul(x, px, zi2);
            P256Field.Mul(zi, zi, zi2);
            P256Field.Mul(y, py, zi);
            return finite;
        }

        /// <summary>
        /// Reads a SEC 1 uncompressed point (65 bytes: 0x04 || X || Y) and checks it: coordinates below p and on the
        /// curve (SEC 1 §3.2.2.1; the cofactor is 1, so that is the whole public-key validation; infinity has no
        /// uncompressed encoding).
        /// </summary>
        internal bool DecodePoint(byte[] data, int offset, int count, uint[] x, uint[] y)
        {
            if (data == null || count != 65 || offset < 0 || offset > data.Length - 65 || data[offset] != 0x04)
            {
                return false;
            }
            P256Limbs.FromBytes(x, data, offset + 1);
            P256Limbs.FromBytes(y, data, offset + 33);
            if (!P256Limbs.IsLess(x, P256Tables.P) || !P256Limbs.IsLess(y, P256Tables.P))
            {
                return false;
            }
            // y^2 == x^3 - 3x + b
            uint[] lhs = _t;
            uint[] rhs = _u;
            P256Field.Sqr(lhs, y);
            P256Field.Sqr(rhs, x);
            P256Field.Mul(rhs, rhs, x);
            P256Field.MulSmall(_sx, x, 3);
            P256Field.Sub(rhs, rhs, _sx);
            P256Field.Add(rhs, rhs, P256Tables.B);
            return P256Limbs.Equal(lhs, rhs);
        }

        /// <summary>Writes 0x04 || X || Y (65 bytes).</summary>
        internal static void EncodePoint(byte[] output, int offset, uint[] x, uint[] y)
        {
            output[offset] = 0x04;
            P256Limbs.ToBytes(output, offset + 1, x);
            P256Limbs.ToBytes(output, offset + 33, y);
        }

        /// <summary>Wipes the accumulator, the picked entry, the recoded scalar, the window and the scratch limbs.</summary>
        internal void Clear()
        {
            for (int i = 0; i < 24; i++)
            {
                Array.Clear(_window[i], 0, 8);
            }
            Array.Clear(_qx, 0, 8);
            Array.Clear(_qy, 0, 8);
            Array.Clear(_qz, 0, 8);
            Array.Clear(_sx, 0, 8);
            Array.Clear(_sy, 0, 8);
            Array.Clear(_sz, 0, 8);
            Array.Clear(_k, 0, 8);
            Array.Clear(_t, 0, 8);
            Array.Clear(_u, 0, 8);
        }

        /// <summary>
        /// _k = k when k is odd, else n - k (odd, since n is odd): the signed recodings need an odd scalar, and
        /// (n - k) P = -(k P). Returns all ones when k was even (the result must then be negated). Constant-time;
        /// k in [1, n-1].
        /// </summary>
        private uint OddScalar(byte[] k, int ko)
        {
            uint[] s = _k;
            P256Limbs.FromBytes(s, k, ko);
            uint even = (s[0] & 1) - 1;
            P256Limbs.Subtract(_t, P256Tables.N, s);
            P256Limbs.Select(s, _t, even);
            return even;
        }

        /// <summary>y = -y where mask is all ones (y on a point of order n is never 0). Constant-time.</summary>
        private void NegateIf(uint[] y, uint mask)
        {
            P256Field.Sub(_t, P256Tables.Zero, y);
            P256Limbs.Select(y, _t, mask);
        }

        /// <summary>Bit i of the 256-bit value in _k (0 above bit 255); i is public.</summary>
        private uint Bit(int i)
        {
            return i < 256 ? (_k[i >> 5] >> (i & 31)) & 1u : 0u;
        }
    }
}
