using NfDtls.Crypto;
using NfDtls.Dtls.Handshake;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Dtls
{
    /// <summary>The server's half of the handshake (RFC 6347 §4.2, flights 4 and 6). A session only exists after a valid cookie.</summary>
    public sealed partial class DtlsSession
    {
        /// <summary>
        /// Starts a server handshake from a ClientHello that carried a valid cookie (the record in <paramref name="h"/>).
        /// The ServerHello takes the hello's message_seq and our record numbers continue from the hello's
        /// (RFC 6347 §4.2.1/§4.2.2), as a stateless server that answered with HelloVerifyRequest would.
        /// </summary>
        internal void StartServer(PeerAddress client, byte[] buffer, ref RecordHeader h, int messageSequence, long nowMs)
        {
            ResetForHandshake(nowMs);
            _peer.CopyFrom(client);
            _reassembler.Reset(messageSequence);
            _nextSendSequence = messageSequence;
            _writeSequence[0] = h.Sequence;
            _step = StepServerWaitClientHello;
            ReceiveRecord(buffer, ref h, nowMs);
        }

        /// <summary>
        /// A fresh CID from the DRBG whose first two bytes are this session's slot masked with the server's secret
        /// <see cref="DtlsContext.CidSlotMask"/>, so <see cref="DtlsServer"/> finds the session of a tls12_cid record in
        /// one step whatever the table size; the random rest tells this session apart from the slot's earlier owners.
        /// </summary>
        private void IssueConnectionId()
        {
            int length = _ctx.Config.ConnectionIdLength;
            _ctx.Config.Random.GetBytes(_ownCid, 0, length);
            int tag = (Slot ^ _ctx.CidSlotMask) & 0xFFFF;
            _ownCid[0] = (byte)(tag >> 8);
            _ownCid[1] = (byte)tag;
            _ownCidLength = length;
        }

        /// <summary>The slot a CID issued by <see cref="IssueConnectionId"/> names (not yet checked against the session).</summary>
        internal static int SlotOfConnectionId(DtlsContext ctx, byte[] buffer, int offset)
        {
            return (((buffer[offset] << 8) | buffer[offset + 1]) ^ ctx.CidSlotMask) & 0xFFFF;
        }

        private int HandleServerMessage(int type, byte[] buffer, int body, int length, int sequence, long nowMs)
        {
            switch (_step)
            {
                case StepServerWaitClientHello:
                    if (type != HandshakeType.ClientHello)
                    {
                        return Handshake.AlertDescription.UnexpectedMessage;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    return HandleClientHello(buffer, body, length, nowMs);
                case StepServerWaitClientKeyExchange:
                    if (type == HandshakeType.Certificate && !_clientCertificateSeen && _keyExchange.ExpectsClientCertificate(this))
                    {
                        // RFC 5246 §7.4.6: the client's Certificate comes first when we asked for one
                        HashReceived(type, buffer, body, length, sequence);
                        _clientCertificateSeen = true;
                        return _keyExchange.ReadClientCertificate(this, buffer, body, length);
                    }
                    if (type != HandshakeType.ClientKeyExchange
                        || (!_clientCertificateSeen && _keyExchange.ExpectsClientCertificate(this)))
                    {
                        return Handshake.AlertDescription.UnexpectedMessage;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    int premasterLength;
                    int alert = _keyExchange.ReadClientKeyExchange(this, buffer, body, length, _ctx.Premaster, out premasterLength);
                    if (alert != 0)
                    {
                        return alert;
                    }
                    _timer.Stop(); // the client has flight 4; its timer now drives flight 5
                    DeriveKeys(premasterLength);
                    _step = _keyExchange.ExpectsCertificateVerify(this) ? StepServerWaitCertificateVerify : StepServerWaitClientFinished;
                    return 0;
                case StepServerWaitCertificateVerify:
                    if (type != HandshakeType.CertificateVerify)
                    {
                        return Handshake.AlertDescription.UnexpectedMessage;
                    }
                    // RFC 5246 §7.4.8: signed over every message before this one
                    alert = _keyExchange.ReadCertificateVerify(this, buffer, body, length);
                    if (alert != 0)
                    {
                        return alert;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    _step = StepServerWaitClientFinished;
                    return 0;
                case StepServerWaitClientFinished:
                    if (type != HandshakeType.Finished)
                    {
                        return Handshake.AlertDescription.UnexpectedMessage;
                    }
                    ComputeVerifyData(TlsLabels.ClientFinished);
                    if (length != 12 || !ConstantTime.Equals(_ctx.VerifyData, 0, buffer, body, 12))
                    {
                        return Handshake.AlertDescription.DecryptError;
                    }
                    HashReceived(type, buffer, body, length, sequence);
                    return SendServerFinishedFlight(nowMs);
                case StepDone:
                    if (type == HandshakeType.ClientHello)
                    {
                        // A ClientHello inside the protected epoch is a renegotiation: refused (RFC 5746, RFC 7925 §17).
                        SendAlert(Handshake.AlertDescription.LevelWarning, Handshake.AlertDescription.NoRenegotiation);
                    }
                    return 0;
                default:
                    return 0;
            }
        }

        private int HandleClientHello(byte[] buffer, int body, int length, long nowMs)
        {
            ClientHelloView view;
            if (!ClientHelloView.TryParse(buffer, body, length, out view))
            {
                return Handshake.AlertDescription.DecodeError;
            }
            // DTLS versions count down: 0xFEFD (1.2) is "higher" than 0xFEFF (1.0). We speak 1.2 only.
            if (view.Version > ProtocolVersion.Dtls12)
            {
                return Handshake.AlertDescription.ProtocolVersion;
            }
            if (!view.OffersNullCompression(buffer))
            {
                return Handshake.AlertDescription.IllegalParameter;
            }
            DtlsKeyExchange kx = null;
            int[] suites = _ctx.Config.CipherSuites;
            for (int i = 0; i < suites.Length && kx == null; i++)
            {
                if (view.OffersSuite(buffer, suites[i]))
                {
                    DtlsKeyExchange candidate = _ctx.FindKeyExchange(suites[i]);
                    if (candidate != null && candidate.AcceptsClientHello(this, buffer, ref view))
                    {
                        kx = candidate;
                    }
                }
            }
            if (kx == null)
            {
                return Handshake.AlertDescription.HandshakeFailure;
            }
            int dataLength;
            bool ems = view.FindExtension(buffer, ExtensionType.ExtendedMasterSecret, out dataLength) >= 0 && dataLength == 0;
            int reneg = view.FindExtension(buffer, ExtensionType.RenegotiationInfo, out dataLength);
            if (reneg >= 0 && (dataLength != 1 || buffer[reneg] != 0))
            {
                return Handshake.AlertDescription.HandshakeFailure; // RFC 5746 §3.6: must be empty on a first handshake
            }
            _peerOfferedRenegotiationInfo = reneg >= 0 || view.OffersSuite(buffer, ExtensionType.EmptyRenegotiationInfoScsv);
            int cid = view.FindExtension(buffer, ExtensionType.ConnectionId, out dataLength);
            if (cid >= 0 && _ctx.Config.ConnectionIdLength > 0)
            {
                // RFC 9146 §3: opaque cid<0..255>, the CID the client wants to receive (empty: none).
                if (dataLength < 1 || buffer[cid] != dataLength - 1)
                {
                    return Handshake.AlertDescription.DecodeError;
                }
                if (buffer[cid] <= RecordProtection.MaxCidLength) // a longer one: we decline (no extension in ServerHello)
                {
                    _peerCidLength = buffer[cid];
                    System.Array.Copy(buffer, cid + 1, _peerCid, 0, _peerCidLength);
                    IssueConnectionId();
                    _cidInUse = true;
                }
            }
            _keyExchange = kx;
            _cipherSuite = kx.CipherSuite;
            _extendedMasterSecret = ems && _ctx.Config.ExtendedMasterSecret;
            System.Array.Copy(buffer, view.RandomOffset, _clientRandom, 0, 32);
            _ctx.Config.Random.GetBytes(_serverRandom, 0, 32);
            return SendServerHelloFlight(nowMs);
        }

        /// <summary>Flight 4: ServerHello, [Certificate], [ServerKeyExchange], [CertificateRequest], ServerHelloDone.</summary>
        private int SendServerHelloFlight(long nowMs)
        {
            _flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.ServerHello);
            w.WriteUInt16(ProtocolVersion.Dtls12);
            w.WriteBytes(_serverRandom, 0, 32);
            w.WriteUInt8(0); // empty session id: sessions are not resumable
            w.WriteUInt16(_cipherSuite);
            w.WriteUInt8(0);
            if (_extendedMasterSecret || _peerOfferedRenegotiationInfo || _cidInUse || _keyExchange.HasServerHelloExtensions(this))
            {
                int mark = w.BeginVector(2);
                _keyExchange.WriteServerHelloExtensions(this, ref w);
                if (_cidInUse)
                {
                    w.WriteUInt16(ExtensionType.ConnectionId); // RFC 9146 §3: the CID we want in the client's records
                    w.WriteUInt16(1 + _ownCidLength);
                    w.WriteUInt8(_ownCidLength);
                    w.WriteBytes(_ownCid, 0, _ownCidLength);
                }
                if (_extendedMasterSecret)
                {
                    w.WriteUInt16(ExtensionType.ExtendedMasterSecret);
                    w.WriteUInt16(0);
                }
                if (_peerOfferedRenegotiationInfo)
                {
                    w.WriteUInt16(ExtensionType.RenegotiationInfo);
                    w.WriteUInt16(1);
                    w.WriteUInt8(0);
                }
                w.EndVector(mark, 2);
            }
            if (!EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.Certificate);
            if (_keyExchange.WriteServerCertificate(this, ref w) && !EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ServerKeyExchange);
            if (_keyExchange.WriteServerKeyExchange(this, ref w) && !EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.CertificateRequest);
            if (_keyExchange.WriteCertificateRequest(this, ref w) && !EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            w = BeginMessage(0, HandshakeType.ServerHelloDone);
            if (!EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            _step = StepServerWaitClientKeyExchange;
            SendFlight();
            _timer.Start(nowMs);
            return 0;
        }

        /// <summary>Flight 6: ChangeCipherSpec, Finished. The final flight has no timer: it is resent when the client repeats flight 5.</summary>
        private int SendServerFinishedFlight(long nowMs)
        {
            _flight.Clear();
            _flight.AddChangeCipherSpec();
            ComputeVerifyData(TlsLabels.ServerFinished);
            WireWriter w = BeginMessage(1, HandshakeType.Finished);
            w.WriteBytes(_ctx.VerifyData, 0, 12);
            if (!EndMessage(ref w, true))
            {
                return Handshake.AlertDescription.InternalError;
            }
            _writeEpoch = 1;
            _step = StepDone;
            SendFlight();
            _timer.Stop();
            _state = DtlsSessionState.Connected;
            if (_ctx.Log.Enabled)
            {
                _ctx.Log.Write(string.Concat(Who(), "connected, ", Dtls.CipherSuite.Name(_cipherSuite), ", identity '", PskIdentityText(), "'", _extendedMasterSecret ? ", extended master secret" : ""));
            }
            _ctx.Events.OnConnected(this);
            return 0;
        }
    }
}
