using NfDtls.Crypto;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Everything only a handshake needs, borrowed by a session from its engine's <see cref="HandshakePool"/> when a
    /// handshake starts (server: a ClientHello with a valid cookie; client: Connect) and given back wiped when it ends:
    /// reassembly (RFC 6347 §4.2.3), our last flight and its timer (§4.2.4), the transcript (§4.2.6), the randoms and
    /// master secret, the cookie, the key exchange's per-handshake state, and where we are in the peer's next flight
    /// (<see cref="ExpectedFlights"/>). This file: the messages in, in order, and the key schedule; the client's and the
    /// server's flights are in the other parts of this class, sending in <see cref="FlightTransmitter"/>.
    /// </summary>
    internal sealed partial class DtlsHandshake
    {
        /// <summary>Offsets in <see cref="Secrets"/>: client random, server random (RFC 5246 §7.4.1.2), master secret (§8.1).</summary>
        public const int ClientRandom = 0;
        public const int ServerRandom = 32;
        public const int MasterSecret = 64;
        private const int SecretsLength = 112;

        /// <summary>Most messages of one peer flight we remember to recognise its retransmission (flight 4 has at most 5).</summary>
        private const int MaxPeerFlight = 6;

        // _bits
        private const int BitPeerOfferedRenegotiationInfo = 1;
        /// <summary>Server: this full handshake sends a NewSessionTicket; client: the server said it will (RFC 5077 §3.2).</summary>
        private const int BitTicket = 2;
        /// <summary>Client: our ClientHello offers a ticket (RFC 5077 §3.4).</summary>
        private const int BitOfferedTicket = 8;
        /// <summary>Client: our ClientHello offers the session ID of the session we resume (RFC 5246 §7.4.1.2).</summary>
        private const int BitOfferedSessionId = 1 << 16;
        /// <summary>Client: the ticket did not fit our flight buffer and is no longer sent (the session_id stays).</summary>
        private const int BitTicketDropped = 1 << 17;
        private const int HelloVerifyShift = 4; // 3 bits
        private const int CookieLengthShift = 8; // 8 bits

        private readonly DtlsContext _ctx;
        private readonly KeyExchangeState[] _states;
        private readonly byte[] _cookie;
        /// <summary>The peer's last complete flight (entries 0..5) and the one being received (6..11): type &lt;&lt; 24 | length.</summary>
        private readonly int[] _peerFlight = new int[2 * MaxPeerFlight];
        private DtlsSession _session;
        private DtlsKeyExchange _kx;
        private KeyExchangeState _kxState;
        private int[] _awaited;
        private int _cursor;
        private int _nextSendSequence;
        private int _bits;
        private int _streamSequence = -1;
        private int _streamLength;
        private int _streamFed;
        private int _peerFlightFirst;
        private int _peerFlightCount;
        private int _receivingFirst;
        private int _receivingCount;
        private long _startedAtMs;

        public readonly HandshakeReassembler Reassembler;
        public readonly FlightBuffer Flight;
        public readonly FlightTimer Timer;
        public readonly ISha256 Transcript;
        /// <summary>Client random, server random, master secret (<see cref="ClientRandom"/>, ...).</summary>
        public readonly byte[] Secrets = new byte[SecretsLength];

        public DtlsHandshake(DtlsContext context, bool isClient)
        {
            _ctx = context;
            DtlsConfig c = context.Config;
            Transcript = c.Crypto.CreateSha256();
            Reassembler = new HandshakeReassembler(c.HandshakeBufferSize);
            Flight = new FlightBuffer(FlightSize(c, isClient));
            Timer = new FlightTimer(c.InitialRetransmitMs, c.MaxRetransmitMs, c.MaxRetransmissions);
            _cookie = isClient ? new byte[255] : null;
            DtlsKeyExchange[] kx = context.KeyExchanges;
            _states = new KeyExchangeState[kx.Length];
            for (int i = 0; i < kx.Length; i++)
            {
                _states[i] = kx[i] != null ? kx[i].CreateState() : null;
            }
        }

        /// <summary>
        /// The configured flight buffer, or more on a server with a long PSK identity hint: flight 4 carries the hint
        /// whole (RFC 4279 §2) beside a ServerHello of at most about 160 bytes.
        /// </summary>
        private static int FlightSize(DtlsConfig c, bool isClient)
        {
            int size = c.FlightBufferSize;
            if (!isClient && c.PskIdentityHint != null && size < 256 + c.PskIdentityHint.Length)
            {
                size = 256 + c.PskIdentityHint.Length;
            }
            return size;
        }

        // ---------------------------------------------------------------- what key exchanges and the engine see

        public DtlsSession Session { get { return _session; } }

        public DtlsKeyExchange KeyExchange { get { return _kx; } }

        public KeyExchangeState KeyExchangeState { get { return _kxState; } }

        public long StartedAtMs { get { return _startedAtMs; } }

        /// <summary>SHA-256 of the handshake messages so far (RFC 5246 §7.4.9 / RFC 6347 §4.2.6) without ending it.</summary>
        public void TranscriptHash(byte[] output, int offset)
        {
            Transcript.PeekHash(output, offset);
        }

        /// <summary>What the handshake waits for (diagnostics; constant strings).</summary>
        public string Step
        {
            get
            {
                if (_awaited == ExpectedFlights.ServerHello)
                {
                    return _cursor <= 1 ? "waiting for HelloVerifyRequest/ServerHello" : "waiting for ServerHelloDone";
                }
                if (_awaited == ExpectedFlights.ServerFinished || _awaited == ExpectedFlights.ResumedServerHello)
                {
                    return "waiting for the server's Finished";
                }
                if (_awaited == ExpectedFlights.ResumedClientFinished)
                {
                    return "waiting for the client's Finished";
                }
                if (_awaited == ExpectedFlights.ClientFinished)
                {
                    return _cursor <= 1 ? "waiting for ClientKeyExchange" : "waiting for the client's Finished";
                }
                return _awaited == ExpectedFlights.ClientHello ? "waiting for ClientHello" : "handshaking";
            }
        }

        private bool IsClient { get { return _cookie != null; } }

        /// <summary>True while this handshake still belongs to a live session.</summary>
        private bool Live { get { return _session != null && _session.Handshake == this && _session.IsActive; } }

        // ---------------------------------------------------------------- pool

        public void Attach(DtlsSession session, long nowMs)
        {
            Wipe();
            _session = session;
            _startedAtMs = nowMs;
        }

        /// <summary>Back to the pool: every secret and every byte of the peer's is forgotten.</summary>
        public void Wipe()
        {
            _session = null;
            _kx = null;
            _kxState = null;
            DtlsKeyExchange[] kx = _ctx.KeyExchanges;
            for (int i = 0; i < _states.Length; i++)
            {
                if (_states[i] != null)
                {
                    kx[i].WipeState(_states[i]); // the suite takes back what it lent (a certificate verifier)
                }
            }
            System.Array.Clear(Secrets, 0, SecretsLength);
            if (_cookie != null)
            {
                System.Array.Clear(_cookie, 0, _cookie.Length);
            }
            Transcript.Reset();
            Reassembler.Reset(0);
            Flight.Clear();
            Timer.Stop();
            _awaited = null;
            _cursor = 0;
            _nextSendSequence = 0;
            _bits = 0;
            _streamSequence = -1;
            _streamLength = 0;
            _streamFed = 0;
            _peerFlightFirst = 0;
            _peerFlightCount = 0;
            _receivingFirst = 0;
            _receivingCount = 0;
        }

        public bool InUse { get { return _session != null; } }

        // ---------------------------------------------------------------- timer

        /// <summary>Retransmits on timeout (RFC 6347 §4.2.4.1); gives up after the configured number of tries.</summary>
        public void Tick(long nowMs)
        {
            if (!Timer.Expired(nowMs))
            {
                return;
            }
            DtlsSession s = _session;
            if (Timer.Backoff(nowMs))
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(s.Who(), "timeout: retransmitting flight (next wait ", Timer.CurrentMs.ToString(), " ms)"));
                }
                FlightTransmitter.Send(this, true, nowMs);
                return;
            }
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(s.Who(), "handshake timed out (", Step, ")",
                                             s.LikelyWrongPsk ? ": the peer's protected records did not authenticate (wrong PSK?)" : ""));
            }
            s.End(DtlsSessionState.Failed, DtlsFailure.Timeout, -1);
        }

        // ---------------------------------------------------------------- messages in

        /// <summary>
        /// Handshake fragments of one record (several may share a record) in <paramref name="epoch"/> (0 plain, 1
        /// authenticated). A fragment of a message already handled is the peer retransmitting: if it repeats the flight
        /// our last flight answered, ours was lost and goes again (RFC 6347 §4.2.4), at most once per datagram and not
        /// faster than the retransmission timer would. A fragment of a type the awaited flight cannot hold is dropped
        /// before it takes any state (a spoofed message must not end or stall the handshake, RFC 6347 §4.1.2.7).
        /// </summary>
        public void ReceiveFragments(byte[] buffer, int offset, int count, int epoch, long nowMs)
        {
            WireReader r = new WireReader(buffer, offset, count);
            while (r.Remaining > 0)
            {
                int type = r.ReadUInt8();
                int length = r.ReadUInt24();
                int sequence = r.ReadUInt16();
                int fragmentOffset = r.ReadUInt24();
                int fragmentLength = r.ReadUInt24();
                int at = r.Take(fragmentLength);
                if (r.Failed || fragmentOffset + fragmentLength > length)
                {
                    return; // malformed: drop the rest of the record
                }
                if (sequence < Reassembler.NextSequence)
                {
                    if (IsPeerFlightAgain(type, length, sequence))
                    {
                        PeerRepeatedFlight(type, nowMs);
                    }
                    continue;
                }
                if (!ExpectedFlights.Contains(_awaited, type, epoch))
                {
                    continue; // no part of the flight we wait for
                }
                if (length > Reassembler.Capacity)
                {
                    if (type == HandshakeType.Certificate)
                    {
                        // A certificate chain larger than the buffer is not reassembled: its in-order bytes go
                        // straight to the key exchange's streaming parser (memory stays within the buffers).
                        if (!StreamCertificate(length, sequence, fragmentOffset, fragmentLength, buffer, at, nowMs))
                        {
                            return;
                        }
                        continue;
                    }
                    if (sequence == Reassembler.NextSequence)
                    {
                        // The message we need can never fit the configured buffer: refuse it rather than time out.
                        _session.Fail(AlertDescription.HandshakeFailure, string.Concat(HandshakeType.Name(type), " larger than the handshake buffer"));
                        return;
                    }
                    continue;
                }
                Reassembler.Add(type, length, sequence, fragmentOffset, fragmentLength, buffer, at);
            }
            ProcessMessages(nowMs);
        }

        /// <summary>The peer's ChangeCipherSpec: its epoch 1 starts here, if this is its place in the flight (RFC 5246 §7.1).</summary>
        public void ReceiveChangeCipherSpec(long nowMs)
        {
            ProcessMessages(nowMs);
            if (!Live)
            {
                return;
            }
            int index = ExpectedFlights.Match(_awaited, _cursor, ExpectedFlights.ChangeCipherSpec, 0, this);
            if (index < 0)
            {
                return; // early (a message before it is missing) or repeated: dropped, the flight comes again
            }
            _cursor = index + 1;
            _session.SetFlag(DtlsSession.FlagReadEpoch1, true);
        }

        private void ProcessMessages(long nowMs)
        {
            int type;
            int body;
            int length;
            while (Live && Reassembler.TryPeek(out type, out body, out length))
            {
                int sequence = Reassembler.NextSequence;
                if (type == HandshakeType.Certificate && _kx != null && !_kx.ReadyForPeerCertificate(this))
                {
                    // Every certificate verifier is lent to another handshake: the message stays unread in the
                    // reassembler, nothing of this handshake moves; the peer's retransmission brings us back here.
                    LogCertificateWaits();
                    return;
                }
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(_session.Who(), "<- ", HandshakeType.Name(type), " (", length.ToString(), " bytes, seq ", sequence.ToString(), ")"));
                }
                int index = ExpectedFlights.Match(_awaited, _cursor, type, type == HandshakeType.Finished ? 1 : 0, this);
                if (index < 0)
                {
                    // It belongs to the flight, but not here: out of order, repeated, or forbidden for this suite
                    // (RFC 5246 §7.3, issue 16 finding 14).
                    _session.Fail(AlertDescription.UnexpectedMessage, string.Concat(HandshakeType.Name(type), " out of order"));
                    return;
                }
                NotePeerMessage(index, type, length, sequence);
                _cursor = index + 1;
                // Released before it is handled (its bytes stay put until the next fragment is added): a handler may
                // end the handshake and give it back to the pool.
                Reassembler.Release();
                int alert = IsClient ? ClientMessage(type, Reassembler.Buffer, body, length, sequence, nowMs)
                                     : ServerMessage(type, Reassembler.Buffer, body, length, sequence, nowMs);
                if (alert > 0 && Live)
                {
                    _session.Fail(alert, HandshakeType.Name(type));
                    return;
                }
            }
        }

        /// <summary>
        /// Remembers the peer's flight message by message; once its last message is in (RFC 6347 §4.2.4: only a whole
        /// flight counts) it becomes the flight whose retransmission makes us send ours again.
        /// </summary>
        private void NotePeerMessage(int index, int type, int length, int sequence)
        {
            if (_cursor == 0 || _receivingCount == 0)
            {
                _receivingFirst = sequence;
                _receivingCount = 0;
            }
            if (_receivingCount < MaxPeerFlight && sequence == _receivingFirst + _receivingCount)
            {
                _peerFlight[MaxPeerFlight + _receivingCount++] = (type << 24) | (length & 0xFFFFFF);
            }
            if (index == _awaited.Length - 1 || type == HandshakeType.HelloVerifyRequest)
            {
                System.Array.Copy(_peerFlight, MaxPeerFlight, _peerFlight, 0, _receivingCount);
                _peerFlightFirst = _receivingFirst;
                _peerFlightCount = _receivingCount;
                _receivingCount = 0;
            }
        }

        /// <summary>
        /// True for a fragment of a message of the peer's last flight, the same message again (type and length, not just
        /// its number): a 25-byte record carrying some message_seq is not a retransmission (issue 16, finding 3).
        /// </summary>
        private bool IsPeerFlightAgain(int type, int length, int sequence)
        {
            int i = sequence - _peerFlightFirst;
            return i >= 0 && i < _peerFlightCount && _peerFlight[i] == ((type << 24) | (length & 0xFFFFFF));
        }

        private void PeerRepeatedFlight(int type, long nowMs)
        {
            if (_awaited == ExpectedFlights.ServerFinished)
            {
                // The server repeats flight 4 after our Finished: it has not accepted our flight 5 (yet).
                _session.SetFlag(DtlsSession.FlagPeerRepeatedAfterFinished, true);
            }
            if (Flight.IsEmpty)
            {
                return;
            }
            if (FlightTransmitter.MayResend(_session, nowMs))
            {
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(_session.Who(), "peer retransmitted ", HandshakeType.Name(type), ": resending our last flight"));
                }
                FlightTransmitter.Send(this, true, nowMs);
            }
        }

        /// <summary>
        /// One fragment of a peer Certificate too large for the reassembly buffer. Only the next contiguous bytes are
        /// used (later ones are dropped; the peer's retransmission brings them again); they enter the transcript in
        /// their unfragmented form (RFC 6347 §4.2.6) and the key exchange's parser. False when the session failed.
        /// </summary>
        private bool StreamCertificate(int length, int sequence, int fragmentOffset, int fragmentLength, byte[] buffer, int at, long nowMs)
        {
            ProcessMessages(nowMs); // complete messages before this one (ServerHello) come first
            if (!Live)
            {
                return false;
            }
            if (sequence != Reassembler.NextSequence)
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
                int index = ExpectedFlights.Match(_awaited, _cursor, HandshakeType.Certificate, 0, this);
                if (index < 0 || _kx == null)
                {
                    _session.Fail(AlertDescription.UnexpectedMessage, "Certificate out of order");
                    return false;
                }
                if (!_kx.ReadyForPeerCertificate(this))
                {
                    // Every certificate verifier is lent to another handshake: this fragment is dropped as if lost and
                    // the stream does not start (the peer's retransmission starts it again at offset 0).
                    LogCertificateWaits();
                    return true;
                }
                alert = _kx.BeginPeerCertificate(this, length);
                if (alert != 0)
                {
                    _session.Fail(alert, "Certificate (streamed)");
                    return false;
                }
                NotePeerMessage(index, HandshakeType.Certificate, length, sequence);
                _cursor = index + 1;
                _streamSequence = sequence;
                _streamLength = length;
                _streamFed = 0;
                HashHeader(HandshakeType.Certificate, length, sequence);
            }
            if (fragmentOffset > _streamFed || fragmentOffset + fragmentLength <= _streamFed)
            {
                return true; // a gap, or bytes we already have
            }
            int skip = _streamFed - fragmentOffset;
            int n = fragmentLength - skip;
            Transcript.Update(buffer, at + skip, n);
            _streamFed += n;
            alert = _kx.FeedPeerCertificate(this, buffer, at + skip, n);
            if (alert == 0 && _streamFed == _streamLength)
            {
                alert = _kx.EndPeerCertificate(this);
                _streamSequence = -1;
                Reassembler.Release(); // the message is consumed: expect the next message_seq
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(_session.Who(), "<- Certificate (", length.ToString(), " bytes, streamed, seq ", sequence.ToString(), ")"));
                }
            }
            if (alert != 0)
            {
                _session.Fail(alert, "Certificate (streamed)");
                return false;
            }
            return true;
        }

        private void LogCertificateWaits()
        {
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(_session.Who(), "Certificate waits: every certificate verifier is busy (the peer retransmits)"));
            }
        }

        /// <summary>Adds a received message to the transcript in its unfragmented form (RFC 6347 §4.2.6).</summary>
        private void HashReceived(int type, byte[] buffer, int body, int length, int sequence)
        {
            HashHeader(type, length, sequence);
            Transcript.Update(buffer, body, length);
        }

        private void HashHeader(int type, int length, int sequence)
        {
            byte[] h = _ctx.Scratch;
            h[0] = (byte)type;
            WireWriter.WriteUInt24At(h, 1, length);
            WireWriter.WriteUInt16At(h, 4, sequence);
            WireWriter.WriteUInt24At(h, 6, 0);
            WireWriter.WriteUInt24At(h, 9, length);
            Transcript.Update(h, 0, HandshakeType.HeaderLength);
        }

        // ---------------------------------------------------------------- messages out

        private WireWriter BeginMessage(int epoch, int type)
        {
            return Flight.BeginHandshake(epoch, type);
        }

        /// <summary>Closes a message in the flight, gives it the next message_seq and hashes it when asked.</summary>
        private bool EndMessage(ref WireWriter w, bool hash)
        {
            int at = Flight.EndHandshake(ref w, _nextSendSequence);
            if (at < 0)
            {
                return false;
            }
            if (_ctx.Log.Enabled)
            {
                byte[] fb = Flight.Buffer;
                int length = (fb[at + 1] << 16) | (fb[at + 2] << 8) | fb[at + 3];
                _ctx.Log.Write(string.Concat(_session.Who(), "-> ", HandshakeType.Name(fb[at]), " (", length.ToString(), " bytes, seq ", _nextSendSequence.ToString(), ")"));
            }
            _nextSendSequence++;
            if (hash)
            {
                Flight.Hash(Transcript, at);
            }
            return true;
        }

        /// <summary>Our flight is complete: out it goes and the timer starts (RFC 6347 §4.2.4.1); we now await <paramref name="next"/>.</summary>
        /// <summary>
        /// Ends the flight being built with ChangeCipherSpec and our Finished, and sends it; the peer's Finished is next
        /// (the client's flight 5 of a full handshake, the server's flight of an abbreviated one, RFC 5246 §7.3).
        /// </summary>
        private int SendFlightEndingInFinished(byte[] label, int[] next, long nowMs)
        {
            Flight.AddChangeCipherSpec();
            ComputeVerifyData(label);
            WireWriter w = BeginMessage(1, HandshakeType.Finished);
            w.WriteBytes(_ctx.VerifyData, 0, 12);
            if (!EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            _session.SetFlag(DtlsSession.FlagWriteEpoch1, true);
            _session.SetFlag(DtlsSession.FlagAwaitedPeerFinished, true);
            SendNewFlight(next, nowMs);
            return 0;
        }

        /// <summary>
        /// Sends the final flight (ChangeCipherSpec, Finished) from what the session keeps of it: verify_data and both
        /// Finished message_seqs stay in the record state, so the session can rebuild the flight whenever the peer
        /// repeats its own Finished (RFC 6347 §4.2.4), and the handshake can go back to the pool at once.
        /// </summary>
        private void SendFinalFlight(byte[] label, int peerFinishedSequence, long nowMs)
        {
            DtlsSession s = _session;
            ComputeVerifyData(label);
            byte[] st = s.RecordState;
            System.Array.Copy(_ctx.VerifyData, 0, st, SessionLayout.OwnVerifyData, 12);
            WireWriter.WriteUInt16At(st, SessionLayout.OwnFinishedSequence, _nextSendSequence);
            WireWriter.WriteUInt16At(st, SessionLayout.PeerFinishedSequence, peerFinishedSequence);
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(s.Who(), "-> Finished (12 bytes, seq ", _nextSendSequence.ToString(), ")"));
            }
            _nextSendSequence++;
            Timer.Stop();
            FlightTransmitter.SendFinalFlight(s, false, nowMs);
        }

        private void SendNewFlight(int[] next, long nowMs)
        {
            _awaited = next;
            _cursor = 0;
            FlightTransmitter.Send(this, false, nowMs);
            Timer.Start(nowMs);
        }

        // ---------------------------------------------------------------- key schedule

        /// <summary>
        /// master_secret from the premaster (RFC 5246 §8.1), or with extended master secret from the session hash of
        /// every message up to and including ClientKeyExchange (RFC 7627 §4); then the key block (RFC 5246 §6.3).
        /// The premaster and the key block are wiped at once.
        /// </summary>
        private void DeriveKeys(int premasterLength)
        {
            DtlsContext c = _ctx;
            if (_session.UsesExtendedMasterSecret)
            {
                Transcript.PeekHash(c.Hash, 0);
                c.Prf.Derive(c.Premaster, 0, premasterLength, TlsLabels.ExtendedMasterSecret, 0, TlsLabels.ExtendedMasterSecret.Length,
                             c.Hash, 0, 32, Secrets, MasterSecret, 48);
            }
            else
            {
                c.Prf.Derive(c.Premaster, 0, premasterLength, TlsLabels.MasterSecret, 0, TlsLabels.MasterSecret.Length,
                             Secrets, ClientRandom, 32, Secrets, ServerRandom, 32, Secrets, MasterSecret, 48);
            }
            System.Array.Clear(c.Premaster, 0, c.Premaster.Length);
            DeriveKeyBlock();
        }

        /// <summary>The key block from the master secret and this handshake's randoms (RFC 5246 §6.3), into the session; wiped at once.</summary>
        private void DeriveKeyBlock()
        {
            DtlsContext c = _ctx;
            byte[] kb = c.KeyBlock;
            c.Prf.Derive(Secrets, MasterSecret, 48, TlsLabels.KeyExpansion, 0, TlsLabels.KeyExpansion.Length,
                         Secrets, ServerRandom, 32, Secrets, ClientRandom, 32, kb, 0, DtlsContext.KeyBlockLength);
            c.Records.SetKeys(_session, kb);
            System.Array.Clear(kb, 0, kb.Length);
            if (c.Config.KeyLog != null)
            {
                c.LogKeys(Secrets, ClientRandom, MasterSecret);
            }
        }

        /// <summary>verify_data = PRF(master_secret, label, Hash(handshake_messages))[0..11] (RFC 5246 §7.4.9).</summary>
        private void ComputeVerifyData(byte[] label)
        {
            Transcript.PeekHash(_ctx.Hash, 0);
            _ctx.Prf.Derive(Secrets, MasterSecret, 48, label, 0, label.Length, _ctx.Hash, 0, 32, _ctx.VerifyData, 0, 12);
        }

        /// <summary>The suite with this index in the engine's list, with this handshake's state for it.</summary>
        private void Select(int index)
        {
            _kx = _ctx.KeyExchanges[index];
            _kxState = _states[index];
            _session.SetCipherSuite(_kx.CipherSuite);
        }
    }
}
