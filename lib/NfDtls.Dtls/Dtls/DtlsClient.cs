using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Dtls.Resumption;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Dtls
{
    /// <summary>
    /// A sans-IO DTLS 1.2 client for one server: datagrams and time in (<see cref="Receive"/>, <see cref="Tick"/>),
    /// datagrams out through the sink, events to the application. All memory is allocated here; the handshake's state
    /// is one pooled <see cref="DtlsHandshake"/>, held only while handshaking. After the handshake, sending and
    /// receiving application records allocates nothing. As an <see cref="IMessageConnector"/> it lends the space of a
    /// record in its datagram buffer and seals the message where it was written.
    /// </summary>
    public sealed class DtlsClient : IDtlsEndpoint
    {
        private readonly DtlsContext _ctx;
        private readonly PeerAddress _server = new PeerAddress();
        private readonly DtlsSession _session;

        public DtlsClient(DtlsConfig config, IDatagramSink sink, PeerAddress server, byte[] pskIdentity, byte[] psk, IDtlsEvents events)
        {
            if (server == null)
            {
                throw new System.ArgumentNullException("server");
            }
            _ctx = new DtlsContext(config, sink, events);
            // one key exchange per configured suite we have credentials for (PSK: identity and key; ECDHE: config.Ecdhe)
            int[] suites = config.CipherSuites;
            DtlsKeyExchange[] kx = new DtlsKeyExchange[suites.Length];
            for (int i = 0; i < suites.Length; i++)
            {
                if (suites[i] == CipherSuite.TlsPskWithAes128Ccm8 && psk != null)
                {
                    kx[i] = new PskKeyExchange(pskIdentity, psk);
                }
                else if (suites[i] == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && config.Ecdhe != null)
                {
                    kx[i] = new EcdheEcdsaKeyExchange(config, true);
                }
            }
            _ctx.KeyExchanges = kx;
            _ctx.Resumption = ClientResumption.Create(config);
            _ctx.CreateHandshakes(true);
            _server.CopyFrom(server);
            _session = new DtlsSession(_ctx, true);
            _session.Peer.CopyFrom(server);
        }

        public DtlsSession Session { get { return _session; } }

        public bool IsConnected { get { return _session.IsConnected; } }

        /// <summary>
        /// The key exchange of a configured suite (e.g. <see cref="EcdheEcdsaKeyExchange"/> for the peer's authenticated
        /// key), or null. Its handshake hooks are internal: nothing secret is reachable from here.
        /// </summary>
        public DtlsKeyExchange FindKeyExchange(int suite)
        {
            return _ctx.FindKeyExchange(suite);
        }

        /// <summary>Where application data goes instead of <see cref="IDtlsEvents.OnApplicationData"/> (null: the events).</summary>
        public IMessageReceiver Receiver
        {
            get { return _ctx.Receiver; }
            set { _ctx.Receiver = value; }
        }

        /// <summary>Most bytes <see cref="SaveResumption"/> writes: the state of one session and a ticket of up to 1,024 bytes.</summary>
        public const int MaxResumptionStateLength = ClientResumption.MaxLength;

        /// <summary>
        /// Writes what resuming the last session takes (RFC 5246 §7.3, RFC 5077: suite, master secret, the server's
        /// session ID or ticket, the peer's identity) for the host to keep — it holds the master secret: keep it as
        /// secret as the PSK. Returns the bytes written, 0 when nothing is resumable (no session yet, no extended
        /// master secret, the server gave neither session ID nor ticket) or the buffer is too small.
        /// </summary>
        public int SaveResumption(byte[] buffer, int offset)
        {
            return ClientResumption.Save(_ctx.Resumption, buffer, offset);
        }

        /// <summary>
        /// Takes a state written by <see cref="SaveResumption"/> (by this or an earlier instance), to be offered by the
        /// next <see cref="Connect"/>. False, and the current state kept, when the bytes are malformed (or hold a ticket
        /// and <see cref="DtlsConfig.SessionTickets"/> is off: no room was made for one); never throws.
        /// A state whose suite or identity no longer matches the configuration is loaded but never offered.
        /// </summary>
        public bool LoadResumption(byte[] buffer, int offset, int count)
        {
            return ClientResumption.Load(_ctx.Resumption, buffer, offset, count);
        }

        /// <summary>Forgets (wipes) the resumable state: the next Connect is a full handshake.</summary>
        public void ForgetResumption()
        {
            ClientResumption.Forget(_ctx.Resumption);
        }

        /// <summary>True when the next <see cref="Connect"/> has a session to offer (it may still be declined).</summary>
        public bool HasResumableSession { get { return ClientResumption.IsResumable(_ctx.Resumption); } }

        /// <summary>
        /// Starts (or restarts, e.g. after a reboot of the server) the handshake: sends flight 1. The last session is
        /// offered for resumption when there is one (a ticket if we hold one, else its session ID); a server that
        /// declines gets a full handshake.
        /// </summary>
        public void Connect(long nowMs)
        {
            // A restart keeps the handshake the session may still hold (the pool of a client has one).
            DtlsHandshake handshake = _session.Handshake != null ? _session.Handshake : _ctx.Handshakes.Take();
            _session.Begin(handshake, _server, nowMs);
            handshake.StartClient(nowMs);
        }

        /// <summary>Sends one application record; false when not connected or larger than MaxRecordPlaintext.</summary>
        public bool Send(byte[] buffer, int offset, int count, long nowMs)
        {
            return _session.SendApplicationData(buffer, offset, count, nowMs);
        }

        /// <summary>Sends close_notify and ends the session.</summary>
        public void Close(long nowMs)
        {
            _session.Close(nowMs);
        }

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            if (peer != null && !peer.SameAs(_session.Peer))
            {
                buffer = null;
                offset = 0;
                capacity = 0;
                return false;
            }
            return MessageSpace.Lend(_ctx, _session, out buffer, out offset, out capacity);
        }

        public bool EndSend(int count, long nowMs)
        {
            return MessageSpace.Seal(_ctx, count);
        }

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            if (from == null || !from.SameAs(_server))
            {
                return; // only our server speaks to us
            }
            _ctx.DatagramNumber++;
            _ctx.Lent = null; // a lend not sealed before the next datagram is void (IMessageConnector)
            WireReader r = new WireReader(buffer, offset, count);
            RecordHeader h;
            int cidLength = _ctx.Config.ConnectionIdLength > 0 ? _ctx.Config.ConnectionIdLength : 0;
            while (RecordHeader.TryRead(ref r, out h, cidLength))
            {
                _session.ReceiveRecord(buffer, ref h, nowMs, null);
            }
        }

        public void Tick(long nowMs)
        {
            _session.Tick(nowMs);
        }

        public long NextDeadline { get { return _session.NextDeadline; } }
    }
}
