namespace NfDtls.Coap.Message
{
    /// <summary>Message types, RFC 7252 §3 (the T field). Ints, not an enum, so nothing boxes on the hot path.</summary>
    public static class CoapType
    {
        public const int Confirmable = 0;
        public const int NonConfirmable = 1;
        public const int Acknowledgement = 2;
        public const int Reset = 3;
    }
}
