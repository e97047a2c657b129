namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// P-256 point formulas in Jacobian coordinates (x = X/Z^2, y = Y/Z^3; infinity has Z = 0), a = -3, over
    /// <see cref="P256Field"/>. Each coordinate is its own <c>uint[8]</c>; results may be the same arrays as an input.
    /// <para>
    /// Two kinds of addition. The constant-time ones (<see cref="Add"/>, <see cref="AddMixed"/>) run one fixed
    /// sequence of field operations and are exact unless the two x coordinates are equal (the points are equal or
    /// opposite, or one is infinity); they then record it in <see cref="Exceptional"/> (a mask, never a branch), and the
    /// scalar multiplications that use them redo the work with complete arithmetic in that case, which for a secret
    /// scalar happens only for a few dozen values out of 2^256. The variable-time ones (<see cref="AddComplete"/>,
    /// <see cref="AddMixedComplete"/>) handle every case by branching, for public data (ECDSA verification).
    /// </para>
    /// Formulas (Explicit-Formulas Database, Bernstein and Lange): doubling dbl-2001-b with Z3 = 2 Y Z (4M + 4S);
    /// addition add-1998-cmo-2 (12M + 4S); mixed addition madd-2004-hmv (8M + 3S). About 250 bytes of scratch.
    /// </summary>
    internal sealed class P256Jacobian
    {
        /// <summary>All ones once a constant-time addition met equal x coordinates (H = 0); the caller clears it.</summary>
        internal uint Exceptional;

        private readonly uint[] _t0 = new uint[8];
        private readonly uint[] _t1 = new uint[8];
        private readonly uint[] _t2 = new uint[8];
        private readonly uint[] _t3 = new uint[8];
        private readonly uint[] _t4 = new uint[8];
        private readonly uint[] _t5 = new uint[8];

        /// <summary>r = 2 p. Infinity (Z = 0) stays infinity; constant-time.</summary>
        internal void Double(uint[] rx, uint[] ry, uint[] rz, uint[] x, uint[] y, uint[] z)
        {
            uint[] delta = _t0;
            uint[] gamma = _t1;
            uint[] beta = _t2;
            uint[] alpha = _t3;
            uint[] t = _t4;
            P256Field.Sqr(delta, z);               // delta = Z^2
            P256Field.Sqr(gamma, y);               // gamma = Y^2
            P256Field.Mul(beta, x, gamma);         // beta = X gamma
            P256Field.Sub(t, x, delta);
            P256Field.Add(alpha, x, delta);
            P256Field.Mul(alpha, alpha, t);
            P256Field.MulSmall(alpha, alpha, 3);   // alpha = 3 (X - delta)(X + delta)
            P256Field.Mul(rz, y, z);
            P256Field.Add(rz, rz, rz);             // Z3 = 2 Y Z (Y and Z are not read again)
            P256Field.Sqr(rx, alpha);
            P256Field.MulSmall(t, beta, 8);
            P256Field.Sub(rx, rx, t);              // X3 = alpha^2 - 8 beta
            P256Field.MulSmall(beta, beta, 4);
            P256Field.Sub(beta, beta, rx);
            P256Field.Mul(ry, alpha, beta);
            P256Field.Sqr(gamma, gamma);
            P256Field.MulSmall(gamma, gamma, 8);
            P256Field.Sub(ry, ry, gamma);          // Y3 = alpha (4 beta - X3) - 8 gamma^2
        }

        /// <summary>r = p1 + p2, constant-time; exact unless x1 = x2 (then <see cref="Exceptional"/> is set).</summary>
        internal void Add(uint[] rx, uint[] ry, uint[] rz, uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2, uint[] z2)
        {
            Differences(x1, y1, z1, x2, y2, z2);
            Exceptional |= P256Limbs.ZeroMask(_t2);
            Sum(rx, ry, rz, z1, z2);
        }

        /// <summary>r = p1 + (x2, y2) for an affine point, constant-time; exact unless x1 = x2 (see <see cref="Exceptional"/>).</summary>
        internal void AddMixed(uint[] rx, uint[] ry, uint[] rz, uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2)
        {
            MixedDifferences(x1, y1, z1, x2, y2);
            Exceptional |= P256Limbs.ZeroMask(_t0);
            MixedSum(rx, ry, rz, x1, y1, z1);
        }

        /// <summary>r = p1 + p2 for any points, infinity and doubling included. Variable-time: public data only.</summary>
        internal void AddComplete(uint[] rx, uint[] ry, uint[] rz, uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2, uint[] z2)
        {
            if (P256Limbs.IsZero(z1))
            {
                Copy(rx, ry, rz, x2, y2, z2);
                return;
            }
            if (P256Limbs.IsZero(z2))
            {
                Copy(rx, ry, rz, x1, y1, z1);
                return;
            }
            Differences(x1, y1, z1, x2, y2, z2);
            if (P256Limbs.IsZero(_t2))
            {
                if (P256Limbs.IsZero(_t3))
                {
                    Double(rx, ry, rz, x2, y2, z2);
                }
                else
                {
                    SetInfinity(rx, ry, rz);
                }
                return;
            }
            Sum(rx, ry, rz, z1, z2);
        }

        /// <summary>r = p1 + (x2, y2) for any p1, infinity and doubling included. Variable-time: public data only.</summary>
        internal void AddMixedComplete(uint[] rx, uint[] ry, uint[] rz, uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2)
        {
            if (P256Limbs.IsZero(z1))
            {
                Copy(rx, ry, rz, x2, y2, P256Tables.One);
                return;
            }
            MixedDifferences(x1, y1, z1, x2, y2);
            if (P256Limbs.IsZero(_t0))
            {
                if (P256Limbs.IsZero(_t1))
                {
                    Double(rx, ry, rz, x2, y2, P256Tables.One);
                }
                else
                {
                    SetInfinity(rx, ry, rz);
                }
                return;
            }
            MixedSum(rx, ry, rz, x1, y1, z1);
        }

        internal static void SetInfinity(uint[] rx, uint[] ry, uint[] rz)
        {
            System.Array.Copy(P256Tables.One, rx, 8);
            System.Array.Copy(P256Tables.One, ry, 8);
            System.Array.Clear(rz, 0, 8);
        }

        internal static void Copy(uint[] rx, uint[] ry, uint[] rz, uint[] x, uint[] y, uint[] z)
        {
            System.Array.Copy(x, rx, 8);
            System.Array.Copy(y, ry, 8);
            System.Array.Copy(z, rz, 8);
        }

        // U1 = X1 Z2^2 (t0), S1 = Y1 Z2^3 (t1), H = X2 Z1^2 - U1 (t2), R = Y2 Z1^3 - S1 (t3)
        private void Differences(uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2, uint[] z2)
        {
            uint[] t0 = _t0;
            uint[] t1 = _t1;
            uint[] t2 = _t2;
            uint[] t3 = _t3;
            P256Field.Sqr(t0, z2);
            P256Field.Mul(t1, t0, z2);
            P256Field.Mul(t0, t0, x1);
            P256Field.Mul(t1, t1, y1);
            P256Field.Sqr(t2, z1);
            P256Field.Mul(t3, t2, z1);
            P256Field.Mul(t2, t2, x2);
            P256Field.Mul(t3, t3, y2);
            P256Field.Sub(t2, t2, t0);
            P256Field.Sub(t3, t3, t1);
        }

        // X3 = R^2 - H^3 - 2 U1 H^2, Y3 = R (U1 H^2 - X3) - S1 H^3, Z3 = Z1 Z2 H
        private void Sum(uint[] rx, uint[] ry, uint[] rz, uint[] z1, uint[] z2)
        {
            uint[] t0 = _t0;
            uint[] t1 = _t1;
            uint[] t2 = _t2;
            uint[] t3 = _t3;
            uint[] t4 = _t4;
            uint[] t5 = _t5;
            P256Field.Mul(rz, z1, z2);
            P256Field.Mul(rz, rz, t2);             // Z3 = Z1 Z2 H
            P256Field.Sqr(t4, t2);                 // H^2
            P256Field.Mul(t5, t4, t2);             // H^3
            P256Field.Mul(t4, t4, t0);             // V = U1 H^2
            P256Field.Mul(t1, t1, t5);             // S1 H^3
            P256Field.Sqr(t0, t3);
            P256Field.Sub(t0, t0, t5);
            P256Field.Sub(t0, t0, t4);
            P256Field.Sub(rx, t0, t4);             // X3 = R^2 - H^3 - 2 V
            P256Field.Sub(t4, t4, rx);
            P256Field.Mul(t4, t4, t3);
            P256Field.Sub(ry, t4, t1);             // Y3 = R (V - X3) - S1 H^3
        }

        // H = x2 Z1^2 - X1 (t0), R = y2 Z1^3 - Y1 (t1)
        private void MixedDifferences(uint[] x1, uint[] y1, uint[] z1, uint[] x2, uint[] y2)
        {
            uint[] t0 = _t0;
            uint[] t1 = _t1;
            P256Field.Sqr(t0, z1);
            P256Field.Mul(t1, t0, z1);
            P256Field.Mul(t0, t0, x2);
            P256Field.Mul(t1, t1, y2);
            P256Field.Sub(t0, t0, x1);
            P256Field.Sub(t1, t1, y1);
        }

        // X3 = R^2 - H^3 - 2 X1 H^2, Y3 = R (X1 H^2 - X3) - Y1 H^3, Z3 = Z1 H
        private void MixedSum(uint[] rx, uint[] ry, uint[] rz, uint[] x1, uint[] y1, uint[] z1)
        {
            uint[] t0 = _t0;
            uint[] t1 = _t1;
            uint[] t2 = _t2;
            uint[] t3 = _t3;
            uint[] t4 = _t4;
            uint[] t5 = _t5;
            P256Field.Mul(rz, z1, t0);             // Z3 = Z1 H (Z1 is not read again)
            P256Field.Sqr(t2, t0);                 // H^2
            P256Field.Mul(t3, t2, t0);             // H^3
            P256Field.Mul(t2, t2, x1);             // V = X1 H^2
            P256Field.Mul(t4, y1, t3);             // Y1 H^3
            P256Field.Sqr(t5, t1);
            P256Field.Sub(t5, t5, t3);
            P256Field.Sub(t5, t5, t2);
            P256Field.Sub(rx, t5, t2);             // X3 = R^2 - H^3 - 2 V
            P256Field.Sub(t2, t2, rx);
            P256Field.Mul(t2, t2, t1);
            P256Field.Sub(ry, t2, t4);             // Y3 = R (V - X3) - Y1 H^3
        }
    }
}
