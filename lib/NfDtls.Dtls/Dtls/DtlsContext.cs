using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;

namespace NfDtls.Dtls
{
    /// <summary>
    /// What all sessions of one engine share (an engine is single-threaded, so one set of scratch serves them all):
    /// configuration, sink, events, the outgoing datagram buffer, the record plaintext buffer, the PRF and the key
    /// exchanges per offered suite. Allocated once at engine construction. Internal: its scratch holds key material
    /// (premaster, key block) between two lines of the key schedule, and nothing of it is the application's business
    /// (issue 16, finding 12).
    /// </summary>
    internal sealed class DtlsContext
    {
        /// <summary>Largest premaster secret: the PSK form of RFC 4279 §2 with a 64-byte key (2 + 64 + 2 + 64).</summary>
        public const int MaxPremasterLength = 132;

        /// <summary>Longest PSK this stack takes (RFC 4279 §5.3: at least 64 bytes must be supported).</summary>
        public const int MaxPskLength = 64;

        /// <summary>AES-128-CCM-8 key block: two 16-byte keys and two 4-byte implicit IVs (RFC 6655 §3).</summary>
        public const int KeyBlockLength = 40;

        public readonly DtlsConfig Config;
        public readonly IDatagramSink Sink;
        public readonly IDtlsEvents Events;
        public readonly ILog Log;
        public readonly TlsPrf Prf;

        /// <summary>Every datagram we send is built here.</summary>
        public readonly byte[] Datagram;

        /// <summary>Decrypted record plaintext (epoch ≥ 1) lands here before dispatch.</summary>
        public readonly byte[] Plaintext;

        /// <summary>Key schedule scratch: wiped as soon as the master secret (resp. the record keys) are made.</summary>
        public readonly byte[] Premaster = new byte[MaxPremasterLength];
        public readonly byte[] KeyBlock = new byte[KeyBlockLength];
        public readonly byte[] Hash = new byte[32];
        public readonly byte[] VerifyData = new byte[12];
        public readonly byte[] Scratch = new byte[HandshakeHeaderScratch];

        /// <summary>Server: the address index, so a session whose peer moved (RFC 9146 §6) can re-key itself; null on a client.</summary>
        internal SessionIndex AddressIndex;

        /// <summary>Server: secret 16-bit mask over the slot number inside issued CIDs (RFC 9146 §8: CIDs say little).</summary>
        internal int CidSlotMask;

        /// <summary>Key exchanges in order of preference, one per configured cipher suite.</summary>
        public DtlsKeyExchange[] KeyExchanges;

        private const int HandshakeHeaderScratch = 16;

        public DtlsContext(DtlsConfig config, IDatagramSink sink, IDtlsEvents events)
        {
            if (config == null || sink == null || events == null)
            {
                throw new System.ArgumentNullException("config");
            }
            config.Validate();
            Config = config;
            Sink = sink;
            Events = events;
            Log = config.Log;
            Prf = new TlsPrf(config.Crypto.CreateHmacSha256());
            Datagram = new byte[config.MaxDatagramSize];
            Plaintext = new byte[config.MaxRecordPlaintext + Record.RecordProtection.TagLength];
        }

        public DtlsKeyExchange FindKeyExchange(int suite)
        {
            DtlsKeyExchange[] list = KeyExchanges;
            for (int i = 0; list != null && i < list.Length; i++)
            {
                if (list[i] != null && list[i].CipherSuite == suite)
                {
                    return list[i];
                }
            }
            return null;
        }
    }
}
