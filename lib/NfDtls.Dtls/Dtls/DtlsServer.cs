using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Dtls.Resumption;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Dtls
{
    /// <summary>
    /// A sans-IO DTLS 1.2 server for many clients. A ClientHello without a valid cookie is answered statelessly with
    /// a HelloVerifyRequest no larger than the hello (RFC 6347 §4.2.1: no state, no amplification); only a hello with
    /// a valid cookie borrows a handshake from the pool (<see cref="DtlsConfig.ConcurrentHandshakes"/>) and a slot of
    /// the table. Established sessions hold only their record state and leave by close, a fatal alert, or a newer
    /// authenticated session when the table is full (the least recently active one); a half-open handshake never
    /// evicts one (issue 16, finding 2). A new hello from an address that has a session (client reboot, §4.2.8)
    /// replaces it once its cookie checks out. Sessions are found by address through a hash index
    /// (<see cref="SessionIndex"/>) or by Connection ID, and the earliest retransmission deadline is cached, so a datagram
    /// costs the same with 16 sessions or thousands. As an <see cref="IMessageConnector"/> it lends the space of a record
    /// in its datagram buffer and seals the message where it was written.
    /// </summary>
    public sealed class DtlsServer : IDtlsEndpoint
    {
        private readonly DtlsContext _ctx;
        private readonly DtlsSession[] _sessions;
        private readonly CookieGenerator _cookies;
        private readonly SessionIndex _index;
        private readonly int _cidLength;
        private readonly PskKeyExchange _psk;
        private int _helloVerifyRequestsSent;

        /// <summary>The session cache and ticket keys (null without either), reached by handshakes through <see cref="DtlsContext.Server"/>.</summary>
        internal readonly ServerResumption Resumption;

        // The earliest session deadline and the slot holding it; _deadlineStale forces a rescan. Only the server's own
        // calls (StartServer, records, Tick) can move a deadline earlier; anything else (an eviction, a close, even a
        // direct DtlsSession.Close/Tick by the application) only stops or postpones a timer, which NextDeadline
        // notices by checking the holder's deadline.
        private long _nextDeadline = long.MaxValue;
        private int _nextDeadlineSlot = -1;
        private bool _deadlineStale;

        public DtlsServer(DtlsConfig config, IDatagramSink sink, IPskStore keys, IDtlsEvents events)
        {
            _ctx = new DtlsContext(config, sink, events);
            _ctx.Server = this;
            _ctx.MovedFrom = new PeerAddress();
            int[] suites = config.CipherSuites;
            DtlsKeyExchange[] kx = new DtlsKeyExchange[suites.Length];
            for (int i = 0; i < suites.Length; i++)
            {
                if (suites[i] == CipherSuite.TlsPskWithAes128Ccm8)
                {
                    _psk = new PskKeyExchange(keys, config, events);
                    kx[i] = _psk;
                }
                else if (suites[i] == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && config.Ecdhe != null)
                {
                    kx[i] = new EcdheEcdsaKeyExchange(config, false);
                }
            }
            _ctx.KeyExchanges = kx;
            if (config.SessionCacheSize > 0 || config.SessionTickets)
            {
                Resumption = new ServerResumption(config);
            }
            _ctx.CreateHandshakes(false);
            _cookies = new CookieGenerator(_ctx.Hmac, config.Random);
            // Established sessions plus one slot per concurrent handshake: a handshake always finds a slot without
            // touching an established session, and completes into the table (evicting the least recently active one).
            _sessions = new DtlsSession[config.SessionCapacity + _ctx.Handshakes.Count];
            PeerAddress[] peers = new PeerAddress[_sessions.Length];
            for (int i = 0; i < _sessions.Length; i++)
            {
                _sessions[i] = new DtlsSession(_ctx, false);
                _sessions[i].Slot = i;
                peers[i] = _sessions[i].Peer;
            }
            // Each session's Peer object is its key: a slot leaves the index before its address changes.
            _index = new SessionIndex(peers);
            _ctx.AddressIndex = _index;
            if (config.ConnectionIdLength > 0)
            {
                if (_sessions.Length > 0x10000)
                {
                    throw new System.ArgumentException("Connection IDs name at most 65536 sessions");
                }
                byte[] mask = new byte[2];
                config.Random.GetBytes(mask, 0, 2);
                _ctx.CidSlotMask = (mask[0] << 8) | mask[1];
                _cidLength = config.ConnectionIdLength;
            }
        }

        /// <summary>
        /// The key exchange of a configured suite (e.g. <see cref="EcdheEcdsaKeyExchange"/> for the peer's authenticated
        /// key), or null. Its handshake hooks are internal: nothing secret is reachable from here.
        /// </summary>
        public DtlsKeyExchange FindKeyExchange(int suite)
        {
            return _ctx.FindKeyExchange(suite);
        }

        /// <summary>Sessions handshaking or connected.</summary>
        public int SessionCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _sessions.Length; i++)
                {
                    if (_sessions[i].IsActive)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>Slots in the table: <see cref="DtlsConfig.SessionCapacity"/> plus one per concurrent handshake.</summary>
        public int Capacity { get { return _sessions.Length; } }

        /// <summary>Handshakes that may run at once (the pool), and how many run now.</summary>
        public int ConcurrentHandshakes { get { return _ctx.Handshakes.Count; } }

        public int HandshakesInProgress { get { return _ctx.Handshakes.InUse; } }

        /// <summary>Slot <paramref name="index"/> of the table (check <see cref="DtlsSession.IsActive"/>).</summary>
        public DtlsSession SessionAt(int index)
        {
            return _sessions[index];
        }

        public int HelloVerifyRequestsSent { get { return _helloVerifyRequestsSent; } }

        // ---------------------------------------------------------------- resumption

        /// <summary>Bytes <see cref="SaveTicketKeys"/> writes: the current and previous ticket keys with their names and ages.</summary>
        public const int TicketKeysLength = TicketKeyRing.SavedLength;

        /// <summary>
        /// Writes the session-ticket keys (RFC 5077 §5.5) so a restarted server keeps accepting the tickets it issued: secret
        /// key material, keep it like a private key. Returns <see cref="TicketKeysLength"/>, or 0 without tickets or room.
        /// </summary>
        public int SaveTicketKeys(byte[] buffer, int offset)
        {
            TicketKeyRing tickets = Resumption != null ? Resumption.Tickets : null;
            return tickets != null ? tickets.Save(buffer, offset) : 0;
        }

        /// <summary>
        /// <see cref="SaveTicketKeys(byte[], int)"/> at <paramref name="nowMs"/>: the keys' ages are those at that time
        /// (a key due for rotation is rotated first), for a host that keeps the keys while the server runs.
        /// </summary>
        public int SaveTicketKeys(byte[] buffer, int offset, long nowMs)
        {
            TicketKeyRing tickets = Resumption != null ? Resumption.Tickets : null;
            if (tickets == null)
            {
                return 0;
            }
            tickets.Advance(nowMs);
            return tickets.Save(buffer, offset);
        }

        /// <summary>Takes ticket keys written by <see cref="SaveTicketKeys(byte[], int)"/>; false when malformed or without tickets (never throws).</summary>
        public bool LoadTicketKeys(byte[] buffer, int offset, int count)
        {
            return LoadTicketKeys(buffer, offset, count, 0);
        }

        /// <summary>
        /// <see cref="LoadTicketKeys(byte[], int, int)"/> for keys saved <paramref name="offlineMs"/> ago: the time the
        /// server was stopped counts towards the keys' rotation and their tickets' lifetime (RFC 5077 §5.5).
        /// </summary>
        public bool LoadTicketKeys(byte[] buffer, int offset, int count, long offlineMs)
        {
            TicketKeyRing tickets = Resumption != null ? Resumption.Tickets : null;
            return tickets != null && tickets.Load(buffer, offset, count, offlineMs);
        }

        /// <summary>
        /// Times the current ticket key was replaced (RFC 5077 §5.5; rotation happens when the server seals, opens or
        /// saves with a time): a host that keeps the keys saves them again when this changes. 0 without tickets.
        /// </summary>
        public int TicketKeyRotations
        {
            get { return Resumption != null && Resumption.Tickets != null ? Resumption.Tickets.Rotations : 0; }
        }

        /// <summary>Entries in the session-ID cache (0 without one).</summary>
        public int CachedSessions
        {
            get { return Resumption != null && Resumption.Cache != null ? Resumption.Cache.Count : 0; }
        }

        /// <summary>
        /// Clients that named a PSK identity the store does not hold (RFC 4279 §2). Hidden from them by default
        /// (<see cref="DtlsConfig.HideUnknownPskIdentity"/>); counted here and reported by <see cref="IDtlsEvents.OnUnknownPskIdentity"/>.
        /// </summary>
        public int UnknownPskIdentities { get { return _psk != null ? _psk.UnknownIdentities : 0; } }

        /// <summary>Where application data goes instead of <see cref="IDtlsEvents.OnApplicationData"/> (null: the events).</summary>
        public IMessageReceiver Receiver
        {
            get { return _ctx.Receiver; }
            set { _ctx.Receiver = value; }
        }

        /// <summary>The live session with this peer, or null.</summary>
        public DtlsSession FindSession(PeerAddress peer)
        {
            int slot = _index.Find(peer);
            if (slot < 0)
            {
                return null;
            }
            DtlsSession s = _sessions[slot];
            if (!s.IsActive)
            {
                // Sessions end inside their own code (alerts, timeouts, close): the index forgets them lazily.
                _index.Remove(slot);
                return null;
            }
            return s;
        }

        /// <summary>The live session that issued this CID (RFC 9146), or null.</summary>
        public DtlsSession FindSessionByConnectionId(byte[] buffer, int offset, int length)
        {
            if (_cidLength == 0 || buffer == null || length != _cidLength || offset < 0 || offset + length > buffer.Length)
            {
                return null;
            }
            int slot = DtlsHandshake.SlotOfConnectionId(_ctx, buffer, offset);
            if (slot >= _sessions.Length)
            {
                return null;
            }
            DtlsSession s = _sessions[slot];
            return s.HasOwnConnectionId(buffer, offset, length) ? s : null;
        }

        /// <summary>Sends one application record to a connected peer.</summary>
        public bool Send(PeerAddress peer, byte[] buffer, int offset, int count, long nowMs)
        {
            DtlsSession s = FindSession(peer);
            return s != null && s.SendApplicationData(buffer, offset, count, nowMs);
        }

        /// <summary>Sends close_notify to the peer and frees its session.</summary>
        public void Close(PeerAddress peer, long nowMs)
        {
            DtlsSession s = FindSession(peer);
            if (s != null)
            {
                s.Close(nowMs);
                NoteDeadline(s);
            }
        }

        // ---------------------------------------------------------------- IMessageConnector

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            // A reply while a record of this very peer is being delivered uses that session: no second lookup.
            DtlsSession s = _ctx.Delivering;
            if (s == null || !s.Peer.SameAs(peer))
            {
                s = FindSession(peer);
            }
            return MessageSpace.Lend(_ctx, s, out buffer, out offset, out capacity);
        }

        public bool EndSend(int count, long nowMs)
        {
            return MessageSpace.Seal(_ctx, count);
        }

        // ---------------------------------------------------------------- datagrams

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            if (from == null)
            {
                return;
            }
            _ctx.DatagramNumber++;
            _ctx.Lent = null; // a lend not sealed before the next datagram is void (IMessageConnector)
            WireReader r = new WireReader(buffer, offset, count);
            RecordHeader h;
            // RFC 6347 §4.2.1: the stateless answer must not amplify. A HelloVerifyRequest is never larger than the
            // hello that asked, and only a datagram's first ClientHello is served (no client packs two), so one
            // datagram draws at most one reply and one cookie computation (issue 16, finding 6).
            bool helloSeen = false;
            while (RecordHeader.TryRead(ref r, out h, _cidLength))
            {
                if (h.Type == ContentType.Tls12Cid)
                {
                    // RFC 9146 §6: the CID, not the address, names the session; the session moves itself to the
                    // new address once the record authenticates and is its newest.
                    DtlsSession owner = FindSessionByConnectionId(buffer, h.CidOffset, h.CidLength);
                    if (owner != null)
                    {
                        owner.ReceiveRecord(buffer, ref h, nowMs, from);
                        NoteDeadline(owner);
                    }
                    continue;
                }
                DtlsSession session = FindSession(from);
                if (h.Epoch == 0 && h.Type == ContentType.Handshake && h.FragmentLength >= HandshakeType.HeaderLength
                    && buffer[h.FragmentOffset] == HandshakeType.ClientHello)
                {
                    if (!helloSeen)
                    {
                        helloSeen = true;
                        ReceiveClientHello(buffer, ref h, from, session, nowMs);
                    }
                }
                else if (session != null)
                {
                    session.ReceiveRecord(buffer, ref h, nowMs, from);
                    NoteDeadline(session);
                }
            }
            if (_psk != null)
            {
                _psk.ReportUnknownIdentity(); // after our answer to the datagram has left
            }
        }

        public void Tick(long nowMs)
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                if (_sessions[i].IsActive)
                {
                    _sessions[i].Tick(nowMs);
                }
            }
            ScanDeadlines();
        }

        public long NextDeadline
        {
            get
            {
                if (!_deadlineStale && _nextDeadlineSlot >= 0 && DeadlineOf(_sessions[_nextDeadlineSlot]) != _nextDeadline)
                {
                    _deadlineStale = true; // the earliest timer was stopped or postponed behind our back
                }
                if (_deadlineStale)
                {
                    ScanDeadlines();
                }
                return _nextDeadline;
            }
        }

        private static long DeadlineOf(DtlsSession s)
        {
            return s.IsActive ? s.NextDeadline : long.MaxValue;
        }

        /// <summary>Keeps the cached earliest deadline exact after the server drove <paramref name="s"/>.</summary>
        private void NoteDeadline(DtlsSession s)
        {
            if (_deadlineStale)
            {
                return;
            }
            long d = DeadlineOf(s);
            if (d < _nextDeadline)
            {
                _nextDeadline = d;
                _nextDeadlineSlot = s.Slot;
            }
            else if (s.Slot == _nextDeadlineSlot && d != _nextDeadline)
            {
                _deadlineStale = true; // the earliest one moved later: some other session may now be first
            }
        }

        private void ScanDeadlines()
        {
            long next = long.MaxValue;
            int slot = -1;
            for (int i = 0; i < _sessions.Length; i++)
            {
                long d = DeadlineOf(_sessions[i]);
                if (d < next)
                {
                    next = d;
                    slot = i;
                }
            }
            _nextDeadline = next;
            _nextDeadlineSlot = slot;
            _deadlineStale = false;
        }

        // ---------------------------------------------------------------- new connections

        /// <summary>RFC 6347 §4.2.1 stateless cookie exchange, and §4.2.8 new connections from a known address.</summary>
        private void ReceiveClientHello(byte[] buffer, ref RecordHeader h, PeerAddress from, DtlsSession existing, long nowMs)
        {
            int p = h.FragmentOffset;
            int length = (buffer[p + 1] << 16) | (buffer[p + 2] << 8) | buffer[p + 3];
            int sequence = (buffer[p + 4] << 8) | buffer[p + 5];
            int fragmentOffset = (buffer[p + 6] << 16) | (buffer[p + 7] << 8) | buffer[p + 8];
            int fragmentLength = (buffer[p + 9] << 16) | (buffer[p + 10] << 8) | buffer[p + 11];
            // The cookie check needs the whole hello in this one record; a fragmented first hello is not served.
            if (fragmentOffset != 0 || fragmentLength != length || HandshakeType.HeaderLength + length > h.FragmentLength)
            {
                return;
            }
            int body = p + HandshakeType.HeaderLength;
            ClientHelloView view;
            if (!ClientHelloView.TryParse(buffer, body, length, out view))
            {
                return;
            }
            if (existing != null && existing.IsSameClientHello(buffer, view.RandomOffset))
            {
                // A retransmitted hello of the handshake in progress (it may draw flight 4 again), or a late copy of
                // the one an established session started from (dropped there).
                existing.ReceiveRecord(buffer, ref h, nowMs, from);
                NoteDeadline(existing);
                return;
            }
            _cookies.Rotate(nowMs);
            if (!_cookies.Verify(from, buffer, view))
            {
                SendHelloVerifyRequest(from, buffer, view, ref h, sequence);
                return;
            }
            DtlsHandshake handshake = TakeHandshake(nowMs);
            if (handshake == null)
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat("server ", from.ToString(), ": all handshakes busy, hello left for its retransmission"));
                }
                return;
            }
            DtlsSession session = existing;
            if (session != null)
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat("server ", from.ToString(), ": new ClientHello with a valid cookie replaces the session (RFC 6347 §4.2.8)"));
                }
                session.Evict();
            }
            else
            {
                session = FreeSlot();
            }
            // The slot leaves the index under its old address (if still there) and returns under the new one; Add
            // also takes over any stale entry for this address, so an address never maps to two slots.
            _index.Remove(session.Slot);
            session.Begin(handshake, from, nowMs);
            _index.Add(session.Slot);
            handshake.StartServer(buffer, ref h, sequence, nowMs);
            NoteDeadline(session);
        }

        /// <summary>
        /// A handshake from the pool. When all are busy, the oldest half-open one makes way if it has run for at least
        /// an initial retransmission timeout (a stalled or abandoned cookie exchange); a younger one is left alone and
        /// the new hello waits for its retransmission. Established sessions hold no handshake and are never asked.
        /// </summary>
        private DtlsHandshake TakeHandshake(long nowMs)
        {
            DtlsHandshake free = _ctx.Handshakes.Take();
            if (free != null)
            {
                return free;
            }
            DtlsHandshake oldest = _ctx.Handshakes.Oldest();
            if (oldest == null || nowMs - oldest.StartedAtMs < _ctx.Config.InitialRetransmitMs)
            {
                return null;
            }
            DtlsSession victim = oldest.Session;
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat("server: all handshakes busy, the oldest half-open one (", victim.Peer.ToString(), ") makes way"));
            }
            victim.Evict();
            NoteDeadline(victim);
            return _ctx.Handshakes.Take();
        }

        /// <summary>
        /// A slot for a new handshake. There is always one: at most SessionCapacity sessions are established (see
        /// <see cref="SessionConnected"/>) and at most one per pooled handshake is half-open, and a handshake was free.
        /// </summary>
        private DtlsSession FreeSlot()
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                if (!_sessions[i].IsActive)
                {
                    return _sessions[i];
                }
            }
            return null; // unreachable (see above)
        }

        /// <summary>
        /// A handshake completed. If that makes more established sessions than <see cref="DtlsConfig.SessionCapacity"/>,
        /// the least recently active other one makes way: established sessions leave only for a newer authenticated one.
        /// </summary>
        internal void SessionConnected(DtlsSession connected)
        {
            int established = 0;
            DtlsSession oldest = null;
            for (int i = 0; i < _sessions.Length; i++)
            {
                DtlsSession s = _sessions[i];
                if (s.IsConnected)
                {
                    established++;
                    if (s != connected && (oldest == null || s.LastActivityMs < oldest.LastActivityMs))
                    {
                        oldest = s;
                    }
                }
            }
            if (established > _ctx.Config.SessionCapacity && oldest != null)
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat("server: table full, evicting the least recently active session ", oldest.Peer.ToString()));
                }
                oldest.Evict();
                NoteDeadline(oldest);
            }
        }

        /// <summary>
        /// HelloVerifyRequest with record and message sequence numbers copied from the hello (RFC 6347 §4.2.1), never
        /// larger than the hello that asked for it.
        /// </summary>
        private void SendHelloVerifyRequest(PeerAddress to, byte[] hello, ClientHelloView view, ref RecordHeader h, int messageSequence)
        {
            const int bodyLength = 2 + 1 + CookieGenerator.CookieLength;
            const int total = RecordHeader.Length + HandshakeType.HeaderLength + bodyLength;
            if (total > RecordHeader.Length + h.FragmentLength)
            {
                return; // would amplify
            }
            byte[] dg = _ctx.Datagram;
            RecordHeader.Write(dg, 0, ContentType.Handshake, ProtocolVersion.Dtls10, 0, h.Sequence, HandshakeType.HeaderLength + bodyLength);
            int p = RecordHeader.Length;
            dg[p] = HandshakeType.HelloVerifyRequest;
            WireWriter.WriteUInt24At(dg, p + 1, bodyLength);
            WireWriter.WriteUInt16At(dg, p + 4, messageSequence);
            WireWriter.WriteUInt24At(dg, p + 6, 0);
            WireWriter.WriteUInt24At(dg, p + 9, bodyLength);
            p += HandshakeType.HeaderLength;
            WireWriter.WriteUInt16At(dg, p, ProtocolVersion.Dtls10);
            dg[p + 2] = CookieGenerator.CookieLength;
            _cookies.Compute(to, hello, view, dg, p + 3);
            _helloVerifyRequestsSent++;
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat("server ", to.ToString(), ": -> HelloVerifyRequest (stateless cookie)"));
            }
            _ctx.Sink.Send(dg, 0, total, to);
        }
    }
}
