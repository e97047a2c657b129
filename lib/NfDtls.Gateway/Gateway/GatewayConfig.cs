using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Dtls;
using NfDtls.Pki;

namespace NfDtls.Gateway
{
    /// <summary>
    /// How a <see cref="GatewayEndpoint"/> runs: its own key material, crypto, randomness, how many node sessions it
    /// holds, and the sizes everything is allocated with at construction. Set once, before the endpoint is built.
    /// </summary>
    public sealed class GatewayConfig
    {
        public ICryptoProvider Crypto = PortableCryptoProvider.Instance;
        public IRandom Random;
        public ILog Log = NullLog.Instance;
        /// <summary>Debug captures only: session secrets in NSS key-log form.</summary>
        public IDtlsKeyLog KeyLog;

        /// <summary>DTLS sessions held at once (one per node); also sizes CoAP's duplicate detection and reply cache.</summary>
        public int SessionCapacity = 16;
        /// <summary>
        /// RFC 9146 Connection ID length issued to each node (4..32), 0 for none. On by default: a node behind a NAT whose
        /// address or port changes keeps its session (found by its CID, followed to the new address) instead of paying
        /// for a new handshake; nodes that do not offer the extension are served with plain records as before.
        /// </summary>
        public int ConnectionIdLength = DefaultConnectionIdLength;
        /// <summary>
        /// 4 bytes, the least the engine issues: two name the session's slot (masked), two tell it from the slot's
        /// earlier owners; each node record pays 5 bytes for it (the CID and the inner content type, RFC 9146 §4).
        /// </summary>
        public const int DefaultConnectionIdLength = 4;
        /// <summary>Handshakes in progress at once (pooled DTLS handshake state); 0 = the DTLS server's default, 2.</summary>
        public int ConcurrentHandshakes;
        public int MaxDatagramSize = 1232;
        public int MaxRecordPlaintext = 1024;
        public int HandshakeBufferSize = 1536;
        public int FlightBufferSize = 1536;
        /// <summary>
        /// Session resumption by session ID (RFC 5246 §7.3): entries of the gateway's cache (about 230 B each on a board);
        /// 0 = none. Nodes that reconnect then skip the P-256 work of a full handshake. On by default (issue 13).
        /// </summary>
        public int SessionCacheSize = 16;
        /// <summary>
        /// Session resumption with RFC 5077 tickets: no state per node (about 1.6 KB once, 216 B per session for a lost
        /// final flight). On by default: a node that lost its session (gateway restart, network drop, idle timeout)
        /// resumes with an abbreviated handshake; after a restart only if the gateway loaded the ticket keys it saved
        /// (DtlsServer.SaveTicketKeys/LoadTicketKeys).
        /// </summary>
        public bool SessionTickets = true;
        /// <summary>Lifetime of cache entries and tickets (seconds).</summary>
        public int SessionLifetimeSeconds = 86400;

        /// <summary>Records in one reading pack the gateway takes (a node sends at most 8 readings and "seq").</summary>
        public int MaxRecordsPerPack = 16;

        /// <summary>The gateway's P-256 private key (32 bytes): needed for rpk and x509 nodes (ECDHE-ECDSA, RFC 7925 §4.4).</summary>
        public byte[] PrivateKey;
        /// <summary>The gateway's certificate (DER), signed by the fleet CA: shown to x509 nodes.</summary>
        public byte[] Certificate;
        /// <summary>The fleet CA's certificate (DER): x509 nodes' chains must end here.</summary>
        public byte[] CaCertificate;
        /// <summary>Calendar time for certificate validity (RFC 5280 §4.1.2.5); x509 nodes are refused without it.</summary>
        public IWallClock Clock;

        /// <summary>
        /// The per-node sequence windows. Pass the same instance to a restarted gateway (state kept across the restart,
        /// as persisted state would be) so a sample the old one accepted, but whose ACK was lost, is not taken twice.
        /// Null: a fresh one with one entry per node.
        /// </summary>
        public ReadingDeduplicator Deduplicator;
    }
}
