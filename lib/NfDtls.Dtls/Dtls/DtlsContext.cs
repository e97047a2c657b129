using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Net;

namespace NfDtls.Dtls
{
    /// <summary>
    /// What all sessions of one engine share (an engine is single-threaded, so one set of scratch serves them all):
    /// configuration, sink, events, the outgoing datagram buffer, the record layer with its
    /// two AES-CCM engines, the PRF, the key exchanges per offered suite and the pool of handshakes. Allocated once at
    /// engine construction. Internal: its scratch holds key material (premaster, key block) between two lines of the
    /// key schedule (issue 16, finding 12).
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
        /// <summary>The PRF's HMAC, also the server's cookie MAC (each use keys it first).</summary>
        public readonly IHmacSha256 Hmac;

        /// <summary>Every datagram we send is built here.</summary>
        public readonly byte[] Datagram;

        /// <summary>Key schedule scratch: wiped as soon as the master secret (resp. the record keys) are made.</summary>
        public readonly byte[] Premaster = new byte[MaxPremasterLength];
        public readonly byte[] KeyBlock = new byte[KeyBlockLength];
        public readonly byte[] Hash = new byte[32];
        public readonly byte[] VerifyData = new byte[12];
        public readonly byte[] Scratch = new byte[HandshakeHeaderScratch];

        public readonly RecordLayer Records;

        /// <summary>Key exchanges, one per configured cipher suite (null where we lack credentials), set before <see cref="Handshakes"/>.</summary>
        public DtlsKeyExchange[] KeyExchanges;

        public HandshakePool Handshakes;

        /// <summary>Server: its engine (sessions report when they connect); null on a client.</summary>
        public DtlsServer Server;

        /// <summary>Client: the state of its last session, offered on the next Connect (<see cref="Resumption.ClientResumption"/>).</summary>
        public byte[] Resumption;

        /// <summary>Server: the address index, so a session whose peer moved (RFC 9146 §6) can re-key itself; null on a client.</summary>
        public SessionIndex AddressIndex;

        /// <summary>Server: secret 16-bit mask over the slot number inside issued CIDs (RFC 9146 §8: CIDs say little).</summary>
        public int CidSlotMask;

        /// <summary>Counts received datagrams, so a flight goes out at most once per datagram (issue 16, finding 3).</summary>
        public int DatagramNumber;

        /// <summary>Least time between two sendings of a flight when the peer repeats its own: the initial timeout, at most 1 s.</summary>
        public readonly int ResendGapMs;

        /// <summary>Where application data goes instead of <see cref="IDtlsEvents.OnApplicationData"/> when set.</summary>
        public IMessageReceiver Receiver;

        /// <summary>The session whose record is being delivered (a reply during delivery needs no lookup).</summary>
        public DtlsSession Delivering;

        /// <summary>The session whose record space <see cref="IMessageConnector.BeginSend"/> lent, until EndSend.</summary>
        public DtlsSession Lent;

        /// <summary>
        /// A session's previous address while <see cref="IMessageReceiver.OnPeerMoved"/> runs. Server only: a client hears
        /// only its server and its sessions never move (RecordLayer.Open needs a source address), so it does not pay for it.
        /// </summary>
        public PeerAddress MovedFrom;

        private byte[] _keyLogRandom;
        private byte[] _keyLogMaster;

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
            Hmac = config.Crypto.CreateHmacSha256();
            Prf = new TlsPrf(Hmac);
            Datagram = new byte[config.MaxDatagramSize];
            Records = new RecordLayer(this);
            ResendGapMs = config.InitialRetransmitMs < 1000 ? config.InitialRetransmitMs : 1000;
        }

        /// <summary>The pool, once the key exchanges are known (handshakes make their per-suite state from them).</summary>
        public void CreateHandshakes(bool isClient)
        {
            int n = Config.ConcurrentHandshakes > 0 ? Config.ConcurrentHandshakes : (isClient ? 1 : 2);
            Handshakes = new HandshakePool(this, n, isClient);
        }

        public DtlsKeyExchange FindKeyExchange(int suite)
        {
            int i = IndexOfKeyExchange(suite);
            return i >= 0 ? KeyExchanges[i] : null;
        }

        public int IndexOfKeyExchange(int suite)
        {
            DtlsKeyExchange[] list = KeyExchanges;
            for (int i = 0; list != null && i < list.Length; i++)
            {
                if (list[i] != null && list[i].CipherSuite == suite)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>Application data of <paramref name="session"/>, where it was decrypted in the received datagram.</summary>
        public void Deliver(DtlsSession session, byte[] buffer, int offset, int count, long nowMs)
        {
            DtlsSession outer = Delivering;
            Delivering = session;
            if (Receiver != null)
            {
                Receiver.OnMessage(session.Peer, buffer, offset, count, nowMs);
            }
            else
            {
                Events.OnApplicationData(session, buffer, offset, count);
            }
            Delivering = outer;
        }

        /// <summary>RFC 9146 §6: tells the layer above that <paramref name="session"/> now reaches its peer elsewhere.</summary>
        public void PeerMoved(DtlsSession session, PeerAddress from)
        {
            if (Receiver != null)
            {
                Receiver.OnPeerMoved(from, session.Peer);
            }
        }

        /// <summary>NSS key log (CLIENT_RANDOM client_random master_secret) for Wireshark.</summary>
        public void LogKeys(byte[] secrets, int clientRandom, int masterSecret)
        {
            if (_keyLogRandom == null)
            {
                // Only with a key log (a debugging aid that writes text anyway), so made on first use.
                _keyLogRandom = new byte[32];
                _keyLogMaster = new byte[48];
            }
            System.Array.Copy(secrets, clientRandom, _keyLogRandom, 0, 32);
            System.Array.Copy(secrets, masterSecret, _keyLogMaster, 0, 48);
            Config.KeyLog.OnSecret(_keyLogRandom, _keyLogMaster);
            System.Array.Clear(_keyLogMaster, 0, 48);
        }
    }
}
