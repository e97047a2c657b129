using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Arithmetic modulo a 256-bit odd modulus m (P-256's p or n) on 8 little-endian 32-bit limbs, multiplication in
    /// Montgomery form (R = 2^256, CIOS: Koç, Acar, Kaliski 1996). Values are <c>uint[]</c> + offset so points and
    /// tables can be flat arrays. No branch and no memory index depends on a value: the final subtractions are masked,
    /// so the time of every operation is the same for every input (the inversion exponent is public).
    /// Outputs may alias inputs. Not thread-safe (one scratch buffer); about 200 bytes per instance.
    /// </summary>
    internal sealed class Montgomery256
    {
        private readonly uint[] _m;
        private readonly uint _mInv;          // -m^-1 mod 2^32
        private readonly uint[] _r2;          // R^2 mod m
        private readonly uint[] _inverseExponent; // m - 2
        private readonly uint[] _t = new uint[10];
        private readonly uint[] _d = new uint[8];
        private readonly uint[] _inv = new uint[16];
        private static readonly uint[] PlainOne = { 1, 0, 0, 0, 0, 0, 0, 0 };

        internal Montgomery256(uint[] modulus, uint mInv, uint[] r2, uint[] modulusMinus2)
        {
            _m = modulus;
            _mInv = mInv;
            _r2 = r2;
            _inverseExponent = modulusMinus2;
        }

        /// <summary>r = a * b * R^-1 mod m, for a, b &lt; m.</summary>
        internal void Mul(uint[] r, int ro, uint[] a, int ao, uint[] b, int bo)
        {
            uint[] t = _t;
            uint[] m = _m;
            for (int k = 0; k < 10; k++)
            {
                t[k] = 0;
            }
            for (int i = 0; i < 8; i++)
            {
                // t += a * b[i]
                ulong bi = b[bo + i];
                ulong c = 0;
                for (int j = 0; j < 8; j++)
                {
                    c += t[j] + a[ao + j] * bi;
                    t[j] = (uint)c;
                    c >>= 32;
                }
                c += t[8];
                t[8] = (uint)c;
                t[9] = (uint)(c >> 32);

                // t = (t + u m) / 2^32 with u chosen so the low limb vanishes
                ulong u = (uint)(t[0] * _mInv);
                c = t[0] + u * m[0];
                c >>= 32;
                for (int j = 1; j < 8; j++)
                {
                    c += t[j] + u * m[j];
                    t[j - 1] = (uint)c;
                    c >>= 32;
                }
                c += t[8];
                t[7] = (uint)c;
                t[8] = t[9] + (uint)(c >> 32);
            }
            // t < 2m: subtract m once if t >= m (masked)
            ReduceOnce(r, ro, t, 0, t[8]);
        }

        /// <summary>r = a + b mod m, for a, b &lt; m.</summary>
        internal void Add(uint[] r, int ro, uint[] a, int ao, uint[] b, int bo)
        {
            uint[] t = _t;
            ulong c = 0;
            for (int i = 0; i < 8; i++)
            {
                c += (ulong)a[ao + i] + b[bo + i];
                t[i] = (uint)c;
                c >>= 32;
            }
            ReduceOnce(r, ro, t, 0, (uint)c);
        }

        /// <summary>r = a - b mod m, for a, b &lt; m.</summary>
        internal void Sub(uint[] r, int ro, uint[] a, int ao, uint[] b, int bo)
        {
            uint[] t = _t;
            uint[] m = _m;
            ulong borrow = 0;
            for (int i = 0; i < 8; i++)
            {
                ulong d = (ulong)a[ao + i] - b[bo + i] - borrow;
                t[i] = (uint)d;
                borrow = (d >> 32) & 1;
            }
            // add m back when the difference went negative
            uint mask = 0u - (uint)borrow;
            ulong c = 0;
            for (int i = 0; i < 8; i++)
            {
                c += (ulong)t[i] + (m[i] & mask);
                r[ro + i] = (uint)c;
                c >>= 32;
            }
        }

        /// <summary>r = the value v (with a ninth limb <paramref name="high"/>) minus m if v ≥ m; v &lt; 2m. Masked.</summary>
        internal void ReduceOnce(uint[] r, int ro, uint[] v, int vo, uint high)
        {
            uint[] s = _d;
            uint[] m = _m;
            ulong borrow = 0;
            for (int i = 0; i < 8; i++)
            {
                ulong d = (ulong)v[vo + i] - m[i] - borrow;
                s[i] = (uint)d;
                borrow = (d >> 32) & 1;
            }
            // keep the difference when there was a ninth limb or no borrow
            uint keep = 0u - (high | ((uint)borrow ^ 1u));
            for (int i = 0; i < 8; i++)
            {
                r[ro + i] = (s[i] & keep) | (v[vo + i] & ~keep);
            }
        }

        internal void ToMontgomery(uint[] r, int ro, uint[] a, int ao)
        {
            Mul(r, ro, a, ao, _r2, 0);
        }

        internal void FromMontgomery(uint[] r, int ro, uint[] a, int ao)
        {
            Mul(r, ro, a, ao, PlainOne, 0);
        }

        /// <summary>
        /// r = a^-1 (Montgomery form in and out) by Fermat, a^(m-2): a fixed square-and-multiply over the public exponent,
        /// so its time does not depend on a. a = 0 gives 0.
        /// </summary>
        internal void Invert(uint[] r, int ro, uint[] a, int ao)
        {
            uint[] s = _inv;
            Array.Copy(a, ao, s, 8, 8);      // base (r may alias a)
            Array.Copy(a, ao, s, 0, 8);      // the exponent's top bit is 1: start from a
            uint[] e = _inverseExponent;
            for (int bit = 254; bit >= 0; bit--)
            {
                Mul(s, 0, s, 0, s, 0);
                if (((e[bit >> 5] >> (bit & 31)) & 1) != 0)
                {
                    Mul(s, 0, s, 0, s, 8);
                }
            }
            Array.Copy(s, 0, r, ro, 8);
        }

        /// <summary>True when a &lt; m (a plain value, e.g. a decoded coordinate or scalar).</summary>
        internal bool IsReduced(uint[] a, int ao)
        {
            ulong borrow = 0;
            for (int i = 0; i < 8; i++)
            {
                ulong d = (ulong)a[ao + i] - _m[i] - borrow;
                borrow = (d >> 32) & 1;
            }
            return borrow != 0;
        }

        internal static bool IsZero(uint[] a, int ao)
        {
            uint acc = 0;
            for (int i = 0; i < 8; i++)
            {
                acc |= a[ao + i];
            }
            return acc == 0;
        }

        internal static bool Equal(uint[] a, int ao, uint[] b, int bo)
        {
            uint acc = 0;
            for (int i = 0; i < 8; i++)
            {
                acc |= a[ao + i] ^ b[bo + i];
            }
            return acc == 0;
        }

        /// <summary>Big-endian 32 bytes to limbs.</summary>
        internal static void FromBytes(uint[] r, int ro, byte[] b, int bo)
        {
            for (int i = 0; i < 8; i++)
            {
                int k = bo + 28 - 4 * i;
                r[ro + i] = ((uint)b[k] << 24) | ((uint)b[k + 1] << 16) | ((uint)b[k + 2] << 8) | b[k + 3];
            }
        }

        /// <summary>Limbs to big-endian 32 bytes.</summary>
        internal static void ToBytes(byte[] b, int bo, uint[] a, int ao)
        {
            for (int i = 0; i < 8; i++)
            {
                int k = bo + 28 - 4 * i;
                uint v = a[ao + i];
                b[k] = (byte)(v >> 24);
                b[k + 1] = (byte)(v >> 16);
                b[k + 2] = (byte)(v >> 8);
                b[k + 3] = (byte)v;
            }
        }
    }
}
