namespace NfDtls.Senml
{
    /// <summary>
    /// IEEE 754 bit patterns by hand (BitConverter is not portable, PORTABLE.md): scaling by exact powers of two
    /// keeps every step exact, so the bits are the double's own.
    /// </summary>
    public static class IeeeDouble
    {
        public static long ToBits(double value)
        {
            if (double.IsNaN(value))
            {
                return 0x7FF8000000000000L;
            }
            long sign = value < 0 || (value == 0 && 1 / value < 0) ? 1L << 63 : 0;
            double v = value < 0 ? -value : value;
            if (double.IsInfinity(v))
            {
                return sign | 0x7FF0000000000000L;
            }
            if (v == 0)
            {
                return sign;
            }
            int exponent = 0;
            while (v >= 2)
            {
                v /= 2;
                exponent++;
            }
            while (v < 1 && exponent > -1022)
            {
                v *= 2;
                exponent--;
            }
            if (v < 1)
            {
                // Subnormal: exponent field 0, value = m × 2^-1074.
                return sign | (long)(v * 4503599627370496.0); // 2^52
            }
            long mantissa = (long)((v - 1) * 4503599627370496.0);
            return sign | ((long)(exponent + 1023) << 52) | mantissa;
        }

        public static double FromBits(long bits)
        {
            bool negative = bits < 0;
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            double v;
            if (exponent == 0x7FF)
            {
                v = mantissa == 0 ? double.PositiveInfinity : double.NaN;
            }
            else if (exponent == 0)
            {
                v = Scale(mantissa, -1074);
            }
            else
            {
                v = Scale(mantissa | (1L << 52), exponent - 1075);
            }
            return negative ? -v : v;
        }

        /// <summary>Single precision (CBOR major 7, 26) to double.</summary>
        public static double FromSingleBits(uint bits)
        {
            int exponent = (int)((bits >> 23) & 0xFF);
            long mantissa = bits & 0x7FFFFF;
            double v;
            if (exponent == 0xFF)
            {
                v = mantissa == 0 ? double.PositiveInfinity : double.NaN;
            }
            else if (exponent == 0)
            {
                v = Scale(mantissa, -149);
            }
            else
            {
                v = Scale(mantissa | (1L << 23), exponent - 150);
            }
            return (bits & 0x80000000u) != 0 ? -v : v;
        }

        /// <summary>Half precision (CBOR major 7, 25) to double.</summary>
        public static double FromHalfBits(int bits)
        {
            int exponent = (bits >> 10) & 0x1F;
            long mantissa = bits & 0x3FF;
            double v;
            if (exponent == 0x1F)
            {
                v = mantissa == 0 ? double.PositiveInfinity : double.NaN;
            }
            else if (exponent == 0)
            {
                v = Scale(mantissa, -24);
            }
            else
            {
                v = Scale(mantissa | (1L << 10), exponent - 25);
            }
            return (bits & 0x8000) != 0 ? -v : v;
        }

        private static double Scale(long mantissa, int power)
        {
            double v = mantissa;
            // Multiply by 2^power in exact steps (each a power of two within range).
            while (power > 0)
            {
                int step = power > 60 ? 60 : power;
                v *= (double)(1L << step);
                power -= step;
            }
            while (power < 0)
            {
                int step = -power > 60 ? 60 : -power;
                v /= (double)(1L << step);
                power += step;
            }
            return v;
        }
    }
}
