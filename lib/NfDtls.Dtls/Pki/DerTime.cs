namespace NfDtls.Pki
{
    /// <summary>
    /// X.509 validity times (RFC 5280 §4.1.2.5) to seconds since 1970-01-01T00:00:00Z: UTCTime YYMMDDHHMMSSZ
    /// (YY ≥ 50 is 19YY) and GeneralizedTime YYYYMMDDHHMMSSZ, the only forms RFC 5280 allows.
    /// </summary>
    public static class DerTime
    {
        public const int UtcTimeTag = 0x17;
        public const int GeneralizedTimeTag = 0x18;

        public static bool TryParse(int tag, byte[] text, int offset, int count, out long secondsSinceEpoch)
        {
            secondsSinceEpoch = 0;
            int year;
            int o = offset;
            if (tag == UtcTimeTag && count == 13)
            {
                int yy = Digits(text, o, 2);
                if (yy < 0)
                {
                    return false;
                }
                year = yy >= 50 ? 1900 + yy : 2000 + yy;
                o += 2;
            }
            else if (tag == GeneralizedTimeTag && count == 15)
            {
                year = Digits(text, o, 4);
                o += 4;
            }
            else
            {
                return false;
            }
            int month = Digits(text, o, 2);
            int day = Digits(text, o + 2, 2);
            int hour = Digits(text, o + 4, 2);
            int minute = Digits(text, o + 6, 2);
            int second = Digits(text, o + 8, 2);
            if (year < 0 || text[o + 10] != (byte)'Z' || month < 1 || month > 12 || day < 1 || day > 31
                || hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0)
            {
                return false;
            }
            secondsSinceEpoch = DaysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
            return true;
        }

        /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (the era arithmetic of H. Hinnant's days_from_civil).</summary>
        public static long DaysFromCivil(int year, int month, int day)
        {
            int y = month <= 2 ? year - 1 : year;
            int era = (y >= 0 ? y : y - 399) / 400;
            int yearOfEra = y - era * 400;
            int shiftedMonth = month > 2 ? month - 3 : month + 9;
            int dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
            int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146097L + dayOfEra - 719468;
        }

        private static int Digits(byte[] text, int offset, int count)
        {
            int v = 0;
            for (int i = 0; i < count; i++)
            {
                int d = text[offset + i] - '0';
                if (d < 0 || d > 9)
                {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }
    }
}
