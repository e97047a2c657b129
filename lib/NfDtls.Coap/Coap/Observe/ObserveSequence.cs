namespace NfDtls.Coap.Observe
{
    /// <summary>RFC 7641 §3.4: whether a notification (V2 at T2) is fresher than the last one seen (V1 at T1).</summary>
    public static class ObserveSequence
    {
        public const int Modulus = 1 << 24;
        private const int Half = 1 << 23;
        /// <summary>§3.4: after 128 s any notification counts as fresh.</summary>
        public const long FreshnessWindowMs = 128000;

        public static bool IsFresher(int v1, long t1, int v2, long t2)
        {
            return (v1 < v2 && v2 - v1 < Half) || (v1 > v2 && v1 - v2 > Half) || t2 > t1 + FreshnessWindowMs;
        }
    }
}
