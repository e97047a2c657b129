using System;

namespace NfDtls.Crypto.P256
{
    internal sealed partial class P256Curve
    {
        /// <summary>
        /// (x, y) = k P for an affine point P (validated, so of order n) and a 32-byte big-endian scalar k in [1, n-1],
        /// constant-time. Signed odd 4-bit windows (the regular recoding of Joye and Tunstall): an odd k' (k or n - k)
        /// is sum over i of d_i 16^i with every d_i odd in [-15, 15], d_i = 2 ((k' >> (4i + 1)) mod 16) - 15 for i &lt; 63
        /// and d_63 = 1 + 2 (k' >> 253), so no digit is 0 and no addition meets infinity. 252 doublings and 63 additions,
        /// each entry picked by a masked scan of all 8 (and negated by a mask). x, y may be px, py.
        /// </summary>
        internal bool Multiply(uint[] x, uint[] y, uint[] px, uint[] py, byte[] k, int ko)
        {
            uint[][] w = _window;
            _j.Exceptional = 0;
            Array.Copy(px, w[0], 8);
            Array.Copy(py, w[1], 8);
            Array.Copy(P256Tables.One, w[2], 8);
            _j.Double(_qx, _qy, _qz, px, py, P256Tables.One);
            for (int j = 3; j < 24; j += 3)
            {
                _j.Add(w[j], w[j + 1], w[j + 2], w[j - 3], w[j - 2], w[j - 1], _qx, _qy, _qz);
            }

            uint even = OddScalar(k, ko);
            uint[] s = _k;
            PickWindow(s[7] >> 29, 0);  // the top digit 1 + 2 (k' >> 253) is positive
            Array.Copy(_sx, _qx, 8);
            Array.Copy(_sy, _qy, 8);
            Array.Copy(_sz, _qz, 8);
            for (int i = 62; i >= 0; i--)
            {
                _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                int bit = 4 * i + 1;       // the window's position is public, its bits are secret
                int shift = bit & 31;
                uint b = s[bit >> 5] >> shift;
                if (shift > 28)
                {
                    b |= s[(bit >> 5) + 1] << (32 - shift);
                }
                b &= 15u;
                uint negative = 0u - ((b >> 3) ^ 1u);   // d = 2b - 15 is negative for b < 8: |d| = 15 - 2b
                PickWindow((b ^ negative) & 7u, negative);
                _j.Add(_qx, _qy, _qz, _qx, _qy, _qz, _sx, _sy, _sz);
            }
            NegateIf(_qy, even);
            if (_j.Exceptional != 0)
            {
                MultiplyComplete(px, py, k, ko);
            }
            return ToAffine(x, y, _qx, _qy, _qz);
        }

        /// <summary>(_sx, _sy, _sz) = window entry <paramref name="index"/>, y negated where <paramref name="negate"/> is all ones; masked.</summary>
        private void PickWindow(uint index, uint negate)
        {
            uint[][] w = _window;
            uint x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
            uint y0 = 0, y1 = 0, y2 = 0, y3 = 0, y4 = 0, y5 = 0, y6 = 0, y7 = 0;
            uint z0 = 0, z1 = 0, z2 = 0, z3 = 0, z4 = 0, z5 = 0, z6 = 0, z7 = 0;
            for (uint e = 0; e < 8; e++)
            {
                uint m = 0u - (((e ^ index) - 1u) >> 31);
                uint[] ex = w[3 * (int)e];
                uint[] ey = w[3 * (int)e + 1];
                uint[] ez = w[3 * (int)e + 2];
                x0 |= ex[0] & m;
                x1 |= ex[1] & m;
                x2 |= ex[2] & m;
                x3 |= ex[3] & m;
                x4 |= ex[4] & m;
                x5 |= ex[5] & m;
                x6 |= ex[6] & m;
                x7 |= ex[7] & m;
                y0 |= ey[0] & m;
                y1 |= ey[1] & m;
                y2 |= ey[2] & m;
                y3 |= ey[3] & m;
                y4 |= ey[4] & m;
                y5 |= ey[5] & m;
                y6 |= ey[6] & m;
                y7 |= ey[7] & m;
                z0 |= ez[0] & m;
                z1 |= ez[1] & m;
                z2 |= ez[2] & m;
                z3 |= ez[3] & m;
                z4 |= ez[4] & m;
                z5 |= ez[5] & m;
                z6 |= ez[6] & m;
                z7 |= ez[7] & m;
            }
            _sx[0] = x0;
            _sx[1] = x1;
            _sx[2] = x2;
            _sx[3] = x3;
            _sx[4] = x4;
            _sx[5] = x5;
            _sx[6] = x6;
            _sx[7] = x7;
            _sy[0] = y0;
            _sy[1] = y1;
            _sy[2] = y2;
            _sy[3] = y3;
            _sy[4] = y4;
            _sy[5] = y5;
            _sy[6] = y6;
            _sy[7] = y7;
            _sz[0] = z0;
            _sz[1] = z1;
            _sz[2] = z2;
            _sz[3] = z3;
            _sz[4] = z4;
            _sz[5] = z5;
            _sz[6] = z6;
            _sz[7] = z7;
            NegateIf(_sy, negate);
        }
    }
}
