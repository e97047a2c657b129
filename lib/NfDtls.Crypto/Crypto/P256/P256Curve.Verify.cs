using System;

namespace NfDtls.Crypto.P256
{
    internal sealed partial class P256Curve
    {
        /// <summary>
        /// True when R = u1 G + u2 Q is a finite point whose x coordinate is r modulo n (SEC 1 §4.1.4 steps 5-7), for
        /// u1 in [0, n-1], u2 in [1, n-1], r in [1, n-1] and a validated Q. Variable-time: every input is public.
        /// One chain of doublings carries both products (Straus-Shamir): u2 in sliding windows of up to 4 bits over Q, 3Q,
        /// ..., 15Q (about 52 additions; no digit array to keep), u1 through the fixed-base combs, whose 26 columns are
        /// added along the last 26 doublings.
        /// The x test is projective, X = r Z^2 (or (r + n) Z^2 when r + n &lt; p), so no inversion.
        /// </summary>
        internal bool VerifyMultiply(uint[] u1, uint[] u2, uint[] qx, uint[] qy, uint[] r)
        {
            uint[][] w = _window;
            Array.Copy(qx, w[0], 8);
            Array.Copy(qy, w[1], 8);
            Array.Copy(P256Tables.One, w[2], 8);
            _j.Double(_qx, _qy, _qz, qx, qy, P256Tables.One);
            for (int j = 3; j < 24; j += 3)
            {
                _j.AddComplete(w[j], w[j + 1], w[j + 2], w[j - 3], w[j - 2], w[j - 1], _qx, _qy, _qz);
            }

            // u1 for the combs: odd, as n - u1 with every comb entry negated when u1 is even
            bool withG = !P256Limbs.IsZero(u1);
            bool negateG = (u1[0] & 1) == 0;
            Array.Copy(u1, _k, 8);
            if (negateG)
            {
                P256Limbs.Subtract(_k, P256Tables.N, u1);
            }

            P256Jacobian.SetInfinity(_qx, _qy, _qz);
            int window = -1;     // where the open window of u2 ends (its addition is due there), or -1
            uint digit = 0;
            for (int i = 255; i >= 0; i--)
            {
                if (!P256Limbs.IsZero(_qz))
                {
                    _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                }
                if (window < 0 && BitOf(u2, i) != 0)
                {
                    // a window opens at the top one bit: bits i down to the lowest one bit within 4
                    window = i - 3 < 0 ? 0 : i - 3;
                    while (BitOf(u2, window) == 0)
                    {
                        window++;
                    }
                    digit = 0;
                    for (int b = i; b >= window; b--)
                    {
                        digit = (digit << 1) | BitOf(u2, b);
                    }
                }
                if (i == window)
                {
                    int e = 3 * (int)(digit >> 1);
                    _j.AddComplete(_qx, _qy, _qz, _qx, _qy, _qz, w[e], w[e + 1], w[e + 2]);
                    window = -1;
                }
                if (withG && i < P256Tables.CombSpacing)
                {
                    for (int comb = 0; comb < 2; comb++)
                    {
                        PickComb(i, comb);
                        if (negateG)
                        {
                            P256Field.Sub(_sy, P256Tables.Zero, _sy);
                        }
                        _j.AddMixedComplete(_qx, _qy, _qz, _qx, _qy, _qz, _sx, _sy);
                    }
                }
            }
            if (P256Limbs.IsZero(_qz))
            {
                return false;
            }

            // x = X / Z^2 and x mod n = r: x is r or, when r + n < p, possibly r + n
            uint[] z2 = _t;
            P256Field.Sqr(z2, _qz);
            P256Field.Mul(_u, r, z2);
            if (P256Limbs.Equal(_u, _qx))
            {
                return true;
            }
            long carry = 0;
            for (int i = 0; i < 8; i++)
            {
                carry += (long)r[i] + P256Tables.N[i];
                _u[i] = (uint)carry;
                carry >>= 32;
            }
            if (carry != 0 || !P256Limbs.IsLess(_u, P256Tables.P))
            {
                return false;
            }
            P256Field.Mul(_u, _u, z2);
            return P256Limbs.Equal(_u, _qx);
        }

        private static uint BitOf(uint[] a, int i)
        {
            return (a[i >> 5] >> (i & 31)) & 1u;
        }
    }
}
