using System;

namespace NfDtls.Crypto.P256
{
    internal sealed partial class P256Curve
    {
        // width-5 NAF digits of u2, least significant first
        private readonly sbyte[] _naf = new sbyte[257];

        /// <summary>
        /// True when R = u1 G + u2 Q is a finite point whose x coordinate is r modulo n (SEC 1 §4.1.4 steps 5-7), for
        /// u1 in [0, n-1], u2 in [1, n-1], r in [1, n-1] and a validated Q. Variable-time: every input is public.
        /// One chain of doublings carries both products (Straus-Shamir): u2 as a width-5 NAF over Q, 3Q, ..., 15Q (about
        /// 43 additions), u1 through the fixed-base combs, whose 26 columns are added along the last 26 doublings.
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
            int length = Naf(u2);

            // u1 for the combs: odd, as n - u1 with every comb entry negated when u1 is even
            bool withG = !P256Limbs.IsZero(u1);
            bool negateG = (u1[0] & 1) == 0;
            Array.Copy(u1, _k, 8);
            if (negateG)
            {
                P256Limbs.Subtract(_k, P256Tables.N, u1);
            }

            P256Jacobian.SetInfinity(_qx, _qy, _qz);
            int top = length > P256Tables.CombSpacing ? length - 1 : P256Tables.CombSpacing - 1;
            for (int i = top; i >= 0; i--)
            {
                if (!P256Limbs.IsZero(_qz))
                {
                    _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                }
                int d = i < length ? _naf[i] : 0;
                if (d != 0)
                {
                    int e = 3 * ((d < 0 ? -d : d) >> 1);
                    Array.Copy(w[e], _sx, 8);
                    Array.Copy(w[e + 2], _sz, 8);
                    if (d < 0)
                    {
                        P256Field.Sub(_sy, P256Tables.Zero, w[e + 1]);
                    }
                    else
                    {
                        Array.Copy(w[e + 1], _sy, 8);
                    }
                    _j.AddComplete(_qx, _qy, _qz, _qx, _qy, _qz, _sx, _sy, _sz);
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

        /// <summary>_naf = the width-5 NAF of u (digits 0 or odd in [-15, 15], a nonzero digit followed by four zeros); returns its length.</summary>
        private int Naf(uint[] u)
        {
            uint[] k = _k;
            Array.Copy(u, k, 8);
            int length = 0;
            while (!P256Limbs.IsZero(k))
            {
                int d = 0;
                if ((k[0] & 1) != 0)
                {
                    d = (int)(k[0] & 31);
                    if (d > 16)
                    {
                        d -= 32;
                    }
                    long acc = (long)k[0] - d;  // k - d is a multiple of 32 (k < n, so no overflow)
                    k[0] = (uint)acc;
                    acc >>= 32;
                    for (int i = 1; i < 8 && acc != 0; i++)
                    {
                        acc += k[i];
                        k[i] = (uint)acc;
                        acc >>= 32;
                    }
                }
                _naf[length++] = (sbyte)d;
                for (int i = 0; i < 7; i++)
                {
                    k[i] = (k[i] >> 1) | (k[i + 1] << 31);
                }
                k[7] >>= 1;
            }
            return length;
        }
    }
}
