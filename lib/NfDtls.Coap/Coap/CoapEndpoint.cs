using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Net;

namespace NfDtls.Coap
{
    /// <summary>
    /// A CoAP endpoint (RFC 7252) on the sans-IO pattern: client and server in one, datagrams and time in through
    /// <see cref="Receive"/> and <see cref="Tick"/>, datagrams out through the <see cref="IDatagramSink"/>. Every
    /// table is allocated here, sized by <see cref="CoapConfig"/>; an exchange in the steady state allocates
    /// nothing, and no input makes it throw. Not thread-safe: its host calls it from one thread at a time.
    /// This file: the messaging layer (§4): dispatch, CON retransmission, ACK/RST matching, duplicate detection.
    /// </summary>
    public sealed partial class CoapEndpoint : IDatagramEndpoint
    {
        private readonly CoapConfig _config;
        private readonly IDatagramSink _sink;
        private readonly IRandom _random;
        private readonly ILog _log;
        private readonly CoapMessage _rx;
        private readonly CoapMessage _tx;
        private readonly byte[] _out;
        private readonly byte[] _rand = new byte[4];
        private readonly DedupTable _dedup;
        private readonly Transmission[] _serverSlots;
        private readonly ClientExchange[] _exchanges;
        private readonly BlockBuffers _blocks;
        private int _nextMid;
        private long _sequence;

        /// <summary>Counters for tests, the simulator and diagnostics.</summary>
        public int Retransmissions;
        public int DuplicatesReceived;
        public int RequestsExecuted;
        public int MalformedReceived;
        public int ResetsSent;
        /// <summary>Duplicate CONs whose reply was no longer cached (non-idempotent: left unanswered).</summary>
        public int RepliesLost;

        /// <summary>Duplicate-detection entries reused before their EXCHANGE_LIFETIME ended (table too small for the rate).</summary>
        public int DedupEvictions { get { return _dedup.Evictions; } }

        /// <summary>Block1 uploads dropped unfinished to make room for a newer one (stalled, or the peer's own older one).</summary>
        public int UploadsReplaced { get { return _blocks.Replaced; } }

        public CoapEndpoint(CoapConfig config, IDatagramSink sink)
        {
            _config = config;
            _sink = sink;
            _random = config.Random != null ? config.Random : new XorShiftRandom(config.Seed);
            _log = config.Log != null ? config.Log : NullLog.Instance;
            _rx = new CoapMessage(config.MaxOptions, config.OptionBytes);
            _tx = new CoapMessage(config.MaxOptions, config.OptionBytes);
            _out = new byte[config.MaxMessageSize];
            _dedup = new DedupTable(config.DedupCapacity, config.EffectiveResponseCacheBytes());
            _serverSlots = new Transmission[config.ServerTransmitCapacity];
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                _serverSlots[i] = new Transmission(config.MaxMessageSize);
            }
            _exchanges = new ClientExchange[config.PendingCapacity];
            for (int i = 0; i < _exchanges.Length; i++)
            {
                _exchanges[i] = new ClientExchange(config);
            }
            _blocks = new BlockBuffers(config.BlockBufferCount, config.BlockBufferSize);
            _nextMid = (int)(NextRandom() & 0xFFFF); // §4.4: start at a random ID
            InitServer();
        }

        public CoapConfig Config { get { return _config; } }

        /// <summary>A message sized for this endpoint's tables (allocate once, reuse for requests).</summary>
        public CoapMessage CreateMessage()
        {
            return new CoapMessage(_config.MaxOptions, _config.OptionBytes);
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

        /// <summary>§4.2: the first timeout is random in [ACK_TIMEOUT, ACK_TIMEOUT × ACK_RANDOM_FACTOR].</summary>
        private int InitialTimeout()
        {
            int spread = _config.AckTimeoutMs * (_config.AckRandomFactorPercent - 100) / 100;
            if (spread <= 0)
            {
                return _config.AckTimeoutMs;
            }
            return _config.AckTimeoutMs + (int)(NextRandom() % (uint)(spread + 1));
        }

        private void StartTransmission(Transmission t, long nowMs)
        {
            t.Active = true;
            t.Retransmits = 0;
            t.TimeoutMs = InitialTimeout();
            t.Deadline = nowMs + t.TimeoutMs;
            _sink.Send(t.Datagram, 0, t.Length, t.Peer);
        }

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
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
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, -1);
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

        private void OnConOrNon(PeerAddress from, long nowMs)
        {
            bool con = _rx.Type == CoapType.Confirmable;
            if (_rx.Code == CoapCode.Empty)
            {
                // §4.3: an empty CON is a "ping", answered by a Reset; an empty NON is ignored.
                if (con)
                {
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, -1);
                }
                return;
            }
            // §4.5: duplicates within EXCHANGE_LIFETIME (NON_LIFETIME) are not processed again.
            int entry = _dedup.Find(from, _rx.MessageId, nowMs);
            if (entry >= 0)
            {
                int length = con ? _dedup.CopyReply(entry, _out) : -1;
                if (length >= 0)
                {
                    DuplicatesReceived++;
                    _sink.Send(_out, 0, length, from);
                    return;
                }
                // §4.5: the reply is no longer kept. An idempotent request (GET, PUT, DELETE) may simply be
                // processed again; anything else is left unanswered rather than executed twice.
                if (!con || !CoapCode.IsRequest(_rx.Code) || _rx.Code == CoapCode.Post || _rx.Code > CoapCode.Delete)
                {
                    DuplicatesReceived++;
                    RepliesLost += con ? 1 : 0;
                    return;
                }
            }
            entry = entry >= 0 ? entry : _dedup.Add(from, _rx.MessageId, nowMs + (con ? _config.EffectiveExchangeLifetimeMs() : _config.EffectiveNonLifetimeMs()), nowMs);
            if (CoapCode.IsRequest(_rx.Code))
            {
                OnRequest(from, entry, nowMs);
            }
            else if (HasUnknownCriticalOption())
            {
                MalformedReceived++;
                if (con)
                {
                    SendEmpty(CoapType.Reset, _rx.MessageId, from, entry); // §5.4.1
                }
            }
            else
            {
                OnResponse(from, entry, nowMs);
            }
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
                Transmission t = ex.Transmit;
                if (t.Active && t.MessageId == mid && t.Peer.SameAs(from))
                {
                    t.Stop();
                    if (_rx.Code == CoapCode.Empty)
                    {
                        // §5.2.2: the response comes separately.
                        if (ex.State == ClientExchange.Sending)
                        {
                            ex.State = ClientExchange.Waiting;
                            ex.ResponseDeadline = nowMs + _config.ResponseTimeoutMs;
                        }
                    }
                    else if (_rx.TokenLength == ex.TokenLength && _rx.TokenEquals(ex.Token, ex.TokenLength))
                    {
                        HandleResponse(i, nowMs); // piggybacked (§5.2.1)
                    }
                    return;
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                Transmission t = _serverSlots[i];
                if (t.Active && t.MessageId == mid && t.Peer.SameAs(from))
                {
                    t.Stop();
                    if (t.Owner == Transmission.OwnerNotification)
                    {
                        ReleaseObserverSlot(t.OwnerIndex, i);
                    }
                    t.Owner = Transmission.OwnerNone;
                    return;
                }
            }
        }

        private void OnReset(PeerAddress from, long nowMs)
        {
            int mid = _rx.MessageId;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                Transmission t = _exchanges[i].Transmit;
                if (t.Active && t.MessageId == mid && t.Peer.SameAs(from))
                {
                    t.Stop();
                    Fail(i, CoapFailure.Reset, nowMs);
                    return;
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                Transmission t = _serverSlots[i];
                if (t.Active && t.MessageId == mid && t.Peer.SameAs(from))
                {
                    t.Stop();
                    if (t.Owner == Transmission.OwnerNotification)
                    {
                        RemoveObserver(t.OwnerIndex); // RFC 7641 §3.6: a Reset to a notification deregisters
                    }
                    t.Owner = Transmission.OwnerNone;
                    return;
                }
            }
            ResetToNonNotification(from, mid);
        }

        /// <summary>Sends an empty ACK or RST; remembers it for duplicates when <paramref name="dedupEntry"/> ≥ 0.</summary>
        private void SendEmpty(int type, int messageId, PeerAddress to, int dedupEntry)
        {
            int n = CoapCodec.EncodeEmpty(type, messageId, _out, 0);
            if (type == CoapType.Reset)
            {
                ResetsSent++;
            }
            _sink.Send(_out, 0, n, to);
            _dedup.StoreReply(dedupEntry, _out, 0, n);
        }

        public void Tick(long nowMs)
        {
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                Transmission t = ex.Transmit;
                if (t.Active && t.Deadline <= nowMs)
                {
                    if (Retransmit(t, nowMs))
                    {
                        continue;
                    }
                    Fail(i, CoapFailure.Timeout, nowMs);
                }
                else if (!t.Active && ex.Outstanding && ex.ResponseDeadline <= nowMs)
                {
                    Fail(i, CoapFailure.Timeout, nowMs);
                }
            }
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                Transmission t = _serverSlots[i];
                if (t.Active && t.Deadline <= nowMs && !Retransmit(t, nowMs))
                {
                    if (t.Owner == Transmission.OwnerNotification)
                    {
                        RemoveObserver(t.OwnerIndex); // RFC 7641 §4.5: an unacknowledged CON notification ends it
                    }
                    t.Owner = Transmission.OwnerNone;
                }
            }
            StartQueued(nowMs);
        }

        /// <summary>§4.2: resend with the timeout doubled until MAX_RETRANSMIT; false (and stopped) when exhausted.</summary>
        private bool Retransmit(Transmission t, long nowMs)
        {
            if (t.Retransmits >= _config.MaxRetransmit)
            {
                t.Stop();
                return false;
            }
            t.Retransmits++;
            t.TimeoutMs *= 2;
            t.Deadline = nowMs + t.TimeoutMs;
            Retransmissions++;
            _sink.Send(t.Datagram, 0, t.Length, t.Peer);
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
                    if (ex.Transmit.Active && ex.Transmit.Deadline < next)
                    {
                        next = ex.Transmit.Deadline;
                    }
                    else if (!ex.Transmit.Active && ex.Outstanding && ex.ResponseDeadline < next)
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
