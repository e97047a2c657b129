using NfDtls.Crypto;
using NfDtls.Diagnostics;

namespace NfDtls.Dtls
{
    /// <summary>
    /// Everything a DTLS engine needs besides its peer(s): crypto, randomness, logging and every buffer size.
    /// Engines allocate all their buffers from these numbers at construction; nothing grows later.
    /// </summary>
    public sealed class DtlsConfig
    {
        public ICryptoProvider Crypto = PortableCryptoProvider.Instance;

        /// <summary>Required: randoms, cookie secret (e.g. an <see cref="HmacDrbg"/> seeded by the platform).</summary>
        public IRandom Random;

        public ILog Log = NullLog.Instance;

        /// <summary>Optional NSS key log hook (CLIENT_RANDOM lines for Wireshark).</summary>
        public IDtlsKeyLog KeyLog;

        /// <summary>Largest datagram we send (IPv6 minimum MTU 1280 - 40 - 8 = 1232, RFC 7925 §4.2 / RFC 6347 §4.1.1).</summary>
        public int MaxDatagramSize = 1232;

        /// <summary>Largest application record plaintext we send or accept.</summary>
        public int MaxRecordPlaintext = 1024;

        /// <summary>
        /// Handshake reassembly buffer per concurrent handshake (RFC 6347 §4.2.3). A peer Certificate larger than this is
        /// not reassembled but streamed through the certificate parser, so it bounds the other messages, not chains: the
        /// largest seen from real peers are ClientHellos of a few hundred bytes (OpenSSL, GnuTLS, BouncyCastle and libcoap
        /// all handshake with 768).
        /// </summary>
        public int HandshakeBufferSize = 768;

        /// <summary>
        /// Buffer holding our last flight for retransmission, per concurrent handshake (RFC 6347 §4.2.4). Our own X.509
        /// chain is sent from the credentials, not copied here, so 512 bytes hold any of our flights (the largest, a
        /// ClientHello with a 255-byte cookie, a CID and the ECDHE extensions, is about 430).
        /// </summary>
        public int FlightBufferSize = 512;

        /// <summary>
        /// Handshakes in progress at once (their state is pooled: established sessions keep none). 0 = the engine's
        /// default: 2 on a server, 1 on a client. When all are busy a server leaves a new hello unanswered (the client
        /// retransmits it) unless the oldest half-open handshake has waited an initial retransmission timeout, which
        /// then makes way; established sessions are never evicted for a handshake (issue 16, finding 2).
        /// </summary>
        public int ConcurrentHandshakes;

        /// <summary>
        /// X.509 certificate chains read at once (ECDHE-ECDSA, where the peer may present one): a chain verifier (about
        /// 2.5 KB on a board: a streaming parser with two SHA-256 states) is lent to a handshake only while it reads the
        /// peer's Certificate message, and returned, wiped, at its end or when the handshake ends. 0 = 1. A Certificate
        /// that starts while every verifier is lent is dropped as if lost: the peer retransmits its flight (RFC 6347
        /// §4.2.4) and is read then. More than <see cref="ConcurrentHandshakes"/> is never used.
        /// </summary>
        public int ConcurrentCertificateChains;

        /// <summary>Anti-replay window in records (RFC 6347 §4.1.2.6), at most 64.</summary>
        public int ReplayWindow = 64;

        /// <summary>
        /// Server: established sessions held at once. When a new handshake completes with the table full, the least
        /// recently active established session makes way (a newer authenticated session replaces it); half-open
        /// handshakes have their own quota (<see cref="ConcurrentHandshakes"/>) and never evict an established one.
        /// </summary>
        public int SessionCapacity = 16;

        /// <summary>Initial retransmission timeout (RFC 7925 §11: 9 s on constrained networks).</summary>
        public int InitialRetransmitMs = 9000;

        /// <summary>Cap of the doubling timer (RFC 6347 §4.2.4.1: 60 s).</summary>
        public int MaxRetransmitMs = 60000;

        /// <summary>Retransmissions of one flight before the handshake is given up.</summary>
        public int MaxRetransmissions = 8;

        /// <summary>Server: PSK identity hint sent in ServerKeyExchange; null sends no ServerKeyExchange (RFC 4279 §2).</summary>
        public byte[] PskIdentityHint;

        /// <summary>
        /// Server: an unknown PSK identity is not told apart from a wrong key (RFC 4279 §2): the handshake goes on with
        /// a random key the client cannot know and fails on its Finished, so identities cannot be enumerated. The
        /// server still knows (<see cref="IDtlsEvents.OnUnknownPskIdentity"/>, <see cref="DtlsServer.UnknownPskIdentities"/>,
        /// the log). False: answer a fatal unknown_psk_identity at once, which helps a person debugging a client.
        /// </summary>
        public bool HideUnknownPskIdentity = true;

        /// <summary>Longest PSK identity accepted or sent (RFC 4279 allows 2^16-1; RFC 7925 profiles keep it short).</summary>
        public int MaxPskIdentityLength = 128;

        /// <summary>Cipher suites in order of preference. The PSK suite is the RFC 7925 mandatory one.</summary>
        public int[] CipherSuites = new int[] { CipherSuite.TlsPskWithAes128Ccm8 };

        /// <summary>
        /// Keys, certificates and peer trust for TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8; that suite is used only when this is
        /// set and <see cref="CipherSuites"/> lists it.
        /// </summary>
        public KeyExchange.EcdheCredentials Ecdhe;

        /// <summary>Offer/accept extended master secret (RFC 7627).</summary>
        public bool ExtendedMasterSecret = true;

        /// <summary>
        /// Connection ID (RFC 9146): 0 = off (no extension); 4..32 = the length of the CIDs we ask the peer to put in
        /// its records (a server issues one per session and finds sessions by it, so a client whose address changes
        /// behind a NAT keeps its session). Client only: <see cref="ConnectionIdSendOnly"/> offers the extension with
        /// an empty CID ("I send you CIDs, I need none": the server's records to us stay plain RFC 6347 records).
        /// </summary>
        public int ConnectionIdLength;

        /// <summary>Client value of <see cref="ConnectionIdLength"/>: use the server's CID, ask for none (RFC 9146 §3).</summary>
        public const int ConnectionIdSendOnly = -1;

        /// <summary>
        /// Server: entries of the session-ID cache for resumption (RFC 5246 §7.3; session ID → master secret, suite,
        /// extended-master-secret flag, peer identity, creation time), allocated once at construction, the least recently
        /// used replaced. 0 = no cache (full sessions get an empty session ID).
        /// </summary>
        public int SessionCacheSize;

        /// <summary>
        /// Server: issue RFC 5077 session tickets (the resumable state sealed with AES-128-CCM under a rotating ticket key,
        /// so resumption costs the server no state per client). Client: send the empty SessionTicket extension, and offer
        /// a ticket it holds.
        /// </summary>
        public bool SessionTickets;

        /// <summary>How long a cache entry or a ticket may be resumed (seconds; also the ticket_lifetime_hint).</summary>
        public int SessionLifetimeSeconds = 86400;

        /// <summary>
        /// Server: a new ticket key every this many seconds; tickets of the previous key are still accepted for one
        /// more period (so a ticket is refused at the latest two periods after it was sealed).
        /// </summary>
        public int TicketKeyRotationSeconds = 86400;

        /// <summary>
        /// Client: room for the server's session ticket, allocated with the client (RFC 5077 §3.3; at most
        /// <see cref="DtlsClient.MaxResumptionStateLength"/> allows 1,024). A longer ticket is not kept: the session is
        /// then resumed by its session ID, if the server gave one. OpenSSL's and GnuTLS's TLS 1.2 tickets are a few
        /// hundred bytes; an nf-dtls server's are <see cref="NfDtlsTicketLength"/>, so a board sizes it to its gateway's.
        /// </summary>
        public int MaxTicketLength = 1024;

        /// <summary>
        /// Length of the tickets an nf-dtls server seals (RFC 5077 §4: key name, nonce, age, the sealed resumption
        /// record, tag) for a peer identity of <paramref name="peerIdentityLength"/> bytes: a PSK client's identity as
        /// the server stores it, or <see cref="EcdhePeerIdentityLength"/> for an ECDHE client.
        /// </summary>
        public static int NfDtlsTicketLength(int peerIdentityLength)
        {
            return Resumption.TicketKeyRing.Overhead + Resumption.ResumptionRecord.Peer + peerIdentityLength;
        }

        /// <summary>What an nf-dtls server stores as an ECDHE client's identity in a ticket: its P-256 key and how it was proven.</summary>
        public const int EcdhePeerIdentityLength = Resumption.ResumptionRecord.EcdhePeerLength;

        /// <summary>Throws for programming errors (not for anything a peer sends).</summary>
        public void Validate()
        {
            if (Crypto == null || Random == null || Log == null)
            {
                throw new System.ArgumentException("DtlsConfig needs Crypto, Random and Log");
            }
            if (MaxDatagramSize < 256 || MaxRecordPlaintext < 64 || HandshakeBufferSize < 256 || FlightBufferSize < 256
                || SessionCapacity < 1 || SessionCacheSize < 0 || MaxTicketLength < 0 || SessionLifetimeSeconds < 1 || TicketKeyRotationSeconds < 1 || ConcurrentHandshakes < 0 || ConcurrentCertificateChains < 0 || ReplayWindow < 1 || InitialRetransmitMs < 1 || MaxPskIdentityLength < 1
                || CipherSuites == null || CipherSuites.Length == 0
                || (ConnectionIdLength != 0 && ConnectionIdLength != ConnectionIdSendOnly
                    && (ConnectionIdLength < 4 || ConnectionIdLength > Record.RecordProtection.MaxCidLength)))
            {
                throw new System.ArgumentException("DtlsConfig sizes out of range");
            }
        }
    }
}
