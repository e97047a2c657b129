namespace NfDtls.Dtls.Record
{
    /// <summary>DTLS wire versions: the one's complement of the TLS version (RFC 6347 §4.1).</summary>
    public static class ProtocolVersion
    {
        /// <summary>DTLS 1.2 = {254, 253}.</summary>
        public const int Dtls12 = 0xFEFD;

        /// <summary>DTLS 1.0 = {254, 255}: what a HelloVerifyRequest carries (RFC 6347 §4.2.1) and what some clients put on their first record.</summary>
        public const int Dtls10 = 0xFEFF;

        /// <summary>Any DTLS version byte pair we read a record under (the record version is not negotiated until ServerHello).</summary>
        public static bool IsDtls(int version)
        {
            return (version >> 8) == 0xFE;
        }
    }
}
