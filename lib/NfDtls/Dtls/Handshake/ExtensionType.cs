namespace NfDtls.Dtls.Handshake
{
    /// <summary>The hello extensions this profile speaks.</summary>
    public static class ExtensionType
    {
        /// <summary>RFC 7627 §5.1 (empty extension_data).</summary>
        public const int ExtendedMasterSecret = 0x0017;

        /// <summary>RFC 5746 §3.2 (initial handshake: one zero byte, an empty renegotiated_connection).</summary>
        public const int RenegotiationInfo = 0xFF01;

        /// <summary>RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV in the cipher suite list means the same as the empty extension.</summary>
        public const int EmptyRenegotiationInfoScsv = 0x00FF;
    }
}
