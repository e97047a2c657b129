namespace NfDtls.Coap.Message
{
    /// <summary>
    /// Option numbers (RFC 7252 §5.10, RFC 7641 §2, RFC 7959 §2.1, RFC 7967) and the rules the codec and the
    /// server need about them: which ones this stack recognises, which are critical (odd numbers, §5.4.6) and the
    /// value lengths each allows (§5.4.3: a length outside the range is handled like an unrecognised option).
    /// </summary>
    public static class CoapOption
    {
        public const int IfMatch = 1;
        public const int UriHost = 3;
        public const int ETag = 4;
        public const int IfNoneMatch = 5;
        public const int Observe = 6;
        public const int UriPort = 7;
        public const int LocationPath = 8;
        public const int UriPath = 11;
        public const int ContentFormat = 12;
        public const int MaxAge = 14;
        public const int UriQuery = 15;
        public const int Accept = 17;
        public const int LocationQuery = 20;
        public const int Block2 = 23;
        public const int Block1 = 27;
        public const int Size2 = 28;
        public const int ProxyUri = 35;
        public const int ProxyScheme = 39;
        public const int Size1 = 60;
        public const int NoResponse = 258;

        /// <summary>§5.4.6: odd option numbers are critical.</summary>
        public static bool IsCritical(int number)
        {
            return (number & 1) != 0;
        }

        /// <summary>True for options this stack recognises with a value length in range (§5.10 table 4).</summary>
        public static bool IsRecognised(int number, int length)
        {
            switch (number)
            {
                case IfMatch: return length <= 8;
                case UriHost: return length >= 1 && length <= 255;
                case ETag: return length >= 1 && length <= 8;
                case IfNoneMatch: return length == 0;
                case Observe: return length <= 3;
                case UriPort: return length <= 2;
                case LocationPath: return length <= 255;
                case UriPath: return length <= 255;
                case ContentFormat: return length <= 2;
                case MaxAge: return length <= 4;
                case UriQuery: return length <= 255;
                case Accept: return length <= 2;
                case LocationQuery: return length <= 255;
                case Block2: return length <= 3;
                case Block1: return length <= 3;
                case Size2: return length <= 4;
                case ProxyUri: return length >= 1 && length <= 1034;
                case ProxyScheme: return length >= 1 && length <= 255;
                case Size1: return length <= 4;
                case NoResponse: return length <= 1;
                default: return false;
            }
        }
    }
}
