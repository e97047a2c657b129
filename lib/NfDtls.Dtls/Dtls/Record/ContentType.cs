namespace NfDtls.Dtls.Record
{
    /// <summary>TLS record content types (RFC 5246 §6.2.1), carried unchanged by DTLS (RFC 6347 §4.1).</summary>
    public static class ContentType
    {
        public const int ChangeCipherSpec = 20;
        public const int Alert = 21;
        public const int Handshake = 22;
        public const int ApplicationData = 23;

        /// <summary>RFC 9146 §4: a protected record carrying a connection ID; the real type is inside (DTLSInnerPlaintext).</summary>
        public const int Tls12Cid = 25;
    }
}
