using NfDtls.Crypto;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Dtls
{
    /// <summary>The client's half of the handshake (RFC 6347 §4.2, flights 1, 3 and 5).</summary>
    public sealed partial class DtlsSession
    {
        /// <summary>Most HelloVerifyRequests we follow before giving up (a server that never accepts its own cookie).</summary>
        private const int MaxHelloVerifyRequests = 4;

        /// <summary>Starts a handshake towards <paramref name="server"/>: flight 1, a ClientHello without cookie.</summary>
        internal void StartClient(PeerAddress server, long nowMs)
        {
            ResetForHandshake(nowMs);
            _peer.CopyFrom(server);
            _ctx.Config.Random.GetBytes(_clientRandom, 0, 32);
            SendClientHello(nowMs);
        }

        private void SendClientHello(long nowMs)
        {
            DtlsConfig c = _ctx.Config;
            _flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.ClientHello);
            w.WriteUInt16(ProtocolVersion.Dtls12);
            w.WriteBytes(_clientRandom, 0, 32);
            w.WriteUInt8(0); // no session id: no resumption in this profile
            int mark = w.BeginVector(1);
            w.WriteBytes(_cookie, 0, _cookieLength);
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
            if (c.ConnectionIdLength != 0)
            {
                // RFC 9146 §3: the CID we want to receive (empty: we only send CIDs). Kept across a HelloVerifyRequest
                // so both hellos carry the same extension.
                if (_cookieLength == 0)
                {
                    _ownCidLength = c.ConnectionIdLength > 0 ? c.ConnectionIdLength : 0;
                    if (_ownCidLength > 0)
                    {
                        c.Random.GetBytes(_ownCid, 0, _ownCidLength);
                    }
                }
                w.WriteUInt16(ExtensionType.ConnectionId);
                w.WriteUInt16(1 + _ownCidLength);
                w.WriteUInt8(_ownCidLength);
                w.WriteBytes(_ownCid, 0, _ownCidLength);
            }
            for (int i = 0; i < c.CipherSuites.Length; i++)
            {
                DtlsKeyExchange offered = _ctx.FindKeyExchange(c.CipherSuites[i]);
                if (offered != null)
                {
                    offered.WriteClientHelloExtensions(this, ref w);
                }
            }
            w.EndVector(mark, 2);
            // Not hashed yet: only the ClientHello the server answers with ServerHello enters the transcript
            // (RFC 6347 §4.2.1: the first ClientHello and HelloVerifyRequest are excluded).
            if (!EndMessage(ref w, false))
            {
                Fail(Handshake.AlertDescription.InternalError, "ClientHello does not fit the flight buffer");
                return;
            }
            _step = StepClientWaitServerHello;
            SendFlight();
            _timer.Start(nowMs);
        }

        private int HandleClientMessage(int type, byte[] buffer, int body, int length, int sequence, long nowMs)
        {
            switch (_step)
            {
                case StepClientWaitServerHello:
                    if (type == HandshakeType.HelloVerifyRequest)
                    {
                        return HandleHelloVerifyRequest(buffer, body, length, nowMs);
                    }
                    if (type == HandshakeType.ServerHello)
                    {
                        int chLength;
                        int ch = _flight.FindMessage(HandshakeType.ClientHello, out chLength);
                        _transcript.Update(_flight.Buffer, ch, chLength);
                        HashReceived(type, buffer, body, length, sequence);
                        _timer.Stop(); // the server got our hello; its own timer now drives flight 4
                        return HandleServerHello(buffer, body, length);
                    }
                    return Handshake.AlertDescription.UnexpectedMessage;
                case StepClientWaitServerHelloDone:
                    HashReceived(type, buffer, body, length, sequence);
                    switch (type)
                    {
                        case HandshakeType.Certificate:
                            return _keyExchange.ReadServerCertificate(this, buffer, body, length);
                        case HandshakeType.ServerKeyExchange:
                            _serverKeyExchangeSeen = true;
                            return _keyExchange.ReadServerKeyExchange(this, buffer, body, length);
                        case HandshakeType.CertificateRequest:
                            return _keyExchange.ReadCertificateRequest(this, buffer, body, length);
                        case HandshakeType.ServerHelloDone:
                            if (length != 0 || (_keyExchange.RequiresServerKeyExchange && !_serverKeyExchangeSeen))
                            {
                                return Handshake.AlertDescription.UnexpectedMessage;
                            }
                            return SendClientKeyExchangeFlight(nowMs);
                        default:
                            return Handshake.AlertDescription.UnexpectedMessage;
                    }
                case StepClientWaitServerFinished:
                    if (type != HandshakeType.Finished)
                    {
                        return Handshake.AlertDescription.UnexpectedMessage;
                    }
                    ComputeVerifyData(TlsLabels.ServerFinished);
                    if (length != 12 || !ConstantTime.Equals(_ctx.VerifyData, 0, buffer, body, 12))
                    {
                        return Handshake.AlertDescription.DecryptError;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    _step = StepDone;
                    _timer.Stop();
                    _state = DtlsSessionState.Connected;
                    if (_ctx.Log.Enabled)
                    {
                        _ctx.Log.Write(string.Concat(Who(), "connected, ", Dtls.CipherSuite.Name(_cipherSuite), _extendedMasterSecret ? ", extended master secret" : ""));
                    }
                    _ctx.Events.OnConnected(this);
                    return 0;
                case StepDone:
                    if (type == HandshakeType.HelloRequest)
                    {
                        // RFC 5746 / RFC 7925: no renegotiation.
                        SendAlert(Handshake.AlertDescription.LevelWarning, Handshake.AlertDescription.NoRenegotiation);
                    }
                    return 0;
                default:
                    return 0;
            }
        }

        private bool _serverKeyExchangeSeen;

        private int HandleHelloVerifyRequest(byte[] buffer, int body, int length, long nowMs)
        {
            WireReader r = new WireReader(buffer, body, length);
            r.ReadUInt16(); // server_version: DTLS 1.0 by convention (RFC 6347 §4.2.1), not checked
            WireReader cookie = r.ReadVector8();
            if (r.Failed || !r.IsEmpty || cookie.Remaining == 0)
            {
                return Handshake.AlertDescription.DecodeError;
            }
            if (++_helloVerifyCount > MaxHelloVerifyRequests)
            {
                return Handshake.AlertDescription.HandshakeFailure;
            }
            _cookieLength = cookie.Remaining;
            System.Array.Copy(buffer, cookie.Position, _cookie, 0, _cookieLength);
            // A stateless server answers the next hello from fresh state; one that does not continue from our
            // record numbers (§4.2.1 only says SHOULD) may start again at 0: do not mistake that for a replay.
            _window0.Reset();
            SendClientHello(nowMs);
            return 0;
        }

        private int HandleServerHello(byte[] buffer, int body, int length)
        {
            WireReader r = new WireReader(buffer, body, length);
            int version = r.ReadUInt16();
            r.CopyTo(_serverRandom, 0, 32);
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
                }
                if (ext.Failed)
                {
                    r.Fail();
                }
            }
            if (r.Failed || !r.IsEmpty || sessionId.Remaining > 32)
            {
                return Handshake.AlertDescription.DecodeError;
            }
            if (version != ProtocolVersion.Dtls12)
            {
                return Handshake.AlertDescription.ProtocolVersion;
            }
            if (!renegotiationOk)
            {
                return Handshake.AlertDescription.HandshakeFailure;
            }
            if (cidAlert != 0)
            {
                return cidAlert;
            }
            DtlsKeyExchange kx = _ctx.FindKeyExchange(suite);
            if (kx == null || compression != 0)
            {
                return Handshake.AlertDescription.IllegalParameter;
            }
            // the suite's own extensions (certificate types, point formats)
            while (!extensions.Failed && !extensions.IsEmpty)
            {
                int t = extensions.ReadUInt16();
                WireReader data = extensions.ReadVector16();
                if (t != ExtensionType.ExtendedMasterSecret && t != ExtensionType.RenegotiationInfo && t != ExtensionType.ConnectionId)
                {
                    int extAlert = kx.ReadServerHelloExtension(this, t, buffer, data.Position, data.Remaining);
                    if (extAlert != 0)
                    {
                        return extAlert;
                    }
                }
            }
            _keyExchange = kx;
            _cipherSuite = suite;
            _extendedMasterSecret = ems && _ctx.Config.ExtendedMasterSecret;
            _serverKeyExchangeSeen = false;
            _step = StepClientWaitServerHelloDone;
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
                return Handshake.AlertDescription.UnsupportedExtension;
            }
            WireReader cid = data.ReadVector8();
            if (data.Failed || !data.IsEmpty)
            {
                return Handshake.AlertDescription.DecodeError;
            }
            if (cid.Remaining > RecordProtection.MaxCidLength)
            {
                return Handshake.AlertDescription.IllegalParameter;
            }
            _peerCidLength = cid.Remaining;
            cid.CopyTo(_peerCid, 0, _peerCidLength);
            _cidInUse = true;
            return 0;
        }

        /// <summary>Flight 5: ClientKeyExchange, ChangeCipherSpec, Finished (the first record of epoch 1).</summary>
        private int SendClientKeyExchangeFlight(long nowMs)
        {
            _flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.Certificate);
            if (_keyExchange.WriteClientCertificate(this, ref w) && !EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ClientKeyExchange);
            int premasterLength;
            int alert = _keyExchange.WriteClientKeyExchange(this, ref w, _ctx.Premaster, out premasterLength);
            if (alert != 0)
            {
                return alert;
            }
            if (!EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            DeriveKeys(premasterLength);
            w = BeginMessage(0, HandshakeType.CertificateVerify);
            if (_keyExchange.WriteCertificateVerify(this, ref w) && !EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            _flight.AddChangeCipherSpec();
            ComputeVerifyData(TlsLabels.ClientFinished);
            w = BeginMessage(1, HandshakeType.Finished);
            w.WriteBytes(_ctx.VerifyData, 0, 12);
            if (!EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            _writeEpoch = 1;
            _step = StepClientWaitServerFinished;
            SendFlight();
            _timer.Start(nowMs);
            return 0;
        }
    }
}
