using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.Record;
using NfDtls.Net;
using AlertCode = NfDtls.Dtls.Handshake.AlertDescription;

namespace NfDtls.Dtls
{
    /// <summary>
    /// One DTLS 1.2 association with one peer, holding only what its records need (RFC 6347 §4.1): the peer's address,
    /// the epoch-1 keys, sequence numbers and replay window, the CIDs, the PSK identity, and what regenerating our final
    /// flight takes. Everything only a handshake needs (reassembly, our last flight, transcript, key exchange) is a
    /// <see cref="DtlsHandshake"/> borrowed from the engine's pool for the length of the handshake.
    /// Records in and out: <see cref="RecordLayer"/>; the handshake: <see cref="DtlsHandshake"/>.
    /// Sessions are created once by their engine and reused; nothing here allocates after construction.
    /// </summary>
    public sealed class DtlsSession
    {
        // _flags: state (3 bits), failure (4 bits), then single bits
        private const int StateMask = 0x7;
        private const int FailureShift = 3;
        private const int FailureMask = 0xF << FailureShift;
        internal const int FlagClient = 1 << 7;
        internal const int FlagCid = 1 << 8;
        internal const int FlagExtendedMasterSecret = 1 << 9;
        /// <summary>Our records go out in epoch 1 (our ChangeCipherSpec was sent).</summary>
        internal const int FlagWriteEpoch1 = 1 << 10;
        /// <summary>The peer's epoch-1 records are read (its ChangeCipherSpec arrived in its place, RFC 5246 §7.1).</summary>
        internal const int FlagReadEpoch1 = 1 << 11;
        internal const int FlagHasKeys = 1 << 12;
        /// <summary>Diagnosis: the handshake stood waiting for the peer's Finished after our key exchange.</summary>
        internal const int FlagAwaitedPeerFinished = 1 << 13;
        /// <summary>Diagnosis: after our Finished, the peer repeated its previous flight (it did not accept ours).</summary>
        internal const int FlagPeerRepeatedAfterFinished = 1 << 14;
        /// <summary>Diagnosis: protected handshake records from the peer failed authentication (dropped, RFC 6347 §4.1.2.7).</summary>
        internal const int FlagAuthenticationFailed = 1 << 15;
        /// <summary>The session was resumed: an abbreviated handshake (RFC 5246 §7.3), whose final flight is the client's.</summary>
        internal const int FlagResumed = 1 << 16;
        /// <summary>Server: the final flight of this full handshake carries a NewSessionTicket (RFC 5077 §3.3), kept in the record state.</summary>
        internal const int FlagTicketInFinalFlight = 1 << 17;

        private readonly DtlsContext _ctx;
        private readonly PeerAddress _peer = new PeerAddress();
        private int _flags;
        private int _suiteAndAlert;
        private long _lastActivityMs;
        private int _counters;
        private DtlsHandshake _handshake;

        /// <summary>Keys, IVs, identity, CIDs, final-flight data (<see cref="SessionLayout"/>).</summary>
        internal readonly byte[] RecordState;
        /// <summary>Next epoch-1 record sequence number (RFC 6347 §4.1).</summary>
        internal long WriteSequence;
        /// <summary>Epoch-1 replay window (RFC 6347 §4.1.2.6): highest authenticated sequence number and the bits below it.</summary>
        internal long ReadHighest = -1;
        internal ulong ReadWindow;

        /// <summary>Free for the application (e.g. a CoAP layer's per-peer state).</summary>
        public object Tag;

        /// <summary>This session's position in its server's table (set once by <see cref="DtlsServer"/>; 0 on a client).</summary>
        internal int Slot;

        internal DtlsSession(DtlsContext context, bool isClient)
        {
            _ctx = context;
            RecordState = new byte[SessionLayout.Length(context.Config, isClient)];
            _flags = isClient ? FlagClient : 0;
        }

        // ---------------------------------------------------------------- public surface

        public PeerAddress Peer { get { return _peer; } }

        public DtlsSessionState State { get { return (DtlsSessionState)(_flags & StateMask); } }

        public bool IsClient { get { return (_flags & FlagClient) != 0; } }

        public bool IsConnected { get { return (_flags & StateMask) == (int)DtlsSessionState.Connected; } }

        /// <summary>True while handshaking or connected.</summary>
        public bool IsActive
        {
            get
            {
                int s = _flags & StateMask;
                return s == (int)DtlsSessionState.Handshaking || s == (int)DtlsSessionState.Connected;
            }
        }

        /// <summary>Why the session ended (None while it lives or after a clean close).</summary>
        public DtlsFailure Failure { get { return (DtlsFailure)((_flags & FailureMask) >> FailureShift); } }

        /// <summary>The alert sent or received that ended the session, -1 when none.</summary>
        public int AlertDescription { get { return (_suiteAndAlert >> 16) - 1; } }

        /// <summary>The negotiated suite (0 before ServerHello).</summary>
        public int CipherSuite { get { return _suiteAndAlert & 0xFFFF; } }

        public bool UsesExtendedMasterSecret { get { return (_flags & FlagExtendedMasterSecret) != 0; } }

        /// <summary>True when this session was resumed with an abbreviated handshake (RFC 5246 §7.3) rather than a full one.</summary>
        public bool WasResumed { get { return (_flags & FlagResumed) != 0; } }

        /// <summary>Time of the last authenticated record from the peer (or of the session's start).</summary>
        public long LastActivityMs { get { return _lastActivityMs; } }

        /// <summary>When this session wants Tick (retransmission); <see cref="long.MaxValue"/> for never.</summary>
        public long NextDeadline { get { return _handshake != null ? _handshake.Timer.Deadline : long.MaxValue; } }

        /// <summary>Flights sent, retransmissions included (for tests and statistics).</summary>
        public int FlightsSent { get { return _counters & 0xFFFF; } }

        public int Retransmissions { get { return (_counters >> 16) & 0xFFFF; } }

        /// <summary>The handshake in progress (borrowed from the engine's pool), null once connected or ended.</summary>
        internal DtlsHandshake Handshake { get { return _handshake; } }

        /// <summary>
        /// True when the handshake stopped (or stands) after our key exchange, waiting for the peer's Finished: the peer
        /// answered every earlier flight. On its own this does not say why (a lost datagram does the same); see
        /// <see cref="LikelyWrongPsk"/>.
        /// </summary>
        public bool WaitingForPeerFinished { get { return (_flags & FlagAwaitedPeerFinished) != 0 && !IsConnected; } }

        /// <summary>
        /// The way a PSK mismatch ends a handshake: a PSK suite, no Finished from the peer, and either protected records
        /// from the peer that did not authenticate (a peer like us), or a peer that kept repeating its previous flight
        /// after our Finished (OpenSSL and GnuTLS drop a Finished they cannot authenticate, RFC 6347 §4.1.2.7, and wait).
        /// False for certificate suites and when the peer simply went quiet. A diagnosis, not a proof.
        /// </summary>
        public bool LikelyWrongPsk
        {
            get
            {
                return CipherSuite == Dtls.CipherSuite.TlsPskWithAes128Ccm8 && WaitingForPeerFinished
                    && (_flags & (FlagAuthenticationFailed | FlagPeerRepeatedAfterFinished)) != 0;
            }
        }

        /// <summary>
        /// After our Finished the peer kept repeating its previous flight and never sent its own: it is alive and hears
        /// us, but did not accept our flight (a wrong PSK, a refused certificate, or — rarely — our datagrams lost).
        /// </summary>
        public bool PeerRepeatedItsFlightAfterOurFinished
        {
            get { return (_flags & FlagPeerRepeatedAfterFinished) != 0 && WaitingForPeerFinished; }
        }

        /// <summary>What the handshake waits for (diagnostics; constant strings, no allocation).</summary>
        public string HandshakeStep
        {
            get
            {
                if (_handshake != null)
                {
                    return _handshake.Step;
                }
                switch (State)
                {
                    case DtlsSessionState.Idle: return "idle";
                    case DtlsSessionState.Connected: return "done";
                    default: return WaitingForPeerFinished ? (IsClient ? "waiting for the server's Finished" : "waiting for the client's Finished") : "ended";
                }
            }
        }

        /// <summary>True when the connection_id extension was negotiated (RFC 9146), in either direction.</summary>
        public bool UsesConnectionId { get { return (_flags & FlagCid) != 0; } }

        /// <summary>Length of the CID the peer puts in its records to us (0: none).</summary>
        public int OwnConnectionIdLength { get { return UsesConnectionId ? RecordState[CidArea] : 0; } }

        /// <summary>Length of the CID we put in our records to the peer (0: none).</summary>
        public int PeerConnectionIdLength { get { return UsesConnectionId ? RecordState[CidArea + 1 + RecordProtection.MaxCidLength] : 0; } }

        public int PskIdentityLength { get { return (RecordState[SessionLayout.IdentityLength] << 8) | RecordState[SessionLayout.IdentityLength + 1]; } }

        /// <summary>The PSK identity in use (the client's own, or what the client presented to the server), as a new array (allocates).</summary>
        public byte[] PskIdentity
        {
            get
            {
                byte[] copy = new byte[PskIdentityLength];
                CopyPskIdentity(copy, 0);
                return copy;
            }
        }

        /// <summary>Copies the PSK identity (<see cref="PskIdentityLength"/> bytes) to <paramref name="destination"/>.</summary>
        public void CopyPskIdentity(byte[] destination, int offset)
        {
            System.Array.Copy(RecordState, SessionLayout.Identity, destination, offset, PskIdentityLength);
        }

        /// <summary>PSK identity as text (diagnostics; allocates).</summary>
        public string PskIdentityText()
        {
            int n = PskIdentityLength;
            char[] c = new char[n];
            for (int i = 0; i < n; i++)
            {
                byte b = RecordState[SessionLayout.Identity + i];
                c[i] = b >= 32 && b < 127 ? (char)b : '?';
            }
            return new string(c);
        }

        /// <summary>Sends one application data record (RFC 6347 §4.1). False when not connected or too large.</summary>
        public bool SendApplicationData(byte[] buffer, int offset, int count, long nowMs)
        {
            if (!IsConnected || buffer == null || offset < 0 || count < 0
                || offset + count > buffer.Length || count > _ctx.Config.MaxRecordPlaintext)
            {
                return false;
            }
            return _ctx.Records.Send(this, ContentType.ApplicationData, buffer, offset, count);
        }

        /// <summary>Sends close_notify (RFC 5246 §7.2.1) and ends the session.</summary>
        public void Close(long nowMs)
        {
            if (!IsActive)
            {
                return;
            }
            SendAlert(AlertCode.LevelWarning, AlertCode.CloseNotify);
            End(DtlsSessionState.Closed, DtlsFailure.None, -1);
        }

        /// <summary>Retransmits on timeout (RFC 6347 §4.2.4.1); gives up after the configured number of tries.</summary>
        public void Tick(long nowMs)
        {
            if (_handshake != null && IsActive)
            {
                _handshake.Tick(nowMs);
            }
        }

        // ---------------------------------------------------------------- engine side

        internal DtlsContext Context { get { return _ctx; } }

        internal int Flags { get { return _flags; } }

        internal void SetFlag(int flag, bool on)
        {
            _flags = on ? _flags | flag : _flags & ~flag;
        }

        internal int CidArea { get { return SessionLayout.CidArea(_ctx.Config); } }

        internal void SetCipherSuite(int suite)
        {
            _suiteAndAlert = (_suiteAndAlert & ~0xFFFF) | (suite & 0xFFFF);
        }

        internal void CountFlight(bool retransmission)
        {
            int sent = _counters & 0xFFFF;
            int again = (_counters >> 16) & 0xFFFF;
            if (sent < 0xFFFF)
            {
                sent++;
            }
            if (retransmission && again < 0xFFFF)
            {
                again++;
            }
            _counters = sent | (again << 16);
        }

        /// <summary>Key exchanges record the identity here; false when it is longer than configured.</summary>
        internal bool SetPskIdentity(byte[] buffer, int offset, int count)
        {
            if (count < 0 || count > _ctx.Config.MaxPskIdentityLength)
            {
                return false;
            }
            System.Array.Copy(buffer, offset, RecordState, SessionLayout.Identity, count);
            RecordState[SessionLayout.IdentityLength] = (byte)(count >> 8);
            RecordState[SessionLayout.IdentityLength + 1] = (byte)count;
            return true;
        }

        /// <summary>True when this live session expects records carrying exactly this CID (server lookup by CID).</summary>
        internal bool HasOwnConnectionId(byte[] buffer, int offset, int length)
        {
            if (!IsActive || !UsesConnectionId || length == 0)
            {
                return false;
            }
            int at = CidArea;
            if (RecordState[at] != length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer[offset + i] != RecordState[at + 1 + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Server: true when this hello is (a copy of) the one this association started from, by its client random: a
        /// retransmission or a delayed duplicate, not a new connection (RFC 6347 §4.2.8).
        /// </summary>
        internal bool IsSameClientHello(byte[] buffer, int randomOffset)
        {
            if (!IsActive || IsClient)
            {
                return false;
            }
            for (int i = 0; i < SessionLayout.ClientRandomTagLength; i++)
            {
                if (buffer[randomOffset + i] != RecordState[SessionLayout.ClientRandomTag + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The server dropped this session to make room for another.</summary>
        internal void Evict()
        {
            if (IsActive)
            {
                End(DtlsSessionState.Failed, DtlsFailure.Evicted, -1);
            }
        }

        /// <summary>Takes a pooled handshake and starts over: everything of an earlier association is wiped.</summary>
        internal void Begin(DtlsHandshake handshake, PeerAddress peer, long nowMs)
        {
            if (_handshake != null && _handshake != handshake)
            {
                ReleaseHandshake();
            }
            _ctx.Records.Forget(this);
            System.Array.Clear(RecordState, 0, RecordState.Length);
            _flags = (_flags & FlagClient) | (int)DtlsSessionState.Handshaking;
            _suiteAndAlert = 0;
            _counters = 0;
            _lastActivityMs = nowMs;
            WriteSequence = 0;
            ReadHighest = -1;
            ReadWindow = 0;
            Tag = null;
            _peer.CopyFrom(peer);
            _handshake = handshake;
            handshake.Attach(this, nowMs);
        }

        /// <summary>The handshake finished (Finished verified): the session is connected and gives its handshake back.</summary>
        internal void Connected()
        {
            _flags = (_flags & ~StateMask) | (int)DtlsSessionState.Connected | FlagReadEpoch1 | FlagWriteEpoch1;
            _flags &= ~(FlagAwaitedPeerFinished | FlagPeerRepeatedAfterFinished | FlagAuthenticationFailed);
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "connected, ", Dtls.CipherSuite.Name(CipherSuite),
                                             IsClient ? "" : string.Concat(", identity '", PskIdentityText(), "'"),
                                             UsesExtendedMasterSecret ? ", extended master secret" : "",
                                             WasResumed ? ", resumed" : ""));
            }
            if (_ctx.Server != null)
            {
                _ctx.Server.SessionConnected(this);
            }
            _ctx.Events.OnConnected(this);
            ReleaseHandshake();
        }

        internal void End(DtlsSessionState state, DtlsFailure failure, int alert)
        {
            _flags = (_flags & ~(StateMask | FailureMask)) | (int)state | ((int)failure << FailureShift);
            _suiteAndAlert = (_suiteAndAlert & 0xFFFF) | ((alert + 1) << 16);
            _flags &= ~(FlagHasKeys | FlagReadEpoch1 | FlagWriteEpoch1);
            _ctx.Records.Forget(this);
            System.Array.Clear(RecordState, 0, SessionLayout.WriteSequence0); // keys and IVs
            // A handshake that failed between making the premaster and the master secret leaves it in the scratch.
            System.Array.Clear(_ctx.Premaster, 0, _ctx.Premaster.Length);
            ReleaseHandshake();
            _ctx.Events.OnClosed(this);
        }

        private void ReleaseHandshake()
        {
            DtlsHandshake h = _handshake;
            if (h != null)
            {
                _handshake = null;
                _ctx.Handshakes.Return(h);
            }
        }

        internal void SendAlert(int level, int description)
        {
            byte[] a = _ctx.Scratch;
            a[0] = (byte)level;
            a[1] = (byte)description;
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "sending alert ", level == 2 ? "fatal " : "warning ", AlertCode.Name(description)));
            }
            _ctx.Records.Send(this, ContentType.Alert, a, 0, 2);
        }

        /// <summary>Ends the handshake with a fatal alert (RFC 5246 §7.2.2).</summary>
        internal void Fail(int alert, string why)
        {
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "handshake failed: ", why));
            }
            SendAlert(AlertCode.LevelFatal, alert);
            End(DtlsSessionState.Failed, DtlsFailure.LocalAlert, alert);
        }

        // ---------------------------------------------------------------- records in

        /// <summary>
        /// One record from the peer. Anything invalid is dropped silently (RFC 6347 §4.1.2.7): wrong epoch, replayed or
        /// too old (§4.1.2.6), failed authentication, or content not allowed in the current state.
        /// </summary>
        internal void ReceiveRecord(byte[] buffer, ref RecordHeader h, long nowMs, PeerAddress from)
        {
            if (!IsActive)
            {
                return;
            }
            if (h.Epoch == 0)
            {
                ReceivePlainRecord(buffer, ref h, nowMs);
            }
            else if (h.Epoch == 1)
            {
                ReceiveProtectedRecord(buffer, ref h, nowMs, from);
            }
        }

        /// <summary>
        /// Epoch 0 carries only the handshake's unauthenticated part: handshake messages, ChangeCipherSpec and alerts,
        /// all for the handshake in progress. No replay window: such a record proves nothing, so it must not be able to
        /// move anything a later genuine record depends on (issue 16, finding 4); duplicates are harmless to reassembly.
        /// </summary>
        private void ReceivePlainRecord(byte[] buffer, ref RecordHeader h, long nowMs)
        {
            DtlsHandshake hs = _handshake;
            if (hs == null)
            {
                return; // connected: a retransmission of the peer's flight shows in its protected Finished, if at all
            }
            switch (h.Type)
            {
                case ContentType.Handshake:
                    hs.ReceiveFragments(buffer, h.FragmentOffset, h.FragmentLength, 0, nowMs);
                    break;
                case ContentType.ChangeCipherSpec:
                    // RFC 5246 §7.1: one byte of value 1.
                    if (h.FragmentLength == 1 && buffer[h.FragmentOffset] == 1)
                    {
                        hs.ReceiveChangeCipherSpec(nowMs);
                    }
                    break;
                case ContentType.Alert:
                    // Before keys exist a peer has no other way to say no (a forged one can only end a handshake
                    // the forger could have disturbed anyway).
                    ReceiveAlert(buffer, h.FragmentOffset, h.FragmentLength);
                    break;
                default:
                    break; // application data in epoch 0 never counts
            }
        }

        private void ReceiveProtectedRecord(byte[] buffer, ref RecordHeader h, long nowMs, PeerAddress from)
        {
            if ((_flags & FlagReadEpoch1) == 0)
            {
                // Keys exist once the key exchange is done, but the peer's epoch 1 starts only with its ChangeCipherSpec
                // in its place (RFC 5246 §7.1, issue 16 finding 13); until then its protected records are dropped
                // (RFC 6347 §4.1: records of the next epoch may be discarded) and its retransmission brings them again.
                return;
            }
            int type;
            bool moved;
            int at;
            int n = _ctx.Records.Open(this, buffer, ref h, from, out type, out moved, out at);
            if (n < 0)
            {
                if (n == RecordLayer.NotAuthentic && _handshake != null)
                {
                    // RFC 6347 §4.1.2.7: dropped silently, or anyone who can spoof the peer's address could end the
                    // handshake (issue 16, finding 5). Noted for the diagnosis of a handshake that then times out.
                    _flags |= FlagAuthenticationFailed;
                }
                return;
            }
            _lastActivityMs = nowMs;
            if (moved)
            {
                MovePeer(from);
            }
            switch (type)
            {
                case ContentType.ApplicationData:
                    if (IsConnected)
                    {
                        _ctx.Deliver(this, buffer, at, n, nowMs);
                    }
                    break;
                case ContentType.Handshake:
                    if (_handshake != null)
                    {
                        _handshake.ReceiveFragments(buffer, at, n, 1, nowMs);
                    }
                    else
                    {
                        FlightTransmitter.ReceiveAfterHandshake(this, buffer, at, n, nowMs);
                    }
                    break;
                case ContentType.Alert:
                    ReceiveAlert(buffer, at, n);
                    break;
                default:
                    break;
            }
        }

        /// <summary>
        /// RFC 9146 §6: the peer's address changed (NAT rebinding). Called only for a record that carried our CID,
        /// authenticated, and is newer than any before it, so a replayed or forged datagram cannot redirect us.
        /// The server's address index is re-keyed (remove under the old address, add under the new one).
        /// </summary>
        private void MovePeer(PeerAddress from)
        {
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "peer moved to ", from.ToString(), " (connection ID)"));
            }
            SessionIndex index = _ctx.AddressIndex;
            if (index != null)
            {
                index.Remove(Slot);
            }
            PeerAddress old = _ctx.MovedFrom;
            old.CopyFrom(_peer);
            _peer.CopyFrom(from);
            if (index != null)
            {
                index.Add(Slot);
            }
            _ctx.PeerMoved(this, old);
        }

        private void ReceiveAlert(byte[] buffer, int offset, int count)
        {
            if (count != 2)
            {
                return;
            }
            int level = buffer[offset];
            int description = buffer[offset + 1];
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "received alert ", level == 2 ? "fatal " : "warning ", AlertCode.Name(description)));
            }
            _ctx.Events.OnAlert(this, level, description);
            if (!IsActive)
            {
                return; // the application closed us from inside OnAlert
            }
            if (description == AlertCode.CloseNotify)
            {
                // RFC 5246 §7.2.1: answer close_notify with close_notify.
                if (IsConnected)
                {
                    SendAlert(AlertCode.LevelWarning, AlertCode.CloseNotify);
                }
                End(DtlsSessionState.Closed, DtlsFailure.None, description);
            }
            else if (level == AlertCode.LevelFatal)
            {
                End(DtlsSessionState.Failed, DtlsFailure.PeerAlert, description);
            }
        }

        internal string Who()
        {
            return string.Concat(IsClient ? "client " : "server ", _peer.ToString(), ": ");
        }
    }
}
