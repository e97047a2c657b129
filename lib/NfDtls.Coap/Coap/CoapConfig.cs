using NfDtls.Crypto;
using NfDtls.Diagnostics;

namespace NfDtls.Coap
{
    /// <summary>
    /// Everything a <see cref="CoapEndpoint"/> sizes its tables from, plus the RFC 7252 §4.8 transmission
    /// parameters. Defaults are the RFC's (ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4, NSTART 1)
    /// and tables small enough for a board; <see cref="EstimateBytes"/> states what they cost.
    /// </summary>
    public sealed class CoapConfig
    {
        /// <summary>Message IDs and tokens (§5.3.1: tokens should be random). Null: a seeded non-cryptographic generator.</summary>
        public IRandom Random;
        public int Seed = 1;
        public ILog Log = NullLog.Instance;

        // RFC 7252 §4.8 transmission parameters.
        public int AckTimeoutMs = 2000;
        /// <summary>ACK_RANDOM_FACTOR × 100 (150 = 1.5).</summary>
        public int AckRandomFactorPercent = 150;
        public int MaxRetransmit = 4;
        /// <summary>Outstanding interactions per peer (§4.7).</summary>
        public int NStart = 1;
        /// <summary>0: derived per §4.8.2 from the parameters above.</summary>
        public long ExchangeLifetimeMs;
        /// <summary>0: derived per §4.8.2.</summary>
        public long NonLifetimeMs;
        /// <summary>How long a client waits for a separate or NON response (default MAX_TRANSMIT_WAIT, §4.8.2).</summary>
        public long ResponseTimeoutMs = 93000;
        /// <summary>Token length for new requests (1..8).</summary>
        public int TokenLength = 4;

        // Table sizes.
        /// <summary>§4.6: fits 1024 bytes of payload plus header and options.</summary>
        public int MaxMessageSize = 1152;
        public int MaxOptions = 16;
        public int OptionBytes = 320;
        /// <summary>Remembered (peer, message ID) pairs for duplicate detection (§4.5).</summary>
        public int DedupCapacity = 16;
        /// <summary>Bytes of the ring keeping sent replies for re-sending to duplicate CONs (§4.5).</summary>
        public int ResponseCacheBytes = 2048;
        /// <summary>At least this many full-size (MaxMessageSize) replies fit the ring (raises ResponseCacheBytes).</summary>
        public int ResponseCacheCapacity;
        /// <summary>Client exchanges open at once (each holds a request copy and a MaxMessageSize send buffer).</summary>
        public int PendingCapacity = 4;
        /// <summary>Server-side CON messages in flight at once: separate responses and CON notifications.</summary>
        public int ServerTransmitCapacity = 2;
        public int DeferredCapacity = 2;
        public int ObserverCapacity = 4;
        public int ResourceCapacity = 16;
        /// <summary>Reassembly buffers for Block1 (server) and Block2 (client), RFC 7959.</summary>
        public int BlockBufferCount = 1;
        public int BlockBufferSize = 4096;
        /// <summary>Largest block this endpoint sends or asks for (16..1024, a power of two).</summary>
        public int BlockSize = 1024;
        /// <summary>Scratch a resource handler writes a generated representation into (also the /.well-known/core document).</summary>
        public int ResponseBufferSize = 1024;
        /// <summary>RFC 7641 §4.5: every Nth notification is CON (so a dead client is noticed).</summary>
        public int ObserveConEvery = 5;
        /// <summary>RFC 7641 §4.5: and at least once in this interval (24 h).</summary>
        public long ObserveConMaxIntervalMs = 86400000;
        /// <summary>RFC 6690 §4: whether /.well-known/core is served.</summary>
        public bool ServeDiscovery = true;

        /// <summary>MAX_TRANSMIT_SPAN = ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) × ACK_RANDOM_FACTOR (§4.8.2).</summary>
        public long MaxTransmitSpanMs()
        {
            return (long)AckTimeoutMs * ((1L << MaxRetransmit) - 1) * AckRandomFactorPercent / 100;
        }

        /// <summary>EXCHANGE_LIFETIME = MAX_TRANSMIT_SPAN + 2 × MAX_LATENCY (100 s) + PROCESSING_DELAY (ACK_TIMEOUT).</summary>
        public long EffectiveExchangeLifetimeMs()
        {
            return ExchangeLifetimeMs > 0 ? ExchangeLifetimeMs : MaxTransmitSpanMs() + 200000 + AckTimeoutMs;
        }

        /// <summary>NON_LIFETIME = MAX_TRANSMIT_SPAN + MAX_LATENCY.</summary>
        public long EffectiveNonLifetimeMs()
        {
            return NonLifetimeMs > 0 ? NonLifetimeMs : MaxTransmitSpanMs() + 100000;
        }

        /// <summary>
        /// A Block1 upload with no block for this long counts as stalled, and its buffer may go to a new upload when
        /// none is free: three times the longest first timeout (ACK_TIMEOUT × ACK_RANDOM_FACTOR, §4.8), so a live
        /// client whose block was lost twice still gets its next one in (9 s with the defaults). A peer holds at most
        /// NSTART uploads (§4.7) at once.
        /// </summary>
        public long UploadStallMs()
        {
            return 3L * AckTimeoutMs * AckRandomFactorPercent / 100;
        }

        public int EffectiveResponseCacheBytes()
        {
            int full = ResponseCacheCapacity * MaxMessageSize;
            return full > ResponseCacheBytes ? full : ResponseCacheBytes;
        }

        /// <summary>
        /// Lowers <see cref="BlockSize"/> so that one block with its header and options (up to 128 bytes) fits a message
        /// of <paramref name="maxMessageSize"/> — a DTLS record's plaintext (DtlsConfig.MaxRecordPlaintext): a 1024-byte
        /// record carries 512-byte blocks. With blocks below 1024 the client asks for that size up front (RFC 7959 §2.4).
        /// </summary>
        public void FitBlockSizeTo(int maxMessageSize)
        {
            while (BlockSize > 16 && BlockSize + 128 > maxMessageSize)
            {
                BlockSize /= 2;
            }
        }

        /// <summary>
        /// Approximate bytes an endpoint with this configuration holds on a board (nanoCLR prices: 12 bytes per object
        /// header and per field, arrays 20 bytes plus packed elements, rounded to 12), for a board's budget.
        /// </summary>
        public int EstimateBytes()
        {
            int options = Round(20 + 8 * MaxOptions);
            int message = 180 + options + Round(20 + OptionBytes) + 36;                 // object, tables, own storage, token
            int rows = PendingCapacity + ObserverCapacity + DeferredCapacity;
            return 1500 + options                                                         // endpoint, request, response, receive table, scratch
                + PendingCapacity * (324 + message)                                       // client exchanges with their request
                + Round(20 + 28 * rows)                                                   // their peers and tokens
                + ServerTransmitCapacity * 120 + DeferredCapacity * 72 + Round(20 + DeferredCapacity * MaxMessageSize)
                + Round(20 + 24 * DedupCapacity) + Round(20 + 8 * DedupCapacity) * 2 + Round(20 + EffectiveResponseCacheBytes())
                + ObserverCapacity * 120 + Round(20 + 12 * ResourceCapacity)
                + Round(20 + BlockBufferCount * BlockBufferSize) + BlockBufferCount * 48 + 180
                + Round(20 + ResponseBufferSize);
        }

        private static int Round(int bytes)
        {
            return (bytes + 11) / 12 * 12;
        }
    }
}
