namespace NfDtls.Text
{
    /// <summary>
    /// Decimal numbers as ASCII, by hand and without allocation (no System.Text, no culture): integers, and
    /// doubles with up to 15 significant digits in plain or exponent form, and the reverse parsers.
    /// </summary>
    public static class DecimalText
    {
        /// <summary>Writes a decimal integer; returns the bytes written (at most 20).</summary>
        public static int WriteInteger(long value, byte[] buffer, int offset)
        {
            int at = offset;
            ulong v;
            if (value < 0)
            {
                buffer[at++] = (byte)'-';
                v = (ulong)(-(value + 1)) + 1;
            }
            else
            {
                v = (ulong)value;
            }
            int start = at;
            do
            {
                buffer[at++] = (byte)('0' + (int)(v % 10));
                v /= 10;
            }
            while (v != 0);
            // digits came out least significant first
            for (int i = start, j = at - 1; i < j; i++, j--)
            {
                byte t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
            return at - offset;
        }

        /// <summary>
        /// Writes a double as JSON accepts it (RFC 8259 §6): integers without a fraction, others with up to
        /// <paramref name="significantDigits"/> (1..17) digits and trailing zeros removed, exponent form outside
        /// 1e-5..1e15. NaN and infinities are not JSON; they are written as 0 (callers check first).
        /// Returns bytes written (at most 26).
        /// </summary>
        public static int WriteDouble(double value, byte[] buffer, int offset, int significantDigits)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                buffer[offset] = (byte)'0';
                return 1;
            }
            if (significantDigits < 1)
            {
                significantDigits = 1;
            }
            if (significantDigits > 17)
            {
                significantDigits = 17;
            }
            int at = offset;
            if (value < 0)
            {
                buffer[at++] = (byte)'-';
                value = -value;
            }
            if (value == 0)
            {
                buffer[at++] = (byte)'0';
                return at - offset;
            }
            if (value < 1e15 && value == (double)(long)value)
            {
                return at - offset + WriteInteger((long)value, buffer, at);
            }
            // Scale into [1, 10) to find the decimal exponent; powers of ten keep the error in the last digit.
            int exp10 = 0;
            double m = value;
            while (m >= 10)
            {
                m /= 10;
                exp10++;
            }
            while (m < 1)
            {
                m *= 10;
                exp10--;
            }
            // Take the significant digits as an integer, rounded.
            double scaled = m;
            for (int i = 1; i < significantDigits; i++)
            {
                scaled *= 10;
            }
            long digits = (long)(scaled + 0.5);
            long limit = 1;
            for (int i = 0; i < significantDigits; i++)
            {
                limit *= 10;
            }
            if (digits >= limit)
            {
                digits /= 10;
                exp10++;
            }
            int n = significantDigits;
            while (n > 1 && digits % 10 == 0)
            {
                digits /= 10;
                n--;
            }
            // Digits into the buffer from the right: write them first, then place the point.
            int digitsAt = at;
            int len = WriteInteger(digits, buffer, digitsAt);
            if (exp10 >= 15 || exp10 < -5)
            {
                // d.ddddde±x
                if (len > 1)
                {
                    ShiftRight(buffer, digitsAt + 1, len - 1, 1);
                    buffer[digitsAt + 1] = (byte)'.';
                    len++;
                }
                at = digitsAt + len;
                buffer[at++] = (byte)'e';
                at += WriteInteger(exp10, buffer, at);
                return at - offset;
            }
            if (exp10 >= 0)
            {
                int intDigits = exp10 + 1;
                if (len <= intDigits)
                {
                    // pad zeros: e.g. 1234500 with trailing zeros stripped
                    for (int i = len; i < intDigits; i++)
                    {
                        buffer[digitsAt + i] = (byte)'0';
                    }
                    return digitsAt + intDigits - offset;
                }
                ShiftRight(buffer, digitsAt + intDigits, len - intDigits, 1);
                buffer[digitsAt + intDigits] = (byte)'.';
                return digitsAt + len + 1 - offset;
            }
            // 0.000ddd
            int zeros = -exp10 - 1;
            ShiftRight(buffer, digitsAt, len, 2 + zeros);
            buffer[digitsAt] = (byte)'0';
            buffer[digitsAt + 1] = (byte)'.';
            for (int i = 0; i < zeros; i++)
            {
                buffer[digitsAt + 2 + i] = (byte)'0';
            }
            return digitsAt + 2 + zeros + len - offset;
        }

        private static void ShiftRight(byte[] buffer, int from, int count, int by)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                buffer[from + i + by] = buffer[from + i];
            }
        }

        /// <summary>Parses an optionally signed decimal integer filling the whole range.</summary>
        public static bool TryParseInteger(byte[] buffer, int offset, int count, out int value)
        {
            long v;
            bool ok = TryParseLong(buffer, offset, count, out v) && v >= int.MinValue && v <= int.MaxValue;
            value = ok ? (int)v : 0;
            return ok;
        }

        public static bool TryParseLong(byte[] buffer, int offset, int count, out long value)
        {
            value = 0;
            if (buffer == null || count <= 0 || offset < 0 || offset + count > buffer.Length)
            {
                return false;
            }
            int i = offset;
            int end = offset + count;
            bool negative = false;
            if (buffer[i] == (byte)'-' || buffer[i] == (byte)'+')
            {
                negative = buffer[i] == (byte)'-';
                i++;
            }
            if (i >= end || end - i > 18)
            {
                return false;
            }
            long v = 0;
            for (; i < end; i++)
            {
                int c = buffer[i] - '0';
                if (c < 0 || c > 9)
                {
                    return false;
                }
                v = v * 10 + c;
            }
            value = negative ? -v : v;
            return true;
        }

        /// <summary>
        /// Parses a JSON number (RFC 8259 §6: -?int frac? exp?) filling the whole range. Accurate to about 15
        /// significant digits (enough for SenML readings); false on anything else.
        /// </summary>
        public static bool TryParseDouble(byte[] buffer, int offset, int count, out double value)
        {
            value = 0;
            if (buffer == null || count <= 0 || offset < 0 || offset + count > buffer.Length)
            {
                return false;
            }
            int i = offset;
            int end = offset + count;
            bool negative = false;
            if (buffer[i] == (byte)'-')
            {
                negative = true;
                i++;
            }
            long mantissa = 0;
            int digits = 0;
            int exp10 = 0;
            bool any = false;
            while (i < end && buffer[i] >= (byte)'0' && buffer[i] <= (byte)'9')
            {
                any = true;
                if (digits < 18)
                {
                    mantissa = mantissa * 10 + (buffer[i] - '0');
                    if (mantissa != 0)
                    {
                        digits++;
                    }
                }
                else
                {
                    exp10++;
                }
                i++;
            }
            if (i < end && buffer[i] == (byte)'.')
            {
                i++;
                bool fraction = false;
                while (i < end && buffer[i] >= (byte)'0' && buffer[i] <= (byte)'9')
                {
                    fraction = true;
                    if (digits < 18)
                    {
                        mantissa = mantissa * 10 + (buffer[i] - '0');
                        if (mantissa != 0)
                        {
                            digits++;
                        }
                        exp10--;
                    }
                    i++;
                }
                if (!fraction)
                {
                    return false;
                }
            }
            if (!any)
            {
                return false;
            }
            if (i < end && (buffer[i] == (byte)'e' || buffer[i] == (byte)'E'))
            {
                i++;
                bool expNegative = false;
                if (i < end && (buffer[i] == (byte)'-' || buffer[i] == (byte)'+'))
                {
                    expNegative = buffer[i] == (byte)'-';
                    i++;
                }
                int e = 0;
                bool expDigits = false;
                while (i < end && buffer[i] >= (byte)'0' && buffer[i] <= (byte)'9')
                {
                    expDigits = true;
                    if (e < 10000)
                    {
                        e = e * 10 + (buffer[i] - '0');
                    }
                    i++;
                }
                if (!expDigits)
                {
                    return false;
                }
                exp10 += expNegative ? -e : e;
            }
            if (i != end)
            {
                return false;
            }
            double v = mantissa;
            // Multiply or divide by an exact power of ten: one rounding instead of one per step.
            if (exp10 > 0)
            {
                v *= PowerOfTen(exp10);
            }
            else if (exp10 < 0)
            {
                if (exp10 < -300)
                {
                    v /= 1e300;
                    exp10 += 300;
                }
                v /= PowerOfTen(-exp10);
            }
            value = negative ? -v : v;
            return true;
        }

        private static double PowerOfTen(int n)
        {
            double result = 1;
            double b = 10;
            while (n > 0)
            {
                if ((n & 1) != 0)
                {
                    result *= b;
                }
                b *= b;
                n >>= 1;
            }
            return result;
        }
    }
}
