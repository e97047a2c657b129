namespace NfDtls.Dtls.Handshake
{
    /// <summary>The hello extensions this profile speaks.</summary>
    public static class ExtensionType
    {
        /// <summary>RFC 7627 §5.1 (empty extension_data).</summary>
        public const int ExtendedMasterSecret = 0x0017;

        /// <summary>RFC 5077 §3.2: SessionTicket (empty: "I take tickets"; otherwise the ticket offered for resumption).</summary>
        public const int SessionTicket = 35;

        /// <summary>RFC 9146 §3: opaque cid&lt;0..2^8-1&gt;, the CID the sender wants to receive.</summary>
        public const int ConnectionId = 54;

        /// <summary>RFC 5746 §3.2 (initial handshake: one zero byte, an empty renegotiated_connection).</summary>
        public const int RenegotiationInfo = 0xFF01;

        /// <summary>RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV in the cipher suite list means the same as the empty extension.</summary>
        public const int EmptyRenegotiationInfoScsv = 0x00FF;
    }
}
