using System;
using NfDtls.Dtls.Handshake;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>The client's side of TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 8422 §5, RFC 7250, RFC 5246 §7.4.6–7.4.8).</summary>
    public sealed partial class EcdheEcdsaKeyExchange
    {
        internal override void WriteClientHelloExtensions(ref WireWriter w)
        {
            w.WriteUInt16(ExtSupportedGroups);   // RFC 8422 §5.1.1
            w.WriteUInt16(4);
            w.WriteUInt16(2);
            w.WriteUInt16(Secp256r1);
            w.WriteUInt16(ExtEcPointFormats);    // RFC 8422 §5.1.2
            w.WriteUInt16(2);
            w.WriteUInt8(1);
            w.WriteUInt8(0);
            w.WriteUInt16(ExtSignatureAlgorithms); // RFC 5246 §7.4.1.4.1
            w.WriteUInt16(4);
            w.WriteUInt16(2);
            w.WriteUInt16(EcdsaSecp256r1Sha256);
            if (_cred.RawPublicKeys)
            {
                // RFC 7250 §4.1: raw public keys only, both ways (ours only if we have a key)
                if (_cred.PrivateKey != null)
                {
                    w.WriteUInt16(ExtClientCertificateType);
                    w.WriteUInt16(2);
                    w.WriteUInt8(1);
                    w.WriteUInt8(CertTypeRawPublicKey);
                }
                w.WriteUInt16(ExtServerCertificateType);
                w.WriteUInt16(2);
                w.WriteUInt8(1);
                w.WriteUInt8(CertTypeRawPublicKey);
            }
        }

        internal override int ReadServerHelloExtension(DtlsHandshake handshake, int type, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            switch (type)
            {
                case ExtEcPointFormats:
                    return ListContains8(buffer, offset, length, 0) ? 0 : AlertDescription.IllegalParameter;
                case ExtServerCertificateType:
                    if (length != 1)
                    {
                        return AlertDescription.DecodeError;
                    }
                    s.ServerCertType = buffer[offset];
                    return s.ServerCertType == OwnCertType ? 0 : AlertUnsupportedCertificate;
                case ExtClientCertificateType:
                    if (length != 1)
                    {
                        return AlertDescription.DecodeError;
                    }
                    s.ClientCertType = buffer[offset];
                    return s.ClientCertType == OwnCertType ? 0 : AlertUnsupportedCertificate;
                default:
                    return 0;
            }
        }

        internal override int ReadServerCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            if (_cred.RawPublicKeys && s.ServerCertType != CertTypeRawPublicKey)
            {
                return AlertUnsupportedCertificate; // the server did not agree to raw public keys
            }
            int alert = ReadPeerCertificate(s, buffer, offset, length, s.ServerCertType, true);
            if (alert == 0 && !s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return AlertBadCertificate; // a server must authenticate
            }
            return alert;
        }

        internal override int ReadServerKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            if (!s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return AlertDescription.UnexpectedMessage; // Certificate must come first
            }
            WireReader r = new WireReader(buffer, offset, length);
            int paramsStart = r.Position;
            int curveType = r.ReadUInt8();
            int curve = r.ReadUInt16();
            WireReader point = r.ReadVector8();
            if (r.Failed)
            {
                return AlertDescription.DecodeError;
            }
            if (curveType != NamedCurve || curve != Secp256r1 || point.Remaining != 65)
            {
                return AlertDescription.IllegalParameter;
            }
            int paramsLength = r.Position - paramsStart;
            _sha.Reset();
            _sha.Update(handshake.Secrets, DtlsHandshake.ClientRandom, 64);
            _sha.Update(buffer, paramsStart, paramsLength);
            _sha.Finish(_work, WorkHash);
            int alert = VerifySignature(ref r, s.Keys, EcdheHandshakeState.PeerKey, true);
            if (alert != 0)
            {
                return alert;
            }
            Array.Copy(buffer, point.Position, s.Keys, EcdheHandshakeState.PeerEphemeral, 65);
            s.Set(EcdheHandshakeState.HasPeerEphemeral, true);
            return 0;
        }

        internal override int ReadCertificateRequest(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            WireReader r = new WireReader(buffer, offset, length);
            WireReader types = r.ReadVector8();
            WireReader algorithms = r.ReadVector16();
            r.ReadVector16(); // certificate_authorities: we have one credential anyway
            if (r.Failed || !r.IsEmpty)
            {
                return AlertDescription.DecodeError;
            }
            bool ecdsa = false;
            while (types.Remaining >= 1)
            {
                ecdsa |= types.ReadUInt8() == EcdsaSign;
            }
            bool sha256 = false;
            while (algorithms.Remaining >= 2)
            {
                sha256 |= algorithms.ReadUInt16() == EcdsaSecp256r1Sha256;
            }
            s.Set(EcdheHandshakeState.ClientAuthRequested, true);
            // RFC 5246 §7.4.6: if we cannot sign what the server wants we send no certificate
            s.Set(EcdheHandshakeState.SentOwnCertificate, _cred.PrivateKey != null && ecdsa && sha256);
            return 0;
        }

        internal override bool WriteClientCertificate(DtlsHandshake handshake, FlightBuffer flight, ref WireWriter body)
        {
            EcdheHandshakeState s = State(handshake);
            if (!s.Has(EcdheHandshakeState.ClientAuthRequested))
            {
                return false;
            }
            if (s.ClientCertType != OwnCertType)
            {
                s.Set(EcdheHandshakeState.SentOwnCertificate, false); // the server did not take our kind of credential
            }
            if (!s.Has(EcdheHandshakeState.SentOwnCertificate))
            {
                body.WriteUInt24(0);
                return true;
            }
            return WriteOwnCertificate(flight, ref body, OwnCertType);
        }

        internal override int WriteClientKeyExchange(DtlsHandshake handshake, ref WireWriter body, byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            EcdheHandshakeState s = State(handshake);
            if (!s.Has(EcdheHandshakeState.HasPeerEphemeral))
            {
                return AlertDescription.HandshakeFailure;
            }
            // Key pair, shared secret and our public point in one go: the shared P-256 engine holds no key between calls.
            if (!_ecdh.GenerateKeyPair(_random))
            {
                return AlertDescription.InternalError;
            }
            if (!_ecdh.DeriveSharedSecret(s.Keys, EcdheHandshakeState.PeerEphemeral, 65, premaster, 0))
            {
                _ecdh.Clear();
                return AlertDescription.IllegalParameter; // the server's ECDHE point is not on the curve
            }
            body.WriteUInt8(65);
            _ecdh.ExportPublicKey(_work, WorkParams);
            body.WriteBytes(_work, WorkParams, 65);
            _ecdh.Clear();
            premasterLength = 32;
            return 0;
        }

        internal override bool WriteCertificateVerify(DtlsHandshake handshake, ref WireWriter body)
        {
            if (!State(handshake).Has(EcdheHandshakeState.SentOwnCertificate))
            {
                return false;
            }
            handshake.TranscriptHash(_work, WorkHash);
            WriteSignature(ref body);
            return true;
        }
    }
}
