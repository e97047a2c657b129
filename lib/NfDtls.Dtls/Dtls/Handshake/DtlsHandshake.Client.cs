using NfDtls.Crypto;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Dtls.Resumption;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>The client's half of the handshake (RFC 6347 §4.2, flights 1, 3 and 5).</summary>
    internal sealed partial class DtlsHandshake
    {
        /// <summary>Most HelloVerifyRequests we follow before giving up (a server that never accepts its own cookie).</summary>
        private const int MaxHelloVerifyRequests = 4;

        private int CookieLength { get { return (_bits >> CookieLengthShift) & 0xFF; } }

        /// <summary>Starts a handshake: flight 1, a ClientHello without cookie.</summary>
        public void StartClient(long nowMs)
        {
            Reassembler.Reset(0);
            _ctx.Config.Random.GetBytes(Secrets, ClientRandom, 32);
            OfferResumption();
            SendClientHello(nowMs);
        }

        private void SendClientHello(long nowMs)
        {
            DtlsConfig c = _ctx.Config;
            DtlsSession s = _session;
            Flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.ClientHello);
            w.WriteUInt16(ProtocolVersion.Dtls12);
            w.WriteBytes(Secrets, ClientRandom, 32);
            // RFC 5246 §7.4.1.2: the session to resume (or, with a ticket, a fresh ID the server echoes when it
            // accepts it, RFC 5077 §3.4); empty for a new session. The same in both hellos of a cookie exchange.
            WriteOfferedSessionId(ref w);
            int mark = w.BeginVector(1);
            w.WriteBytes(_cookie, 0, CookieLength);
            w.EndVector(mark, 1);
            mark = w.BeginVector(2);
            for (int i = 0; i < c.CipherSuites.Length; i++)
            {
                if (_ctx.FindKeyExchange(c.CipherSuites[i]) != null)
                {
                    w.WriteUInt16(c.CipherSuites[i]);
                }
            }
            w.EndVector(mark, 2);
            w.WriteUInt8(1);
            w.WriteUInt8(0); // null compression only
            mark = w.BeginVector(2);
            if (c.ExtendedMasterSecret)
            {
                w.WriteUInt16(ExtensionType.ExtendedMasterSecret); // RFC 7627 §5.1
                w.WriteUInt16(0);
            }
            w.WriteUInt16(ExtensionType.RenegotiationInfo); // RFC 5746 §3.4: empty renegotiated_connection
            w.WriteUInt16(1);
            w.WriteUInt8(0);
            if (c.SessionTickets)
            {
                WriteSessionTicketExtension(ref w);
            }
            if (c.ConnectionIdLength != 0)
            {
                // RFC 9146 §3: the CID we want to receive (empty: we only send CIDs). Kept across a HelloVerifyRequest
                // so both hellos carry the same extension.
                byte[] st = s.RecordState;
                int own = s.CidArea;
                if (CookieLength == 0)
                {
                    int length = c.ConnectionIdLength > 0 ? c.ConnectionIdLength : 0;
                    st[own] = (byte)length;
                    if (length > 0)
                    {
                        c.Random.GetBytes(st, own + 1, length);
                    }
                }
                w.WriteUInt16(ExtensionType.ConnectionId);
                w.WriteUInt16(1 + st[own]);
                w.WriteUInt8(st[own]);
                w.WriteBytes(st, own + 1, st[own]);
            }
            for (int i = 0; i < c.CipherSuites.Length; i++)
            {
                DtlsKeyExchange offered = _ctx.FindKeyExchange(c.CipherSuites[i]);
                if (offered != null)
                {
                    offered.WriteClientHelloExtensions(ref w);
                }
            }
            w.EndVector(mark, 2);
            if (w.Failed && (_bits & (BitOfferedTicket | BitTicketDropped)) == BitOfferedTicket)
            {
                // The hello with the ticket (and the server's cookie) does not fit our flight buffer: the SessionTicket
                // extension goes empty and the session_id stays (a cookie covers it, RFC 6347 §4.2.1), so the server
                // simply finds no ticket and does a full handshake.
                _bits |= BitTicketDropped;
                SendClientHello(nowMs);
                return;
            }
            // Not hashed yet: only the ClientHello the server answers with ServerHello enters the transcript
            // (RFC 6347 §4.2.1: the first ClientHello and HelloVerifyRequest are excluded).
            if (!EndMessage(ref w, false))
            {
                s.Fail(AlertDescription.InternalError, "ClientHello does not fit the flight buffer");
                return;
            }
            SendNewFlight(ExpectedFlights.ServerHello, nowMs);
        }

        /// <summary>One message of the server's flight 2, 4 or 6, in order and where <see cref="ExpectedFlights"/> allows it.</summary>
        private int ClientMessage(int type, byte[] buffer, int body, int length, int sequence, long nowMs)
        {
            switch (type)
            {
                case HandshakeType.HelloVerifyRequest:
                    return HandleHelloVerifyRequest(buffer, body, length, nowMs);
                case HandshakeType.ServerHello:
                    int chLength;
                    int ch = Flight.FindMessage(HandshakeType.ClientHello, out chLength);
                    Transcript.Update(Flight.Buffer, ch, chLength);
                    HashReceived(type, buffer, body, length, sequence);
                    return HandleServerHello(buffer, body, length);
                case HandshakeType.Certificate:
                    HashReceived(type, buffer, body, length, sequence);
                    return _kx.ReadServerCertificate(this, buffer, body, length);
                case HandshakeType.ServerKeyExchange:
                    HashReceived(type, buffer, body, length, sequence);
                    return _kx.ReadServerKeyExchange(this, buffer, body, length);
                case HandshakeType.CertificateRequest:
                    HashReceived(type, buffer, body, length, sequence);
                    return _kx.ReadCertificateRequest(this, buffer, body, length);
                case HandshakeType.NewSessionTicket:
                    HashReceived(type, buffer, body, length, sequence);
                    return HandleNewSessionTicket(buffer, body, length);
                case HandshakeType.ServerHelloDone:
                    if (length != 0)
                    {
                        return AlertDescription.DecodeError;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    return SendClientKeyExchangeFlight(nowMs);
                case HandshakeType.Finished:
                    ComputeVerifyData(TlsLabels.ServerFinished);
                    if (length != 12 || !ConstantTime.Equals(_ctx.VerifyData, 0, buffer, body, 12))
                    {
                        return AlertDescription.DecryptError;
                    }
                    if (_session.WasResumed)
                    {
                        HashReceived(type, buffer, body, length, sequence);
                        return SendClientFinalFlight(sequence, nowMs);
                    }
                    Timer.Stop();
                    RememberClientSession();
                    _session.Connected();
                    return 0;
                default:
                    return AlertDescription.UnexpectedMessage;
            }
        }

        private int HandleHelloVerifyRequest(byte[] buffer, int body, int length, long nowMs)
        {
            WireReader r = new WireReader(buffer, body, length);
            r.ReadUInt16(); // server_version: DTLS 1.0 by convention (RFC 6347 §4.2.1), not checked
            WireReader cookie = r.ReadVector8();
            if (r.Failed || !r.IsEmpty || cookie.Remaining == 0)
            {
                return AlertDescription.DecodeError;
            }
            int count = ((_bits >> HelloVerifyShift) & 7) + 1;
            if (count > MaxHelloVerifyRequests)
            {
                return AlertDescription.HandshakeFailure;
            }
            int cookieLength = cookie.Remaining;
            System.Array.Copy(buffer, cookie.Position, _cookie, 0, cookieLength);
            _bits = (_bits & ~((7 << HelloVerifyShift) | (0xFF << CookieLengthShift)))
                    | (count << HelloVerifyShift) | (cookieLength << CookieLengthShift);
            SendClientHello(nowMs);
            return 0;
        }

        private int HandleServerHello(byte[] buffer, int body, int length)
        {
            WireReader r = new WireReader(buffer, body, length);
            int version = r.ReadUInt16();
            r.CopyTo(Secrets, ServerRandom, 32);
            WireReader sessionId = r.ReadVector8();
            int suite = r.ReadUInt16();
            int compression = r.ReadUInt8();
            bool ems = false;
            bool renegotiationOk = true;
            int cidAlert = 0;
            WireReader extensions = new WireReader(buffer, body, 0);
            if (!r.Failed && !r.IsEmpty)
            {
                WireReader ext = r.ReadVector16();
                extensions = ext;
                while (!ext.Failed && !ext.IsEmpty)
                {
                    int t = ext.ReadUInt16();
                    WireReader data = ext.ReadVector16();
                    if (t == ExtensionType.ExtendedMasterSecret)
                    {
                        ems = data.Remaining == 0;
                    }
                    else if (t == ExtensionType.RenegotiationInfo)
                    {
                        // RFC 5746 §3.4: must be the empty renegotiated_connection.
                        renegotiationOk = data.Remaining == 1 && data.ReadUInt8() == 0;
                    }
                    else if (t == ExtensionType.ConnectionId)
                    {
                        cidAlert = ReadServerConnectionId(ref data);
                    }
                    else if (t == ExtensionType.SessionTicket)
                    {
                        // RFC 5077 §3.2: empty, and only as an answer to ours; a NewSessionTicket will follow
                        if (!_ctx.Config.SessionTickets || data.Remaining != 0)
                        {
                            cidAlert = AlertDescription.UnsupportedExtension;
                        }
                        _bits |= BitTicket;
                    }
                }
                if (ext.Failed)
                {
                    r.Fail();
                }
            }
            if (r.Failed || !r.IsEmpty || sessionId.Remaining > 32)
            {
                return AlertDescription.DecodeError;
            }
            if (version != ProtocolVersion.Dtls12)
            {
                return AlertDescription.ProtocolVersion;
            }
            if (!renegotiationOk)
            {
                return AlertDescription.HandshakeFailure;
            }
            if (cidAlert != 0)
            {
                return cidAlert;
            }
            int index = _ctx.IndexOfKeyExchange(suite);
            if (index < 0 || compression != 0)
            {
                return AlertDescription.IllegalParameter;
            }
            Select(index);
            // the suite's own extensions (certificate types, point formats)
            while (!extensions.Failed && !extensions.IsEmpty)
            {
                int t = extensions.ReadUInt16();
                WireReader data = extensions.ReadVector16();
                if (t != ExtensionType.ExtendedMasterSecret && t != ExtensionType.RenegotiationInfo && t != ExtensionType.ConnectionId
                    && t != ExtensionType.SessionTicket)
                {
                    int extAlert = _kx.ReadServerHelloExtension(this, t, buffer, data.Position, data.Remaining);
                    if (extAlert != 0)
                    {
                        return extAlert;
                    }
                }
            }
            _session.SetFlag(DtlsSession.FlagExtendedMasterSecret, ems && _ctx.Config.ExtendedMasterSecret);
            if (ServerResumes(buffer, sessionId.Position, sessionId.Remaining))
            {
                return ResumeClient(suite, ems);
            }
            // A full handshake: the session ID the server gave (maybe none) is the one to resume later; what we held
            // before is gone (the server declined it, RFC 5246 §7.4.1.3).
            ClientResumption.StartOver(_ctx.Resumption, buffer, sessionId.Position, sessionId.Remaining);
            return 0;
        }

        /// <summary>
        /// ServerHello connection_id (RFC 9146 §3): the CID the server wants in our records. Only an answer to our
        /// offer (RFC 5246 §7.4.1.4: unsolicited → unsupported_extension); longer than we keep → illegal_parameter.
        /// </summary>
        private int ReadServerConnectionId(ref WireReader data)
        {
            if (_ctx.Config.ConnectionIdLength == 0)
            {
                return AlertDescription.UnsupportedExtension;
            }
            WireReader cid = data.ReadVector8();
            if (data.Failed || !data.IsEmpty)
            {
                return AlertDescription.DecodeError;
            }
            if (cid.Remaining > RecordProtection.MaxCidLength)
            {
                return AlertDescription.IllegalParameter;
            }
            byte[] st = _session.RecordState;
            int peer = _session.CidArea + 1 + RecordProtection.MaxCidLength;
            st[peer] = (byte)cid.Remaining;
            cid.CopyTo(st, peer + 1, cid.Remaining);
            _session.SetFlag(DtlsSession.FlagCid, true);
            return 0;
        }

        /// <summary>Flight 5: [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished (the first record of epoch 1).</summary>
        private int SendClientKeyExchangeFlight(long nowMs)
        {
            Flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.Certificate);
            if (_kx.WriteClientCertificate(this, Flight, ref w) && !EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ClientKeyExchange);
            int premasterLength;
            int alert = _kx.WriteClientKeyExchange(this, ref w, _ctx.Premaster, out premasterLength);
            if (alert != 0)
            {
                System.Array.Clear(_ctx.Premaster, 0, _ctx.Premaster.Length);
                return alert;
            }
            if (!EndMessage(ref w, true))
            {
                System.Array.Clear(_ctx.Premaster, 0, _ctx.Premaster.Length);
                return AlertDescription.InternalError;
            }
            DeriveKeys(premasterLength);
            w = BeginMessage(0, HandshakeType.CertificateVerify);
            if (_kx.WriteCertificateVerify(this, ref w) && !EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            return SendFlightEndingInFinished(TlsLabels.ClientFinished, ExpectedFlights.ServerFinished, nowMs);
        }
    }
}
