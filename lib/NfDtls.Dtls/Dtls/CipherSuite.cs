namespace NfDtls.Dtls
{
    /// <summary>Cipher suite code points this stack knows.</summary>
    public static class CipherSuite
    {
        /// <summary>RFC 6655 §4 (0xC0A8): the RFC 7925 §4.2 mandatory PSK suite.</summary>
        public const int TlsPskWithAes128Ccm8 = 0xC0A8;

        /// <summary>RFC 7251 (0xC0AE): the RFC 7925 §4.4 certificate suite (added by the ECDHE key exchange).</summary>
        public const int TlsEcdheEcdsaWithAes128Ccm8 = 0xC0AE;

        public static string Name(int suite)
        {
            switch (suite)
            {
                case TlsPskWithAes128Ccm8: return "TLS_PSK_WITH_AES_128_CCM_8";
                case TlsEcdheEcdsaWithAes128Ccm8: return "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8";
                default: return "0x" + suite.ToString("X4");
            }
        }
    }
}
