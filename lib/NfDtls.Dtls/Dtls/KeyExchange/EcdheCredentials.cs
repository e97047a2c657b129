using NfDtls.Pki;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// What TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251, RFC 7925 §4.4) needs on one side: our P-256 key with its
    /// certificate chain or as a raw public key (RFC 7250), and how the peer is authenticated (trust anchors with a
    /// wall clock and an expected name for X.509, an allow-list for raw public keys). Set once, shared by all sessions.
    /// </summary>
    public sealed class EcdheCredentials
    {
        /// <summary>Our 32-byte P-256 private key; null when we have no credential (a client without a certificate).</summary>
        public byte[] PrivateKey;

        /// <summary>Our X.509 chain, end entity first, DER; a client with raw public keys does not use it.</summary>
        public byte[][] CertificateChain;

        /// <summary>
        /// Use raw public keys (RFC 7250) both ways instead of X.509. A server that also has a
        /// <see cref="CertificateChain"/> serves both: raw keys to clients that ask for them, X.509 to the others.
        /// </summary>
        public bool RawPublicKeys;

        /// <summary>Trust anchors for a peer's X.509 chain. Without anchors, a certificate is refused (unknown_ca).</summary>
        public TrustAnchorStore TrustAnchors;

        /// <summary>Peer raw public keys we accept (with <see cref="RawPublicKeys"/>).</summary>
        public RpkAllowList TrustedKeys;

        /// <summary>Calendar time for validity checks (X.509).</summary>
        public IWallClock Clock;

        /// <summary>Client: the server's DNS name (ASCII) its certificate must carry in subjectAltName; null = not checked.</summary>
        public byte[] ExpectedServerName;

        /// <summary>Client: the server's IP address (4 or 16 bytes) its certificate must carry; null = not checked.</summary>
        public byte[] ExpectedServerAddress;

        /// <summary>Server: send CertificateRequest (RFC 5246 §7.4.4).</summary>
        public bool RequestClientCertificate;

        /// <summary>Server: refuse a client that sends no certificate (handshake_failure, RFC 5246 §7.4.6).</summary>
        public bool RequireClientCertificate;

        /// <summary>
        /// Largest peer Certificate message accepted. One larger than the handshake buffer is streamed through the
        /// parser (only ~2.6 KB of parser state), so this bounds work and time, not memory.
        /// </summary>
        public int MaxCertificateMessageLength = 16384;

        /// <summary>Longest X.509 chain we follow from a peer.</summary>
        public int MaxChainLength = 4;
    }
}
