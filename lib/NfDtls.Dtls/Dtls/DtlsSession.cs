using NfDtls.Crypto;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Dtls
{
    /// <summary>
    /// One DTLS 1.2 association with one peer: record protection, replay windows, handshake reassembly, the last
    /// flight and its timer, and the handshake state machine (client and server halves in the other parts of this
    /// class). Sessions are created once by their engine and reused; every buffer is allocated in the constructor.
    /// This file: the public surface and the record layer (RFC 6347 §4.1).
    /// </summary>
    public sealed partial class DtlsSession
    {
        // Handshake steps (what we wait for next).
        private const int StepNone = 0;
        private const int StepClientWaitServerHello = 1;
        private const int StepClientWaitServerHelloDone = 2;
        private const int StepClientWaitServerFinished = 3;
        private const int StepServerWaitClientHello = 10;
        private const int StepServerWaitClientKeyExchange = 11;
        private const int StepServerWaitClientFinished = 12;
        private const int StepServerWaitCertificateVerify = 13;
        private const int StepDone = 20;

        private readonly DtlsContext _ctx;
        private readonly bool _isClient;
        private readonly PeerAddress _peer = new PeerAddress();
        private readonly byte[] _pskIdentity;
        private readonly byte[] _clientRandom = new byte[32];
        private readonly byte[] _serverRandom = new byte[32];
        private readonly byte[] _masterSecret = new byte[48];
        private readonly ISha256 _transcript;
        private readonly HandshakeReassembler _reassembler;
        private readonly FlightBuffer _flight;
        private readonly FlightTimer _timer;
        private readonly RecordProtection _read;
        private readonly RecordProtection _write;
        private readonly ReplayWindow _window0;
        private readonly ReplayWindow _window1;
        private readonly long[] _writeSequence = new long[2];
        private readonly byte[] _cookie;
        // RFC 9146: the CID we asked to receive and the one the peer asked us to send; _cidInUse once negotiated.
        private readonly byte[] _ownCid;
        private readonly byte[] _peerCid;
        private int _ownCidLength;
        private int _peerCidLength;
        private bool _cidInUse;

        private DtlsSessionState _state;
        private DtlsFailure _failure;
        private int _alertDescription = -1;
        private int _cipherSuite;
        private int _pskIdentityLength;
        private bool _extendedMasterSecret;
        private bool _peerOfferedRenegotiationInfo;
        private bool _clientCertificateSeen;
        private DtlsKeyExchange _keyExchange;
        private int _step;
        private int _writeEpoch;
        private int _nextSendSequence;
        private int _cookieLength;
        private int _helloVerifyCount;
        private int _recordEpoch;
        private long _lastActivityMs;
        private int _flightsSent;
        private int _retransmissions;

        /// <summary>Creates a session with all its buffers (sizes from the context's configuration).</summary>
        internal DtlsSession(DtlsContext context, bool isClient)
        {
            _ctx = context;
            _isClient = isClient;
            DtlsConfig c = context.Config;
            _pskIdentity = new byte[c.MaxPskIdentityLength];
            _transcript = c.Crypto.CreateSha256();
            _reassembler = new HandshakeReassembler(c.HandshakeBufferSize);
            _flight = new FlightBuffer(c.FlightBufferSize);
            _timer = new FlightTimer(c.InitialRetransmitMs, c.MaxRetransmitMs, c.MaxRetransmissions);
            // CID state only when configured (RFC 9146 is off by default; a session without it pays nothing).
            int maxCid = c.ConnectionIdLength != 0 ? RecordProtection.MaxCidLength : 0;
            _ownCid = new byte[maxCid];
            _peerCid = new byte[maxCid];
            _read = new RecordProtection(c.Crypto, maxCid);
            _write = new RecordProtection(c.Crypto, maxCid);
            _window0 = new ReplayWindow(c.ReplayWindow);
            _window1 = new ReplayWindow(c.ReplayWindow);
            _cookie = isClient ? new byte[255] : null;
        }

        // ---------------------------------------------------------------- public surface

        public PeerAddress Peer { get { return _peer; } }

        public DtlsSessionState State { get { return _state; } }

        public bool IsClient { get { return _isClient; } }

        public bool IsConnected { get { return _state == DtlsSessionState.Connected; } }

        /// <summary>True while handshaking or connected.</summary>
        public bool IsActive { get { return _state == DtlsSessionState.Handshaking || _state == DtlsSessionState.Connected; } }

        /// <summary>Why the session ended (None while it lives or after a clean close).</summary>
        public DtlsFailure Failure { get { return _failure; } }

        /// <summary>The alert sent or received that ended the session, -1 when none.</summary>
        public int AlertDescription { get { return _alertDescription; } }

        /// <summary>The negotiated suite (0 before ServerHello).</summary>
        public int CipherSuite { get { return _cipherSuite; } }

        /// <summary>The PSK identity in use (the client's own, or what the client presented to the server). Read <see cref="PskIdentityLength"/> bytes.</summary>
        public byte[] PskIdentity { get { return _pskIdentity; } }

        public int PskIdentityLength { get { return _pskIdentityLength; } }

        public bool UsesExtendedMasterSecret { get { return _extendedMasterSecret; } }

        /// <summary>Client random (32 bytes). Do not write.</summary>
        public byte[] ClientRandom { get { return _clientRandom; } }

        /// <summary>Server random (32 bytes). Do not write.</summary>
        public byte[] ServerRandom { get { return _serverRandom; } }

        /// <summary>Time of the last authenticated record from the peer (or of the session's start).</summary>
        public long LastActivityMs { get { return _lastActivityMs; } }

        /// <summary>When this session wants Tick (retransmission); <see cref="long.MaxValue"/> for never.</summary>
        public long NextDeadline { get { return _timer.Deadline; } }

        /// <summary>Flights sent, retransmissions included (for tests and statistics).</summary>
        public int FlightsSent { get { return _flightsSent; } }

        public int Retransmissions { get { return _retransmissions; } }

        /// <summary>
        /// True when the handshake stopped (or stands) after our key exchange, waiting for the peer's Finished: the
        /// peer answered every earlier flight, so a timeout here almost always means the two sides hold different
        /// PSKs (OpenSSL and GnuTLS drop a Finished that does not authenticate instead of sending an alert).
        /// </summary>
        public bool WaitingForPeerFinished
        {
            get { return _step == StepClientWaitServerFinished || _step == StepServerWaitClientFinished; }
        }

        /// <summary>What the handshake waits for (diagnostics; constant strings, no allocation).</summary>
        public string HandshakeStep
        {
            get
            {
                switch (_step)
                {
                    case StepClientWaitServerHello: return "waiting for HelloVerifyRequest/ServerHello";
                    case StepClientWaitServerHelloDone: return "waiting for ServerHelloDone";
                    case StepClientWaitServerFinished: return "waiting for the server's Finished";
                    case StepServerWaitClientHello: return "waiting for ClientHello";
                    case StepServerWaitClientKeyExchange: return "waiting for ClientKeyExchange";
                    case StepServerWaitClientFinished: return "waiting for the client's Finished";
                    case StepDone: return "done";
                    default: return _state == DtlsSessionState.Idle ? "idle" : "handshaking";
                }
            }
        }

        /// <summary>True when the connection_id extension was negotiated (RFC 9146), in either direction.</summary>
        public bool UsesConnectionId { get { return _cidInUse; } }

        /// <summary>Length of the CID the peer puts in its records to us (0: none).</summary>
        public int OwnConnectionIdLength { get { return _cidInUse ? _ownCidLength : 0; } }

        /// <summary>Length of the CID we put in our records to the peer (0: none).</summary>
        public int PeerConnectionIdLength { get { return _cidInUse ? _peerCidLength : 0; } }

        /// <summary>True when this live session expects records carrying exactly this CID (server lookup by CID).</summary>
        internal bool HasOwnConnectionId(byte[] buffer, int offset, int length)
        {
            if (!IsActive || !_cidInUse || length != _ownCidLength || length == 0)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (buffer[offset + i] != _ownCid[i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Free for the application (e.g. a CoAP layer's per-peer state).</summary>
        public object Tag;

        /// <summary>This session's position in its server's table (set once by <see cref="DtlsServer"/>; 0 on a client).</summary>
        internal int Slot;

        /// <summary>Writes SHA-256 of the handshake messages so far (RFC 5246 §7.4.9 / RFC 6347 §4.2.6) without ending it.</summary>
        public void TranscriptHash(byte[] output, int offset)
        {
            _transcript.PeekHash(output, offset);
        }

        /// <summary>PSK identity as text (diagnostics; allocates).</summary>
        public string PskIdentityText()
        {
            char[] c = new char[_pskIdentityLength];
            for (int i = 0; i < c.Length; i++)
            {
                byte b = _pskIdentity[i];
                c[i] = b >= 32 && b < 127 ? (char)b : '?';
            }
            return new string(c);
        }

        /// <summary>Key exchanges record the identity here; false when it is longer than configured.</summary>
        public bool SetPskIdentity(byte[] buffer, int offset, int count)
        {
            if (count < 0 || count > _pskIdentity.Length)
            {
                return false;
            }
            System.Array.Copy(buffer, offset, _pskIdentity, 0, count);
            _pskIdentityLength = count;
            return true;
        }

        /// <summary>Sends one application data record (RFC 6347 §4.1). False when not connected or too large.</summary>
        public bool SendApplicationData(byte[] buffer, int offset, int count, long nowMs)
        {
            if (_state != DtlsSessionState.Connected || buffer == null || offset < 0 || count < 0
                || offset + count > buffer.Length || count > _ctx.Config.MaxRecordPlaintext)
            {
                return false;
            }
            return SendRecord(ContentType.ApplicationData, buffer, offset, count);
        }

        /// <summary>Sends close_notify (RFC 5246 §7.2.1) and ends the session.</summary>
        public void Close(long nowMs)
        {
            if (!IsActive)
            {
                return;
            }
            SendAlert(Handshake.AlertDescription.LevelWarning, Handshake.AlertDescription.CloseNotify);
            End(DtlsSessionState.Closed, DtlsFailure.None, -1);
        }

        /// <summary>Retransmits on timeout (RFC 6347 §4.2.4.1); gives up after the configured number of tries.</summary>
        public void Tick(long nowMs)
        {
            if (!IsActive || !_timer.Expired(nowMs))
            {
                return;
            }
            if (_timer.Backoff(nowMs))
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(Who(), "timeout: retransmitting flight (next wait ", _timer.CurrentMs.ToString(), " ms)"));
                }
                _retransmissions++;
                SendFlight();
                return;
            }
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "handshake timed out"));
            }
            End(DtlsSessionState.Failed, DtlsFailure.Timeout, -1);
        }

        // ---------------------------------------------------------------- engine hooks

        /// <summary>The server dropped this session to make room for another.</summary>
        internal void Evict()
        {
            if (IsActive)
            {
                End(DtlsSessionState.Failed, DtlsFailure.Evicted, -1);
            }
        }

        /// <summary>True when this hello is the one our current handshake started from (a retransmission, not a new connection).</summary>
        internal bool IsSameClientHello(byte[] buffer, int randomOffset)
        {
            if (!IsActive || _isClient)
            {
                return false;
            }
            for (int i = 0; i < 32; i++)
            {
                if (buffer[randomOffset + i] != _clientRandom[i])
                {
                    return false;
                }
            }
            return true;
        }

        private void ResetForHandshake(long nowMs)
        {
            if (_keyExchange != null)
            {
                _keyExchange.Reset(this);
            }
            _state = DtlsSessionState.Handshaking;
            _failure = DtlsFailure.None;
            _alertDescription = -1;
            _cipherSuite = 0;
            _pskIdentityLength = 0;
            _extendedMasterSecret = false;
            _peerOfferedRenegotiationInfo = false;
            _clientCertificateSeen = false;
            _cidInUse = false;
            _ownCidLength = 0;
            _peerCidLength = 0;
            _streamSequence = -1;
            _keyExchange = null;
            _step = StepNone;
            _writeEpoch = 0;
            _writeSequence[0] = 0;
            _writeSequence[1] = 0;
            _nextSendSequence = 0;
            _cookieLength = 0;
            _helloVerifyCount = 0;
            _flightsSent = 0;
            _retransmissions = 0;
            _lastActivityMs = nowMs;
            _transcript.Reset();
            _reassembler.Reset(0);
            _flight.Clear();
            _timer.Stop();
            _read.Clear();
            _write.Clear();
            _window0.Reset();
            _window1.Reset();
            System.Array.Clear(_masterSecret, 0, 48);
            Tag = null;
        }

        private void End(DtlsSessionState state, DtlsFailure failure, int alert)
        {
            _state = state;
            _failure = failure;
            _alertDescription = alert;
            _timer.Stop();
            _read.Clear();
            _write.Clear();
            System.Array.Clear(_masterSecret, 0, 48);
            // A handshake that failed between making the premaster and the master secret leaves it in the scratch.
            System.Array.Clear(_ctx.Premaster, 0, _ctx.Premaster.Length);
            if (_keyExchange != null)
            {
                _keyExchange.Reset(this);
            }
            _ctx.Events.OnClosed(this);
        }

        // ---------------------------------------------------------------- record layer in

        /// <summary>
        /// One record from the peer. Anything invalid is dropped silently (RFC 6347 §4.1.2.7): wrong epoch, replayed or
        /// too old (§4.1.2.6), failed authentication, or content not allowed in the current state.
        /// </summary>
        internal void ReceiveRecord(byte[] buffer, ref RecordHeader h, long nowMs)
        {
            ReceiveRecord(buffer, ref h, nowMs, null);
        }

        /// <summary>As above; <paramref name="from"/> (server) is where the datagram came from, for RFC 9146 §6 rebinding.</summary>
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

        private void ReceivePlainRecord(byte[] buffer, ref RecordHeader h, long nowMs)
        {
            if (!_window0.IsFresh(h.Sequence))
            {
                return;
            }
            switch (h.Type)
            {
                case ContentType.Handshake:
                    _window0.Accept(h.Sequence);
                    _recordEpoch = 0;
                    ReceiveHandshake(buffer, h.FragmentOffset, h.FragmentLength, nowMs);
                    break;
                case ContentType.ChangeCipherSpec:
                    // RFC 5246 §7.1: one byte of value 1. We switch on the epoch of the records themselves, so
                    // the CCS itself needs no state (a lost CCS does not stall us, reordered records still authenticate).
                    if (h.FragmentLength == 1 && buffer[h.FragmentOffset] == 1)
                    {
                        _window0.Accept(h.Sequence);
                    }
                    break;
                case ContentType.Alert:
                    // Unprotected alerts only count during the handshake (before keys exist a peer has no other way).
                    if (_state == DtlsSessionState.Handshaking)
                    {
                        _window0.Accept(h.Sequence);
                        ReceiveAlert(buffer, h.FragmentOffset, h.FragmentLength, nowMs);
                    }
                    break;
                default:
                    break; // application data in epoch 0 never counts
            }
        }

        private void ReceiveProtectedRecord(byte[] buffer, ref RecordHeader h, long nowMs, PeerAddress from)
        {
            // RFC 9146 §3: once we asked for a CID, the peer's protected records are tls12_cid records with our CID;
            // otherwise they are plain RFC 6347 records.
            bool expectCid = _cidInUse && _ownCidLength > 0;
            bool hasCid = h.Type == ContentType.Tls12Cid;
            if (!_read.HasKey || hasCid != expectCid || !_window1.IsFresh(h.Sequence)
                || h.FragmentLength > _ctx.Config.MaxRecordPlaintext + RecordProtection.Overhead + (hasCid ? 1 : 0))
            {
                return;
            }
            byte[] plain = _ctx.Plaintext;
            int type = h.Type;
            int n;
            if (hasCid)
            {
                n = HasOwnConnectionId(buffer, h.CidOffset, h.CidLength)
                    ? _read.OpenWithCid(h.Version, buffer, h.RecordOffset + 3, buffer, h.CidOffset, h.CidLength,
                                        buffer, h.FragmentOffset, h.FragmentLength, plain, 0)
                    : -1;
                if (n > 0)
                {
                    // DTLSInnerPlaintext: content ‖ real type ‖ zeros; the last non-zero byte is the type (RFC 9146 §4).
                    n--;
                    while (n > 0 && plain[n] == 0)
                    {
                        n--;
                    }
                    type = plain[n];
                    if (type == 0)
                    {
                        return;
                    }
                }
            }
            else
            {
                n = _read.Open(h.Type, h.Version, buffer, h.RecordOffset + 3,
                               buffer, h.FragmentOffset, h.FragmentLength, plain, 0);
            }
            if (n < 0)
            {
                if (_step == StepServerWaitClientFinished || _step == StepClientWaitServerFinished)
                {
                    // The peer's first protected record does not authenticate: almost always a different PSK.
                    // RFC 6347 §4.1.2.7 allows a fatal bad_record_mac here; it ends the handshake cleanly on both
                    // sides instead of leaving the peer to time out (our write epoch is still 0 on the server, so
                    // the peer can read it).
                    Fail(Handshake.AlertDescription.BadRecordMac, "a protected handshake record did not authenticate (wrong PSK?)");
                }
                return;
            }
            bool newest = h.Sequence > _window1.Highest;
            _window1.Accept(h.Sequence);
            _lastActivityMs = nowMs;
            if (hasCid && newest && from != null && !from.SameAs(_peer))
            {
                MovePeer(from);
            }
            switch (type)
            {
                case ContentType.ApplicationData:
                    if (_state == DtlsSessionState.Connected)
                    {
                        _ctx.Events.OnApplicationData(this, plain, 0, n);
                    }
                    break;
                case ContentType.Handshake:
                    _recordEpoch = 1;
                    ReceiveHandshake(plain, 0, n, nowMs);
                    break;
                case ContentType.Alert:
                    ReceiveAlert(plain, 0, n, nowMs);
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
            _peer.CopyFrom(from);
            if (index != null)
            {
                index.Add(Slot);
            }
        }

        private void ReceiveAlert(byte[] buffer, int offset, int count, long nowMs)
        {
            if (count != 2)
            {
                return;
            }
            int level = buffer[offset];
            int description = buffer[offset + 1];
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "received alert ", level == 2 ? "fatal " : "warning ", Handshake.AlertDescription.Name(description)));
            }
            _ctx.Events.OnAlert(this, level, description);
            if (!IsActive)
            {
                return; // the application closed us from inside OnAlert
            }
            if (description == Handshake.AlertDescription.CloseNotify)
            {
                // RFC 5246 §7.2.1: answer close_notify with close_notify.
                if (_state == DtlsSessionState.Connected)
                {
                    SendAlert(Handshake.AlertDescription.LevelWarning, Handshake.AlertDescription.CloseNotify);
                }
                End(DtlsSessionState.Closed, DtlsFailure.None, description);
            }
            else if (level == Handshake.AlertDescription.LevelFatal)
            {
                End(DtlsSessionState.Failed, DtlsFailure.PeerAlert, description);
            }
        }

        /// <summary>
        /// Handshake fragments of one record (several may share a record). Fragments of messages already handled mean
        /// the peer is retransmitting: if it is repeating the flight our last flight answered, ours was lost and we
        /// send it again (RFC 6347 §4.2.4) — this is what makes the final flight reliable.
        /// </summary>
        private void ReceiveHandshake(byte[] buffer, int offset, int count, long nowMs)
        {
            WireReader r = new WireReader(buffer, offset, count);
            bool resent = false;
            while (r.Remaining > 0)
            {
                int type = r.ReadUInt8();
                int length = r.ReadUInt24();
                int sequence = r.ReadUInt16();
                int fragmentOffset = r.ReadUInt24();
                int fragmentLength = r.ReadUInt24();
                int at = r.Take(fragmentLength);
                if (r.Failed)
                {
                    return; // malformed: drop the rest of the record
                }
                if (type == HandshakeType.Finished && _recordEpoch == 0)
                {
                    continue; // Finished is only ever protected (RFC 5246 §7.4.9)
                }
                if (_state == DtlsSessionState.Handshaking && sequence >= _reassembler.NextSequence
                    && length > _reassembler.Capacity && fragmentOffset + fragmentLength <= length)
                {
                    if (type == HandshakeType.Certificate)
                    {
                        // A certificate chain larger than the buffer is not reassembled: its in-order bytes go
                        // straight to the key exchange's streaming parser (issue 4: memory stays within the buffers).
                        if (!StreamCertificate(length, sequence, fragmentOffset, fragmentLength, buffer, at, nowMs))
                        {
                            return;
                        }
                        continue;
                    }
                    // Any other message that can never fit the configured buffer: refuse it rather than time out.
                    Fail(Handshake.AlertDescription.HandshakeFailure, string.Concat(HandshakeType.Name(type), " larger than the handshake buffer"));
                    return;
                }
                int result = _reassembler.Add(type, length, sequence, fragmentOffset, fragmentLength, buffer, at);
                if (result == HandshakeReassembler.Old && !resent && sequence == _reassembler.NextSequence - 1
                    && PeerRetransmissionMeansOurFlightWasLost())
                {
                    resent = true;
                    if (_ctx.Log.Enabled)
                    {
                        _ctx.Log.Write(string.Concat(Who(), "peer retransmitted ", HandshakeType.Name(type), ": resending our last flight"));
                    }
                    _retransmissions++;
                    SendFlight();
                }
            }
            ProcessMessages(nowMs);
        }

        private int _streamSequence = -1;
        private int _streamLength;
        private int _streamFed;

        /// <summary>
        /// One fragment of a peer Certificate too large for the reassembly buffer. Only the next contiguous bytes are
        /// used (later ones are dropped; the peer's retransmission brings them again); they enter the transcript in
        /// their unfragmented form (RFC 6347 §4.2.6) and the key exchange's parser. False when the session failed.
        /// </summary>
        private bool StreamCertificate(int length, int sequence, int fragmentOffset, int fragmentLength, byte[] buffer, int at, long nowMs)
        {
            ProcessMessages(nowMs); // complete messages before this one (ServerHello) come first
            if (!IsActive)
            {
                return false;
            }
            if (sequence != _reassembler.NextSequence)
            {
                return true;
            }
            int alert;
            if (_streamSequence != sequence)
            {
                if (fragmentOffset != 0)
                {
                    return true; // wait for the start
                }
                bool expected = _keyExchange != null && (_isClient
                    ? _step == StepClientWaitServerHelloDone
                    : _step == StepServerWaitClientKeyExchange && !_clientCertificateSeen && _keyExchange.ExpectsClientCertificate(this));
                if (!expected)
                {
                    Fail(Handshake.AlertDescription.UnexpectedMessage, "Certificate");
                    return false;
                }
                alert = _keyExchange.BeginPeerCertificate(this, length);
                if (alert != 0)
                {
                    Fail(alert, "Certificate (streamed)");
                    return false;
                }
                _streamSequence = sequence;
                _streamLength = length;
                _streamFed = 0;
                byte[] h = _ctx.Scratch;
                h[0] = HandshakeType.Certificate;
                WireWriter.WriteUInt24At(h, 1, length);
                WireWriter.WriteUInt16At(h, 4, sequence);
                WireWriter.WriteUInt24At(h, 6, 0);
                WireWriter.WriteUInt24At(h, 9, length);
                _transcript.Update(h, 0, HandshakeType.HeaderLength);
            }
            if (fragmentOffset > _streamFed || fragmentOffset + fragmentLength <= _streamFed)
            {
                return true; // a gap, or bytes we already have
            }
            int skip = _streamFed - fragmentOffset;
            int n = fragmentLength - skip;
            _transcript.Update(buffer, at + skip, n);
            _streamFed += n;
            alert = _keyExchange.FeedPeerCertificate(this, buffer, at + skip, n);
            if (alert == 0 && _streamFed == _streamLength)
            {
                alert = _keyExchange.EndPeerCertificate(this);
                _streamSequence = -1;
                _reassembler.Release(); // the message is consumed: expect the next message_seq
                if (!_isClient)
                {
                    _clientCertificateSeen = true;
                }
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(Who(), "<- Certificate (", length.ToString(), " bytes, streamed, seq ", sequence.ToString(), ")"));
                }
            }
            if (alert != 0)
            {
                Fail(alert, "Certificate (streamed)");
                return false;
            }
            return true;
        }

        private bool PeerRetransmissionMeansOurFlightWasLost()
        {
            if (_flight.IsEmpty)
            {
                return false;
            }
            switch (_step)
            {
                case StepClientWaitServerHello:
                    return _cookieLength > 0;
                case StepClientWaitServerFinished:
                case StepServerWaitClientKeyExchange:
                    return true;
                case StepDone:
                    return !_isClient && _state == DtlsSessionState.Connected;
                default:
                    return false;
            }
        }

        private void ProcessMessages(long nowMs)
        {
            int type;
            int body;
            int length;
            while (IsActive && _reassembler.TryPeek(out type, out body, out length))
            {
                int sequence = _reassembler.NextSequence;
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(Who(), "<- ", HandshakeType.Name(type), " (", length.ToString(), " bytes, seq ", sequence.ToString(), ")"));
                }
                int alert = _isClient
                    ? HandleClientMessage(type, _reassembler.Buffer, body, length, sequence, nowMs)
                    : HandleServerMessage(type, _reassembler.Buffer, body, length, sequence, nowMs);
                _reassembler.Release();
                if (alert > 0)
                {
                    Fail(alert, HandshakeType.Name(type));
                    return;
                }
            }
        }

        /// <summary>Adds a received message to the transcript in its unfragmented form (RFC 6347 §4.2.6).</summary>
        private void HashReceived(int type, byte[] buffer, int body, int length, int sequence)
        {
            byte[] h = _ctx.Scratch;
            h[0] = (byte)type;
            WireWriter.WriteUInt24At(h, 1, length);
            WireWriter.WriteUInt16At(h, 4, sequence);
            WireWriter.WriteUInt24At(h, 6, 0);
            WireWriter.WriteUInt24At(h, 9, length);
            _transcript.Update(h, 0, HandshakeType.HeaderLength);
            _transcript.Update(buffer, body, length);
        }

        // ---------------------------------------------------------------- record layer out

        private bool SendRecord(int type, byte[] source, int offset, int count)
        {
            byte[] dg = _ctx.Datagram;
            if (RecordHeader.Length + RecordProtection.Overhead + CidOverhead + count > dg.Length)
            {
                return false;
            }
            int n = WriteRecord(dg, 0, type, _writeEpoch, source, offset, count);
            if (n < 0)
            {
                return false;
            }
            _ctx.Sink.Send(dg, 0, n, _peer);
            return true;
        }

        /// <summary>Writes one record at <paramref name="at"/> (protected when the epoch is 1); returns its length or -1.</summary>
        private int WriteRecord(byte[] dg, int at, int type, int epoch, byte[] source, int offset, int count)
        {
            if (epoch == 0)
            {
                long sequence = _writeSequence[0]++;
                RecordHeader.Write(dg, at, type, ProtocolVersion.Dtls12, 0, sequence, count);
                System.Array.Copy(source, offset, dg, at + RecordHeader.Length, count);
                return RecordHeader.Length + count;
            }
            System.Array.Copy(source, offset, dg, at + ProtectedHeaderLength + RecordProtection.ExplicitNonceLength, count);
            return SealRecord(dg, at, type, count);
        }

        /// <summary>True when our protected records carry the peer's CID (RFC 9146 §3: non-zero CID for that direction).</summary>
        private bool SendsCid { get { return _cidInUse && _peerCidLength > 0; } }

        /// <summary>Header length of our protected records: 13, plus the CID in tls12_cid records.</summary>
        private int ProtectedHeaderLength { get { return RecordHeader.Length + (SendsCid ? _peerCidLength : 0); } }

        /// <summary>Bytes a tls12_cid record adds over a plain protected record: the CID and the inner type byte.</summary>
        private int CidOverhead { get { return SendsCid ? _peerCidLength + 1 : 0; } }

        /// <summary>
        /// Protects an epoch-1 record whose <paramref name="plainLength"/> plaintext bytes already sit at
        /// <paramref name="at"/> + <see cref="ProtectedHeaderLength"/> + 8: a plain record (RFC 6347 §4.1), or a tls12_cid
        /// record with the real type appended as DTLSInnerPlaintext, no padding (RFC 9146 §4). Returns its length or -1.
        /// </summary>
        private int SealRecord(byte[] dg, int at, int type, int plainLength)
        {
            long sequence = _writeSequence[1]++;
            if (!SendsCid)
            {
                RecordHeader.Write(dg, at, type, ProtocolVersion.Dtls12, 1, sequence, plainLength);
                return _write.Seal(dg, at, plainLength);
            }
            dg[at + ProtectedHeaderLength + RecordProtection.ExplicitNonceLength + plainLength] = (byte)type;
            RecordHeader.WriteWithCid(dg, at, ProtocolVersion.Dtls12, 1, sequence, _peerCid, _peerCidLength, plainLength + 1);
            return _write.SealWithCid(dg, at, _peerCidLength, plainLength + 1);
        }

        private void SendAlert(int level, int description)
        {
            byte[] a = _ctx.Scratch;
            a[0] = (byte)level;
            a[1] = (byte)description;
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "sending alert ", level == 2 ? "fatal " : "warning ", Handshake.AlertDescription.Name(description)));
            }
            SendRecord(ContentType.Alert, a, 0, 2);
        }

        private void Fail(int alert, string why)
        {
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "handshake failed: ", why));
            }
            SendAlert(Handshake.AlertDescription.LevelFatal, alert);
            End(DtlsSessionState.Failed, DtlsFailure.LocalAlert, alert);
        }

        /// <summary>
        /// Sends the stored flight: handshake messages are cut into fragments that fit the datagram size (RFC 6347
        /// §4.2.3, §4.1.1) and several records are packed into one datagram (§4.1.1).
        /// </summary>
        private void SendFlight()
        {
            byte[] fb = _flight.Buffer;
            byte[] dg = _ctx.Datagram;
            int max = _ctx.Config.MaxDatagramSize;
            int maxFragment = _ctx.Config.MaxRecordPlaintext - HandshakeType.HeaderLength;
            int used = 0;
            int p = 0;
            while (p < _flight.Length)
            {
                int kind = fb[p];
                int entryLength = (fb[p + 1] << 8) | fb[p + 2];
                int message = p + FlightBuffer.EntryHeaderLength;
                p = message + entryLength;
                if (kind == FlightBuffer.KindChangeCipherSpec)
                {
                    if (used + RecordHeader.Length + 1 > max)
                    {
                        _ctx.Sink.Send(dg, 0, used, _peer);
                        used = 0;
                    }
                    used += WriteRecord(dg, used, ContentType.ChangeCipherSpec, 0, fb, message, 1);
                    continue;
                }
                int epoch = kind == FlightBuffer.KindHandshakeEpoch1 ? 1 : 0;
                int overhead = epoch == 1
                    ? ProtectedHeaderLength + HandshakeType.HeaderLength + RecordProtection.Overhead + (SendsCid ? 1 : 0)
                    : RecordHeader.Length + HandshakeType.HeaderLength;
                int bodyLength = entryLength - HandshakeType.HeaderLength;
                int sent = 0;
                do
                {
                    int room = max - used - overhead;
                    int left = bodyLength - sent;
                    if (used > 0 && (room < 0 || (room < left && room < 64)))
                    {
                        // Not worth a tiny fragment: start a new datagram.
                        _ctx.Sink.Send(dg, 0, used, _peer);
                        used = 0;
                        room = max - overhead;
                    }
                    int fragment = left < room ? left : room;
                    if (fragment > maxFragment)
                    {
                        fragment = maxFragment;
                    }
                    int record = used;
                    int plain = record + (epoch == 1 ? ProtectedHeaderLength + RecordProtection.ExplicitNonceLength : RecordHeader.Length);
                    System.Array.Copy(fb, message, dg, plain, HandshakeType.HeaderLength);
                    WireWriter.WriteUInt24At(dg, plain + 6, sent);
                    WireWriter.WriteUInt24At(dg, plain + 9, fragment);
                    System.Array.Copy(fb, message + HandshakeType.HeaderLength + sent, dg, plain + HandshakeType.HeaderLength, fragment);
                    int n;
                    if (epoch == 0)
                    {
                        long sequence = _writeSequence[0]++;
                        RecordHeader.Write(dg, record, ContentType.Handshake, ProtocolVersion.Dtls12, 0, sequence, HandshakeType.HeaderLength + fragment);
                        n = RecordHeader.Length + HandshakeType.HeaderLength + fragment;
                    }
                    else
                    {
                        n = SealRecord(dg, record, ContentType.Handshake, HandshakeType.HeaderLength + fragment);
                    }
                    if (n < 0)
                    {
                        return;
                    }
                    used += n;
                    sent += fragment;
                }
                while (sent < bodyLength);
            }
            if (used > 0)
            {
                _ctx.Sink.Send(dg, 0, used, _peer);
            }
            _flightsSent++;
        }

        // ---------------------------------------------------------------- handshake messages out

        private WireWriter BeginMessage(int epoch, int type)
        {
            return _flight.BeginHandshake(epoch, type);
        }

        /// <summary>Closes a message in the flight, gives it the next message_seq and hashes it when asked.</summary>
        private bool EndMessage(ref WireWriter w, bool hash)
        {
            int at = _flight.EndHandshake(ref w, _nextSendSequence);
            if (at < 0)
            {
                return false;
            }
            if (_ctx.Log.Enabled)
            {
                byte[] fb = _flight.Buffer;
                _ctx.Log.Write(string.Concat(Who(), "-> ", HandshakeType.Name(fb[at]), " (", (w.Position - at - HandshakeType.HeaderLength).ToString(), " bytes, seq ", _nextSendSequence.ToString(), ")"));
            }
            _nextSendSequence++;
            if (hash)
            {
                _transcript.Update(_flight.Buffer, at, w.Position - at);
            }
            return true;
        }

        // ---------------------------------------------------------------- key schedule

        /// <summary>
        /// master_secret from the premaster (RFC 5246 §8.1), or with extended master secret from the session hash of
        /// every message up to and including ClientKeyExchange (RFC 7627 §4); then the key block (RFC 5246 §6.3).
        /// </summary>
        private void DeriveKeys(int premasterLength)
        {
            DtlsContext c = _ctx;
            if (_extendedMasterSecret)
            {
                _transcript.PeekHash(c.Hash, 0);
                c.Prf.Derive(c.Premaster, 0, premasterLength, TlsLabels.ExtendedMasterSecret, 0, TlsLabels.ExtendedMasterSecret.Length,
                             c.Hash, 0, 32, _masterSecret, 0, 48);
            }
            else
            {
                c.Prf.Derive(c.Premaster, 0, premasterLength, TlsLabels.MasterSecret, 0, TlsLabels.MasterSecret.Length,
                             _clientRandom, 0, 32, _serverRandom, 0, 32, _masterSecret, 0, 48);
            }
            System.Array.Clear(c.Premaster, 0, c.Premaster.Length);
            byte[] kb = c.KeyBlock;
            c.Prf.Derive(_masterSecret, 0, 48, TlsLabels.KeyExpansion, 0, TlsLabels.KeyExpansion.Length,
                         _serverRandom, 0, 32, _clientRandom, 0, 32, kb, 0, DtlsContext.KeyBlockLength);
            // client_write_key, server_write_key, client_write_IV, server_write_IV (RFC 5246 §6.3, no MAC keys for AEAD)
            if (_isClient)
            {
                _write.SetKey(kb, 0, kb, 32);
                _read.SetKey(kb, 16, kb, 36);
            }
            else
            {
                _write.SetKey(kb, 16, kb, 36);
                _read.SetKey(kb, 0, kb, 32);
            }
            System.Array.Clear(kb, 0, kb.Length);
            _window1.Reset();
            if (c.Config.KeyLog != null)
            {
                c.Config.KeyLog.OnSecret(_clientRandom, _masterSecret);
            }
        }

        /// <summary>verify_data = PRF(master_secret, label, Hash(handshake_messages))[0..11] (RFC 5246 §7.4.9).</summary>
        private void ComputeVerifyData(byte[] label)
        {
            _transcript.PeekHash(_ctx.Hash, 0);
            _ctx.Prf.Derive(_masterSecret, 0, 48, label, 0, label.Length, _ctx.Hash, 0, 32, _ctx.VerifyData, 0, 12);
        }

        private string Who()
        {
            return string.Concat(_isClient ? "client " : "server ", _peer.ToString(), ": ");
        }
    }
}
