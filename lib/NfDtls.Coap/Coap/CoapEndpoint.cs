using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Coap
{
    /// <summary>
    /// A CoAP endpoint (RFC 7252) on the sans-IO pattern: client and server in one. It talks only to an
    /// <see cref="IMessageConnector"/> — plain UDP (<see cref="Transport.UdpConnector"/>) or DTLS — and is its
    /// <see cref="IMessageReceiver"/>: a message is parsed where the connector received it (a datagram, or a DTLS
    /// record's plaintext where it was decrypted), and every message it sends is written straight into the space the
    /// connector lends (where the record will be sealed). Time comes in through <see cref="OnMessage"/> and
    /// <see cref="Tick"/>. Every table is allocated here, sized by <see cref="CoapConfig"/>; an exchange in the steady
    /// state allocates nothing, and no input makes it throw. Not thread-safe: its host calls it from one thread at a time.
    /// This file: the messaging layer (§4): dispatch, CON retransmission, ACK/RST matching, duplicate detection.
    /// </summary>
    public sealed partial class CoapEndpoint : IMessageReceiver
    {
        private readonly IMessageConnector _connector;
        // What the endpoint reads of its CoapConfig after construction (the configuration object itself is not kept:
        // on a board its 30 fields would cost 360 bytes).
        private readonly int _ackTimeoutMs;
        private readonly int _ackSpreadMs;
        private readonly int _maxRetransmit;
        private readonly int _nStart;
        private readonly long _exchangeLifetimeMs;
        private readonly long _nonLifetimeMs;
        private readonly long _responseTimeoutMs;
        private readonly long _uploadStallMs;
        private readonly int _tokenLength;
        private readonly int _blockSize;
        private readonly int _observeConEvery;
        private readonly long _observeConMaxIntervalMs;
        private readonly bool _serveDiscovery;
        private readonly int _maxMessageSize;
        private readonly int _maxOptions;
        private readonly int _optionBytes;
        private readonly IRandom _random;
        private readonly ILog _log;
        private readonly CoapMessage _rx;
        private readonly byte[] _rand = new byte[4];
        private readonly DedupTable _dedup;
        // Rows: client exchanges first, then observers, deferred replies (see the *Row methods).
        private readonly PeerTable _peers;
        private readonly PeerAddress _peer = new PeerAddress();
        private readonly ServerSlot[] _serverSlots;
        /// <summary>Separate CON responses kept for retransmission, MaxMessageSize per deferred exchange.</summary>
        private readonly byte[] _deferredCopies;
        private readonly ClientExchange[] _exchanges;
        private readonly BlockBuffers _blocks;
        private int _nextMid;
        private int _sequence;

        /// <summary>Counters for tests, the simulator and diagnostics.</summary>
        public int Retransmissions;
        public int DuplicatesReceived;
        public int RequestsExecuted;
        public int MalformedReceived;
        public int ResetsSent;
        /// <summary>Duplicate CONs whose reply was no longer cached (non-idempotent: left unanswered).</summary>
        public int RepliesLost;
        /// <summary>Messages the connector had no channel for (no session yet) or that did not fit its space.</summary>
        public int SendFailures;

        /// <summary>Duplicate-detection entries reused before their EXCHANGE_LIFETIME ended (table too small for the rate).</summary>
        public int DedupEvictions { get { return _dedup.Evictions; } }

        /// <summary>Block1 uploads dropped unfinished to make room for a newer one (stalled, or the peer's own older one).</summary>
        public int UploadsReplaced { get { return _blocks.Replaced; } }

        /// <param name="config">Table sizes and transmission parameters.</param>
        /// <param name="connector">What carries the messages; make this endpoint its receiver.</param>
        public CoapEndpoint(CoapConfig config, IMessageConnector connector)
        {
            if (config == null || connector == null)
            {
                throw new System.ArgumentNullException("connector");
            }
            _connector = connector;
            _ackTimeoutMs = config.AckTimeoutMs;
            _ackSpreadMs = config.AckTimeoutMs * (config.AckRandomFactorPercent - 100) / 100;
            _maxRetransmit = config.MaxRetransmit;
            _nStart = config.NStart;
            _exchangeLifetimeMs = config.EffectiveExchangeLifetimeMs();
            _nonLifetimeMs = config.EffectiveNonLifetimeMs();
            _responseTimeoutMs = config.ResponseTimeoutMs;
            _uploadStallMs = config.UploadStallMs();
            _tokenLength = config.TokenLength;
            _blockSize = config.BlockSize;
            _observeConEvery = config.ObserveConEvery;
            _observeConMaxIntervalMs = config.ObserveConMaxIntervalMs;
            _serveDiscovery = config.ServeDiscovery;
            _maxMessageSize = config.MaxMessageSize;
            _maxOptions = config.MaxOptions;
            _optionBytes = config.OptionBytes;
            _random = config.Random != null ? config.Random : new XorShiftRandom(config.Seed);
            _log = config.Log != null ? config.Log : NullLog.Instance;
            // Decoded in place: the own option storage only takes an Observe value put back on a reassembled body.
            _rx = new CoapMessage(config.MaxOptions, 8);
            _dedup = new DedupTable(config.DedupCapacity, config.EffectiveResponseCacheBytes());
            _serverSlots = new ServerSlot[config.ServerTransmitCapacity];
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                _serverSlots[i] = new ServerSlot();
            }
            _deferredCopies = new byte[config.DeferredCapacity * config.MaxMessageSize];
            _exchanges = new ClientExchange[config.PendingCapacity];
            for (int i = 0; i < _exchanges.Length; i++)
            {
                _exchanges[i] = new ClientExchange(config);
            }
            _peers = new PeerTable(config.PendingCapacity + config.ObserverCapacity + config.DeferredCapacity);
            _blocks = new BlockBuffers(config.BlockBufferCount, config.BlockBufferSize);
            _nextMid = (int)(NextRandom() & 0xFFFF); // §4.4: start at a random ID
            InitServer(config);
        }

        /// <summary>A message sized for this endpoint's tables (allocate once, reuse for requests).</summary>
        public CoapMessage CreateMessage()
        {
            return new CoapMessage(_maxOptions, _optionBytes);
        }

        private uint NextRandom()
        {
            _random.GetBytes(_rand, 0, 4);
            return ((uint)_rand[0] << 24) | ((uint)_rand[1] << 16) | ((uint)_rand[2] << 8) | _rand[3];
        }

        private int NextMessageId()
        {
            _nextMid = (_nextMid + 1) & 0xFFFF;
            return _nextMid;
        }

        // Peer table rows: exchanges, then observers, deferred replies (a server slot uses its owner's row).
        private int ObserverRow(int observer) { return _exchanges.Length + observer; }
        private int DeferredRow(int deferred) { return _exchanges.Length + _observers.Length + deferred; }

        /// <summary>Borrows the connector's space for one message to <paramref name="to"/>; counts a refusal.</summary>
        private bool Lend(PeerAddress to, out WireWriter w)
        {
            byte[] buffer;
            int offset;
            int capacity;
            if (!_connector.BeginSend(to, out buffer, out offset, out capacity))
            {
                SendFailures++;
                w = new WireWriter(null, 0, 0);
                return false;
            }
            w = new WireWriter(buffer, offset, capacity);
            return true;
        }

        /// <summary>Seals and sends what was written (nothing, when writing failed: the space is given back).</summary>
        private bool Finish(ref WireWriter w, long nowMs)
        {
            int n = w.Failed ? 0 : w.Length;
            bool sent = _connector.EndSend(n, nowMs) && n > 0;
            if (!sent)
            {
                SendFailures++;
            }
            return sent;
        }

        /// <summary>§4.2: the first timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT × ACK_RANDOM_FACTOR].</summary>
        private int InitialTimeout()
        {
            if (_ackSpreadMs <= 0)
            {
                return _ackTimeoutMs;
            }
            return _ackTimeoutMs + (int)(NextRandom() % (uint)(_ackSpreadMs + 1));
        }

        private void StartTimer(Confirmable t, long nowMs)
        {
            t.Active = true;
            t.Retransmits = 0;
            t.TimeoutMs = InitialTimeout();
            t.Deadline = nowMs + t.TimeoutMs;
        }

        // ---------------------------------------------------------------- IMessageReceiver

        /// <summary>One CoAP message from <paramref name="from"/>, read where the connector holds it.</summary>
        public void OnMessage(PeerAddress from, byte[] buffer, int offset, int count, long nowMs)
        {
            int verdict = CoapCodec.Decode(buffer, offset, count, _rx);
            if (verdict == CoapCodec.Ignore)
            {
                MalformedReceived++;
                return;
            }
            if (verdict == CoapCodec.FormatError)
            {
                MalformedReceived++;
                // §4.2: a CON that cannot be processed is rejected with a Reset; §4.3: a NON may be; ACK/RST are ignored.
                if (_rx.Type == CoapType.Confirmable)
                {
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, -1, nowMs);
                }
                return;
            }
            switch (_rx.Type)
            {
                case CoapType.Acknowledgement:
                    OnAck(from, nowMs);
                    break;
                case CoapType.Reset:
                    OnReset(from, nowMs);
                    break;
                default:
                    OnConOrNon(from, nowMs);
                    break;
            }
        }

        /// <summary>
        /// The peer at <paramref name="from"/> now speaks from <paramref name="to"/> (a DTLS session moved, RFC 9146 §6):
        /// its exchanges, retransmissions, observations, deferred replies, duplicate entries and uploads follow it.
        /// </summary>
        public void OnPeerMoved(PeerAddress from, PeerAddress to)
        {
            if (from == null || to == null || from.SameAs(to))
            {
                return;
            }
            _peers.Move(from, to);
            _dedup.Move(from, to);
            _blocks.Move(from, to);
        }

        private void OnConOrNon(PeerAddress from, long nowMs)
        {
            bool con = _rx.Type == CoapType.Confirmable;
            if (_rx.Code == CoapCode.Empty)
            {
                // §4.3: an empty CON is a "ping", answered by a Reset; an empty NON is ignored.
                if (con)
                {
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, -1, nowMs);
                }
                return;
            }
            // §4.5: duplicates within EXCHANGE_LIFETIME (NON_LIFETIME) are not processed again.
            int entry = _dedup.Find(from, _rx.MessageId, nowMs);
            if (entry >= 0)
            {
                int kind = con ? _dedup.ReplyKind(entry) : DedupTable.ReplyNone;
                if (kind != DedupTable.ReplyNone)
                {
                    DuplicatesReceived++;
                    ReplyAgain(from, entry, kind, nowMs);
                    return;
                }
                // §4.5: nothing kept. An idempotent request (GET, PUT, DELETE) is simply processed again; anything else
                // (a NON, a non-idempotent request whose reply was overwritten) is left unanswered, never run twice.
                if (!con || MustKeepReply(_rx))
                {
                    DuplicatesReceived++;
                    RepliesLost += con ? 1 : 0;
                    return;
                }
            }
            entry = entry >= 0 ? entry : _dedup.Add(from, _rx.MessageId, nowMs + (con ? _exchangeLifetimeMs : _nonLifetimeMs), nowMs);
            if (CoapCode.IsRequest(_rx.Code))
            {
                OnRequest(from, entry, nowMs);
            }
            else if (HasUnknownCriticalOption())
            {
                MalformedReceived++;
                if (con)
                {
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, entry, nowMs); // §5.4.1
                }
            }
            else
            {
                OnResponse(from, entry, nowMs);
            }
        }

        /// <summary>
        /// True for a request that must not run again (§4.5), whose reply is therefore kept for its duplicates: a POST or
        /// any method past DELETE, and a Block1 block (a repeated block would find the upload moved on).
        /// </summary>
        private static bool MustKeepReply(CoapMessage m)
        {
            return !CoapCode.IsRequest(m.Code) || m.Code == CoapCode.Post || m.Code > CoapCode.Delete || m.HasOption(CoapOption.Block1);
        }

        /// <summary>A duplicate CON gets the same reply again (§4.5): the empty ACK or RST, or the kept response with its header and token written anew.</summary>
        private void ReplyAgain(PeerAddress to, int entry, int kind, long nowMs)
        {
            WireWriter w;
            if (!Lend(to, out w))
            {
                return;
            }
            if (kind == DedupTable.ReplyResponse)
            {
                // The header and token of a piggybacked response are the request's: the duplicate carries them.
                int head = w.Reserve(CoapCodec.HeaderLength);
                w.WriteBytes(_rx.Token, 0, _rx.TokenLength);
                int at = w.Reserve(_dedup.ResponseLength(entry));
                if (head >= 0 && at >= 0)
                {
                    int code = _dedup.CopyResponse(entry, w.Buffer, at);
                    w.Buffer[head] = (byte)(0x40 | (CoapType.Acknowledgement << 4) | _rx.TokenLength);
                    w.Buffer[head + 1] = (byte)code;
                    w.Buffer[head + 2] = (byte)(_rx.MessageId >> 8);
                    w.Buffer[head + 3] = (byte)_rx.MessageId;
                }
            }
            else
            {
                int at = w.Reserve(CoapCodec.HeaderLength);
                if (at >= 0)
                {
                    CoapCodec.EncodeEmpty(kind == DedupTable.ReplyReset ? CoapType.Reset : CoapType.Acknowledgement, _rx.MessageId, w.Buffer, at);
                }
            }
            Finish(ref w, nowMs);
        }

        /// <summary>§5.4.1: a response carrying an unrecognised critical option is rejected.</summary>
        private bool HasUnknownCriticalOption()
        {
            for (int i = 0; i < _rx.OptionCount; i++)
            {
                int number = _rx.OptionNumber(i);
                if (CoapOption.IsCritical(number) && !CoapOption.IsRecognised(number, _rx.OptionLength(i)))
                {
                    return true;
                }
            }
            return false;
        }

        private void OnAck(PeerAddress from, long nowMs)
        {
            int mid = _rx.MessageId;
            if (_rx.Code != CoapCode.Empty && HasUnknownCriticalOption())
            {
                MalformedReceived++;
                return; // a rejected piggybacked response: the request is retransmitted as if it were lost
            }
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                if (ex.Active && ex.MessageId == mid && _peers.SamePeer(i, from))
                {
                    ex.Stop();
                    if (_rx.Code == CoapCode.Empty)
                    {
                        // §5.2.2: the response comes separately.
                        if (ex.State == ClientExchange.Sending)
                        {
                            ex.State = ClientExchange.Waiting;
                            ex.ResponseDeadline = nowMs + _responseTimeoutMs;
                        }
                    }
                    else if (_rx.TokenEquals(ex.Request.Token, ex.Request.TokenLength))
                    {
                        HandleResponse(i, nowMs); // piggybacked (§5.2.1)
                    }
                    return;
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                ServerSlot t = _serverSlots[i];
                if (t.Active && t.MessageId == mid && _peers.SamePeer(SlotRow(i), from))
                {
                    EndSlot(i, false);
                    return;
                }
            }
        }

        private void OnReset(PeerAddress from, long nowMs)
        {
            int mid = _rx.MessageId;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                if (ex.Active && ex.MessageId == mid && _peers.SamePeer(i, from))
                {
                    ex.Stop();
                    Fail(i, CoapFailure.Reset, nowMs);
                    return;
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                ServerSlot t = _serverSlots[i];
                if (t.Active && t.MessageId == mid && _peers.SamePeer(SlotRow(i), from))
                {
                    EndSlot(i, true); // RFC 7641 §3.6: a Reset to a notification deregisters
                    return;
                }
            }
            ResetToNonNotification(from, mid);
        }

        /// <summary>Sends an empty ACK or RST; remembers it for duplicates when <paramref name="dedupEntry"/> ≥ 0.</summary>
        private void SendEmpty(int type, int messageId, PeerAddress to, int dedupEntry, long nowMs)
        {
            WireWriter w;
            if (!Lend(to, out w))
            {
                return;
            }
            int at = w.Reserve(CoapCodec.HeaderLength);
            if (at >= 0)
            {
                CoapCodec.EncodeEmpty(type, messageId, w.Buffer, at);
                _dedup.StoreEmpty(dedupEntry, type == CoapType.Reset);
            }
            if (type == CoapType.Reset)
            {
                ResetsSent++;
            }
            Finish(ref w, nowMs);
        }

        public void Tick(long nowMs)
        {
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                if (ex.Active && ex.Deadline <= nowMs)
                {
                    if (Backoff(ex, nowMs))
                    {
                        WriteStep(i, nowMs);
                        continue;
                    }
                    Fail(i, CoapFailure.Timeout, nowMs);
                }
                else if (!ex.Active && ex.Outstanding && ex.ResponseDeadline <= nowMs)
                {
                    Fail(i, CoapFailure.Timeout, nowMs);
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                ServerSlot t = _serverSlots[i];
                if (t.Active && t.Deadline <= nowMs)
                {
                    if (Backoff(t, nowMs))
                    {
                        ResendSlot(i, nowMs);
                        continue;
                    }
                    EndSlot(i, true); // RFC 7641 §4.5: an unacknowledged CON notification ends it
                }
            }
            StartQueued(nowMs);
        }

        /// <summary>§4.2: the timeout doubles until MAX_RETRANSMIT; false (and stopped) when exhausted.</summary>
        private bool Backoff(Confirmable t, long nowMs)
        {
            if (t.Retransmits >= _maxRetransmit)
            {
                t.Stop();
                return false;
            }
            t.Retransmits++;
            t.TimeoutMs *= 2;
            t.Deadline = nowMs + t.TimeoutMs;
            Retransmissions++;
            return true;
        }

        public long NextDeadline
        {
            get
            {
                long next = long.MaxValue;
                for (int i = 0; i < _exchanges.Length; i++)
                {
                    ClientExchange ex = _exchanges[i];
                    if (ex.Active && ex.Deadline < next)
                    {
                        next = ex.Deadline;
                    }
                    else if (!ex.Active && ex.Outstanding && ex.ResponseDeadline < next)
                    {
                        next = ex.ResponseDeadline;
                    }
                }
                for (int i = 0; i < _serverSlots.Length; i++)
                {
                    if (_serverSlots[i].Active && _serverSlots[i].Deadline < next)
                    {
                        next = _serverSlots[i].Deadline;
                    }
                }
                return next;
            }
        }
    }
}
