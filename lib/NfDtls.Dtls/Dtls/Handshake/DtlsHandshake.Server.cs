using NfDtls.Crypto;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Dtls.Resumption;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>The server's half of the handshake (RFC 6347 §4.2, flights 4 and 6). A handshake only starts after a valid cookie.</summary>
    internal sealed partial class DtlsHandshake
    {
        /// <summary>
        /// Starts a server handshake from a ClientHello that carried a valid cookie (the record in <paramref name="h"/>).
        /// The ServerHello takes the hello's message_seq and our record numbers continue from the hello's
        /// (RFC 6347 §4.2.1/§4.2.2), as a stateless server that answered with HelloVerifyRequest would.
        /// </summary>
        public void StartServer(byte[] buffer, ref RecordHeader h, int messageSequence, long nowMs)
        {
            Reassembler.Reset(messageSequence);
            _nextSendSequence = messageSequence;
            SessionLayout.WriteLong(_session.RecordState, SessionLayout.WriteSequence0, 6, h.Sequence);
            _awaited = ExpectedFlights.ClientHello;
            _cursor = 0;
            ReceiveFragments(buffer, h.FragmentOffset, h.FragmentLength, 0, nowMs);
        }

        /// <summary>One message of the client's flight 3 or 5, in order and where <see cref="ExpectedFlights"/> allows it.</summary>
        private int ServerMessage(int type, byte[] buffer, int body, int length, int sequence, long nowMs)
        {
            switch (type)
            {
                case HandshakeType.ClientHello:
                    HashReceived(type, buffer, body, length, sequence);
                    return HandleClientHello(buffer, body, length, nowMs);
                case HandshakeType.Certificate:
                    // RFC 5246 §7.4.6: the client's Certificate comes first when we asked for one
                    HashReceived(type, buffer, body, length, sequence);
                    return _kx.ReadClientCertificate(this, buffer, body, length);
                case HandshakeType.ClientKeyExchange:
                    HashReceived(type, buffer, body, length, sequence);
                    int premasterLength;
                    int alert = _kx.ReadClientKeyExchange(this, buffer, body, length, _ctx.Premaster, out premasterLength);
                    if (alert != 0)
                    {
                        System.Array.Clear(_ctx.Premaster, 0, _ctx.Premaster.Length);
                        return alert;
                    }
                    // The timer of flight 4 keeps running: the flight it answers is not complete before its Finished
                    // (RFC 6347 §4.2.4: partial reads do not reset timers; issue 16, finding 5b).
                    DeriveKeys(premasterLength);
                    _session.SetFlag(DtlsSession.FlagAwaitedPeerFinished, true);
                    return 0;
                case HandshakeType.CertificateVerify:
                    // RFC 5246 §7.4.8: signed over every message before this one
                    alert = _kx.ReadCertificateVerify(this, buffer, body, length);
                    if (alert != 0)
                    {
                        return alert;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    return 0;
                case HandshakeType.Finished:
                    ComputeVerifyData(TlsLabels.ClientFinished);
                    if (length != 12 || !ConstantTime.Equals(_ctx.VerifyData, 0, buffer, body, 12))
                    {
                        return AlertDescription.DecryptError;
                    }
                    if (_session.WasResumed)
                    {
                        // RFC 5246 §7.3: the client's Finished ends an abbreviated handshake; our flight is done.
                        Timer.Stop();
                        _session.Connected();
                        return 0;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    return SendServerFinishedFlight(sequence, nowMs);
                default:
                    return AlertDescription.UnexpectedMessage;
            }
        }

        private int HandleClientHello(byte[] buffer, int body, int length, long nowMs)
        {
            ClientHelloView view;
            if (!ClientHelloView.TryParse(buffer, body, length, out view))
            {
                return AlertDescription.DecodeError;
            }
            // DTLS versions count down: 0xFEFD (1.2) is "higher" than 0xFEFF (1.0). We speak 1.2 only.
            if (view.Version > ProtocolVersion.Dtls12)
            {
                return AlertDescription.ProtocolVersion;
            }
            if (!view.OffersNullCompression(buffer))
            {
                return AlertDescription.IllegalParameter;
            }
            int chosen = -1;
            int[] suites = _ctx.Config.CipherSuites;
            for (int i = 0; i < suites.Length && chosen < 0; i++)
            {
                int index = _ctx.IndexOfKeyExchange(suites[i]);
                if (index >= 0 && view.OffersSuite(buffer, suites[i])
                    && _ctx.KeyExchanges[index].AcceptsClientHello(this, _states[index], buffer, ref view))
                {
                    chosen = index;
                }
            }
            if (chosen < 0)
            {
                return AlertDescription.HandshakeFailure;
            }
            int dataLength;
            bool ems = view.FindExtension(buffer, ExtensionType.ExtendedMasterSecret, out dataLength) >= 0 && dataLength == 0;
            int reneg = view.FindExtension(buffer, ExtensionType.RenegotiationInfo, out dataLength);
            if (reneg >= 0 && (dataLength != 1 || buffer[reneg] != 0))
            {
                return AlertDescription.HandshakeFailure; // RFC 5746 §3.6: must be empty on a first handshake
            }
            if (reneg >= 0 || view.OffersSuite(buffer, ExtensionType.EmptyRenegotiationInfoScsv))
            {
                _bits |= BitPeerOfferedRenegotiationInfo;
            }
            int cid = view.FindExtension(buffer, ExtensionType.ConnectionId, out dataLength);
            if (cid >= 0 && _ctx.Config.ConnectionIdLength > 0)
            {
                // RFC 9146 §3: opaque cid<0..255>, the CID the client wants to receive (empty: none).
                if (dataLength < 1 || buffer[cid] != dataLength - 1)
                {
                    return AlertDescription.DecodeError;
                }
                if (buffer[cid] <= RecordProtection.MaxCidLength) // a longer one: we decline (no extension in ServerHello)
                {
                    byte[] st = _session.RecordState;
                    int peer = _session.CidArea + 1 + RecordProtection.MaxCidLength;
                    st[peer] = buffer[cid];
                    System.Array.Copy(buffer, cid + 1, st, peer + 1, buffer[cid]);
                    IssueConnectionId();
                    _session.SetFlag(DtlsSession.FlagCid, true);
                }
            }
            ems = ems && _ctx.Config.ExtendedMasterSecret;
            _session.SetFlag(DtlsSession.FlagExtendedMasterSecret, ems);
            System.Array.Copy(buffer, view.RandomOffset, Secrets, ClientRandom, 32);
            System.Array.Copy(buffer, view.RandomOffset, _session.RecordState, SessionLayout.ClientRandomTag, SessionLayout.ClientRandomTagLength);
            _ctx.Config.Random.GetBytes(Secrets, ServerRandom, 32);
            if (FindResumableSession(buffer, ref view, ems, nowMs) >= 0)
            {
                return SendResumedServerFlight(buffer, ref view, nowMs);
            }
            Select(chosen);
            return SendServerHelloFlight(nowMs);
        }

        /// <summary>
        /// A fresh CID from the DRBG whose first two bytes are the session's slot masked with the server's secret
        /// <see cref="DtlsContext.CidSlotMask"/>, so <see cref="DtlsServer"/> finds the session of a tls12_cid record in
        /// one step whatever the table size; the random rest tells this session apart from the slot's earlier owners.
        /// </summary>
        private void IssueConnectionId()
        {
            int length = _ctx.Config.ConnectionIdLength;
            byte[] st = _session.RecordState;
            int own = _session.CidArea;
            _ctx.Config.Random.GetBytes(st, own + 1, length);
            int tag = (_session.Slot ^ _ctx.CidSlotMask) & 0xFFFF;
            st[own] = (byte)length;
            st[own + 1] = (byte)(tag >> 8);
            st[own + 2] = (byte)tag;
        }

        /// <summary>The slot a CID issued by <see cref="IssueConnectionId"/> names (not yet checked against the session).</summary>
        public static int SlotOfConnectionId(DtlsContext ctx, byte[] buffer, int offset)
        {
            return (((buffer[offset] << 8) | buffer[offset + 1]) ^ ctx.CidSlotMask) & 0xFFFF;
        }

        /// <summary>Flight 4: ServerHello, [Certificate], [ServerKeyExchange], [CertificateRequest], ServerHelloDone.</summary>
        private int SendServerHelloFlight(long nowMs)
        {
            Flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.ServerHello);
            WriteServerHelloBody(ref w, null, 0, 0);
            if (!EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.Certificate);
            if (_kx.WriteServerCertificate(this, Flight, ref w) && !EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ServerKeyExchange);
            if (_kx.WriteServerKeyExchange(this, ref w) && !EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.CertificateRequest);
            if (_kx.WriteCertificateRequest(this, ref w) && !EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ServerHelloDone);
            if (!EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            SendNewFlight(ExpectedFlights.ClientFinished, nowMs);
            return 0;
        }

        /// <summary>
        /// The ServerHello body: our random, the session ID (on resumption the client's, <paramref name="echo"/>; in a
        /// full handshake a new random one when the session will be cached — with the extended master secret only —,
        /// else none, RFC 5246 §7.4.1.3), the suite, and the extensions answering the client's (the suite's own only in
        /// a full handshake; an empty SessionTicket when a NewSessionTicket will follow, RFC 5077 §3.2).
        /// </summary>
        private void WriteServerHelloBody(ref WireWriter w, byte[] echo, int echoOffset, int echoLength)
        {
            DtlsSession s = _session;
            bool full = echo == null;
            w.WriteUInt16(ProtocolVersion.Dtls12);
            w.WriteBytes(Secrets, ServerRandom, 32);
            if (full && s.UsesExtendedMasterSecret && _ctx.Server.Resumption != null && _ctx.Server.Resumption.Cache != null)
            {
                w.WriteUInt8(SessionCache.SessionIdLength);
                int at = w.Position;
                w.WriteZeros(SessionCache.SessionIdLength);
                if (!w.Failed)
                {
                    _ctx.Config.Random.GetBytes(Flight.Buffer, at, SessionCache.SessionIdLength);
                }
            }
            else
            {
                w.WriteUInt8(echoLength);
                if (echoLength > 0)
                {
                    w.WriteBytes(echo, echoOffset, echoLength);
                }
            }
            w.WriteUInt16(_kx.CipherSuite);
            w.WriteUInt8(0);
            bool reneg = (_bits & BitPeerOfferedRenegotiationInfo) != 0;
            bool ticket = (_bits & BitTicket) != 0;
            bool kxExtensions = full && _kx.HasServerHelloExtensions(this);
            if (s.UsesExtendedMasterSecret || reneg || s.UsesConnectionId || ticket || kxExtensions)
            {
                int mark = w.BeginVector(2);
                if (kxExtensions)
                {
                    _kx.WriteServerHelloExtensions(this, ref w);
                }
                if (ticket)
                {
                    w.WriteUInt16(ExtensionType.SessionTicket);
                    w.WriteUInt16(0);
                }
                if (s.UsesConnectionId)
                {
                    // RFC 9146 §3: the CID we want in the client's records
                    byte[] st = s.RecordState;
                    int own = s.CidArea;
                    w.WriteUInt16(ExtensionType.ConnectionId);
                    w.WriteUInt16(1 + st[own]);
                    w.WriteUInt8(st[own]);
                    w.WriteBytes(st, own + 1, st[own]);
                }
                if (s.UsesExtendedMasterSecret)
                {
                    w.WriteUInt16(ExtensionType.ExtendedMasterSecret);
                    w.WriteUInt16(0);
                }
                if (reneg)
                {
                    w.WriteUInt16(ExtensionType.RenegotiationInfo);
                    w.WriteUInt16(1);
                    w.WriteUInt8(0);
                }
                w.EndVector(mark, 2);
            }
        }

        /// <summary>
        /// Flight 6: ChangeCipherSpec, Finished. The final flight has no timer and needs no handshake: what it takes to
        /// send it again (verify_data, message_seq) stays in the session, which resends it when the client repeats its
        /// Finished (RFC 6347 §4.2.4). The handshake goes back to the pool at once.
        /// </summary>
        private int SendServerFinishedFlight(int clientFinishedSequence, long nowMs)
        {
            DtlsSession s = _session;
            RememberFullSession(nowMs); // the cache entry, and the NewSessionTicket before our Finished
            SendFinalFlight(TlsLabels.ServerFinished, clientFinishedSequence, nowMs);
            s.Connected();
            return 0;
        }
    }
}
