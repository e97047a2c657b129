namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// The resumable state of a session as bytes (RFC 5246 §7.3 / RFC 5077 §4): what a session-cache entry, a ticket's
    /// plaintext and the client's saved state all hold — suite (2), flags (1: bit 0 = extended master secret, RFC 7627),
    /// master secret (48), then the peer's identity as its key exchange writes it (2-byte length, then at most
    /// <see cref="PeerMax"/> bytes: PSK server, the identity; PSK client, a fingerprint of identity and key; ECDHE, the
    /// peer's P-256 key and how it was proven). Nothing else: a resumed session derives fresh keys from new randoms.
    /// </summary>
    internal static class ResumptionRecord
    {
        public const int Suite = 0;
        public const int Flags = 2;
        public const int MasterSecret = 3;
        public const int PeerLength = 51;
        public const int Peer = 53;

        public const int FlagExtendedMasterSecret = 1;

        /// <summary>ECDHE's peer identity: has-key (1), certificate type (1), uncompressed P-256 point (65).</summary>
        public const int EcdhePeerLength = 67;

        /// <summary>Longest peer identity of a configuration: the longest PSK identity, or an ECDHE key.</summary>
        public static int PeerMax(DtlsConfig c)
        {
            return c.MaxPskIdentityLength > EcdhePeerLength ? c.MaxPskIdentityLength : EcdhePeerLength;
        }

        /// <summary>Longest record of a configuration.</summary>
        public static int MaxLength(DtlsConfig c)
        {
            return Peer + PeerMax(c);
        }

        /// <summary>Length of the record at <paramref name="at"/>, or -1 when its peer length does not fit <paramref name="count"/>.</summary>
        public static int LengthOf(byte[] b, int at, int count)
        {
            if (count < Peer)
            {
                return -1;
            }
            int n = Peer + ((b[at + PeerLength] << 8) | b[at + PeerLength + 1]);
            return n <= count ? n : -1;
        }
    }
}
