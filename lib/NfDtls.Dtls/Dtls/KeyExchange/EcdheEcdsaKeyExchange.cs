using System;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Dtls.Handshake;
using NfDtls.Pki;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (0xC0AE, RFC 7251) as RFC 7925 §4.4 profiles it: secp256r1 only, uncompressed
    /// points, ecdsa_secp256r1_sha256 signatures, X.509 chains or raw public keys (RFC 7250), server-only or mutual
    /// authentication. One instance per engine holds what every handshake shares: the credentials and one P-256 engine
    /// (the provider's ECDSA object, which in the portable provider also does ECDH on the same curve workspace, so the
    /// key exchange, signatures and the chain verifiers all use one scratch area). Per handshake an
    /// <see cref="EcdheHandshakeState"/> keeps the ephemeral scalar and the peer's keys; the ephemeral key is fresh per
    /// handshake and wiped when it ends. X.509 chain verifiers are few (<see cref="DtlsConfig.ConcurrentCertificateChains"/>)
    /// and lent to a handshake only while it reads the peer's Certificate (<see cref="CertificateVerifierPool"/>). Scalar multiplications per handshake: server 2
    /// (ephemeral k·G, and again at ClientKeyExchange, ECDH) + 1 sign (+ 1 verify with client authentication); client
    /// 2 + 1 verify (ServerKeyExchange) + the chain's verifies (+ 1 sign). This file: shared parts and the server.
    /// </summary>
    public sealed partial class EcdheEcdsaKeyExchange : DtlsKeyExchange
    {
        // RFC 8422 §5.1.1, §5.1.2; RFC 5246 §7.4.1.4.1; RFC 7250 §3
        public const int ExtSupportedGroups = 10;
        public const int ExtEcPointFormats = 11;
        public const int ExtSignatureAlgorithms = 13;
        public const int ExtClientCertificateType = 19;
        public const int ExtServerCertificateType = 20;
        public const int CertTypeX509 = 0;
        public const int CertTypeRawPublicKey = 2;
        public const int Secp256r1 = 23;
        public const int EcdsaSecp256r1Sha256 = 0x0403;
        private const int NamedCurve = 3;
        private const int EcdsaSign = 64;

        // alerts (RFC 5246 §7.2.2)
        private const int AlertBadCertificate = 42;
        private const int AlertUnsupportedCertificate = 43;

        private readonly EcdheCredentials _cred;
        private readonly bool _isClient;
        private readonly IEcdhP256 _ecdh;
        private readonly IEcdsaP256 _ecdsa;
        private readonly ISha256 _sha;
        private readonly IRandom _random;
        /// <summary>Chain verifiers lent to handshakes while they read an X.509 Certificate; null where none can come.</summary>
        private readonly CertificateVerifierPool _verifiers;
        private readonly byte[] _ownSpki = new byte[P256Spki.Length];
        /// <summary>Scratch: a digest (32), a signature r‖s (64), its DER form (72), ECDH parameters (4 + 65).</summary>
        private readonly byte[] _work = new byte[WorkLength];

        private const int WorkHash = 0;
        private const int WorkSignature = 32;
        private const int WorkDer = 96;
        private const int WorkParams = WorkDer + EcdsaDer.MaxLength;
        private const int WorkLength = WorkParams + 4 + 65;

        /// <summary>One per engine (client or server).</summary>
        public EcdheEcdsaKeyExchange(DtlsConfig config, bool isClient)
        {
            if (config == null || config.Ecdhe == null || config.Random == null)
            {
                throw new ArgumentException("DtlsConfig with Ecdhe credentials and Random are required");
            }
            ICryptoProvider crypto = config.Crypto;
            EcdheCredentials credentials = config.Ecdhe;
            _random = config.Random;
            _cred = credentials;
            _isClient = isClient;
            _ecdsa = crypto.CreateEcdsaP256();
            // One curve workspace for ECDH and ECDSA when the provider's ECDSA object does both (the portable one).
            _ecdh = _ecdsa as IEcdhP256;
            if (_ecdh == null)
            {
                _ecdh = crypto.CreateEcdhP256();
            }
            _sha = crypto.CreateSha256();
            if (credentials.PrivateKey != null)
            {
                byte[] ownPublic = _work; // 65 bytes of scratch at construction
                if (credentials.PrivateKey.Length != 32 || !_ecdsa.DerivePublicKey(credentials.PrivateKey, 0, ownPublic, 0))
                {
                    throw new ArgumentException("EcdheCredentials.PrivateKey is not a P-256 private key");
                }
                P256Spki.Encode(ownPublic, 0, _ownSpki, 0);
                Array.Clear(_work, 0, _work.Length);
                if (!credentials.RawPublicKeys && (credentials.CertificateChain == null || credentials.CertificateChain.Length == 0))
                {
                    throw new ArgumentException("EcdheCredentials: a certificate chain is needed unless RawPublicKeys");
                }
            }
            else if (!isClient)
            {
                throw new ArgumentException("EcdheCredentials: a server needs a private key");
            }
            // Verifiers only where an X.509 chain can come: a client that did not ask for raw public keys; a server that
            // asks for client certificates and presents X.509 itself (RFC 7250: the client answers with the kind it is
            // given). No more than there are handshakes to lend them to.
            bool peerMayUseX509 = isClient
                ? !credentials.RawPublicKeys
                : (credentials.RequestClientCertificate || credentials.RequireClientCertificate) && HasChain;
            if (peerMayUseX509)
            {
                int handshakes = config.ConcurrentHandshakes > 0 ? config.ConcurrentHandshakes : (isClient ? 1 : 2);
                int chains = config.ConcurrentCertificateChains > 0 ? config.ConcurrentCertificateChains : 1;
                TrustAnchorStore anchors = credentials.TrustAnchors != null ? credentials.TrustAnchors : new TrustAnchorStore(1);
                // A 253-byte DNS name is copied whole only where one is expected (a client naming its server).
                int capture = isClient && credentials.ExpectedServerName != null && credentials.ExpectedServerName.Length > 0
                    ? CertificateParser.CaptureCapacity : CertificateParser.CaptureCapacityWithoutNames;
                _verifiers = new CertificateVerifierPool(chains < handshakes ? chains : handshakes, anchors, _ecdsa, credentials.MaxChainLength, capture);
            }
        }

        public override int CipherSuite { get { return Dtls.CipherSuite.TlsEcdheEcdsaWithAes128Ccm8; } }

        internal override KeyExchangeState CreateState()
        {
            return new EcdheHandshakeState(_isClient ? EcdheHandshakeState.ClientKeysLength : EcdheHandshakeState.ServerKeysLength);
        }

        /// <summary>A handshake goes back to its pool: a verifier it still holds (it ended, failed or timed out in the
        /// middle of its peer's Certificate) comes back first, wiped.</summary>
        internal override void WipeState(KeyExchangeState state)
        {
            ((EcdheHandshakeState)state).ReturnVerifier(_verifiers);
            state.Wipe();
        }

        /// <summary>Chain verifiers not lent to a handshake right now (diagnostics, tests); 0 where none are made.</summary>
        public int FreeCertificateVerifiers { get { return _verifiers != null ? _verifiers.Available : 0; } }

        /// <summary>Chain verifiers made (<see cref="DtlsConfig.ConcurrentCertificateChains"/>, at most one per handshake).</summary>
        public int CertificateVerifiers { get { return _verifiers != null ? _verifiers.Count : 0; } }

        /// <summary>
        /// RFC 5246 §7.3, RFC 8422 §2.1: the server sends Certificate and ServerKeyExchange, may send CertificateRequest;
        /// the client sends Certificate when asked for one, and CertificateVerify when that certificate carried a key.
        /// </summary>
        internal override int MessageRule(DtlsHandshake handshake, int type)
        {
            EcdheHandshakeState s = State(handshake);
            switch (type)
            {
                case HandshakeType.Certificate:
                    return _isClient || s.Has(EcdheHandshakeState.ClientAuthRequested) ? ExpectedFlights.Required : ExpectedFlights.Forbidden;
                case HandshakeType.ServerKeyExchange:
                    return ExpectedFlights.Required;
                case HandshakeType.CertificateRequest:
                    return ExpectedFlights.Optional;
                case HandshakeType.CertificateVerify:
                    return s.Has(EcdheHandshakeState.HasPeerKey) ? ExpectedFlights.Required : ExpectedFlights.Forbidden;
                default:
                    return ExpectedFlights.Forbidden;
            }
        }

        private static EcdheHandshakeState State(DtlsHandshake handshake)
        {
            return (EcdheHandshakeState)handshake.KeyExchangeState;
        }

        /// <summary>The peer's authenticated P-256 key (65 bytes) once its Certificate was accepted; false before or after the handshake (call from OnConnected).</summary>
        public bool TryGetPeerKey(DtlsSession session, byte[] output, int offset)
        {
            DtlsHandshake h = session != null ? session.Handshake : null;
            EcdheHandshakeState s = h != null && h.KeyExchange == this ? State(h) : null;
            if (s == null || !s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return false;
            }
            Array.Copy(s.Keys, EcdheHandshakeState.PeerKey, output, offset, 65);
            return true;
        }

        /// <summary>
        /// How the peer proved its key: <see cref="CertTypeRawPublicKey"/> (RFC 7250) or <see cref="CertTypeX509"/>, as
        /// negotiated for its Certificate message; -1 before its key was accepted, or once the handshake is over (its
        /// state went back to the pool: call from OnConnected). A server that takes both from its clients tells with it
        /// which kind a client used.
        /// </summary>
        public int PeerCertificateType(DtlsSession session)
        {
            DtlsHandshake h = session != null ? session.Handshake : null;
            EcdheHandshakeState s = h != null && h.KeyExchange == this ? State(h) : null;
            if (s == null || !s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return -1;
            }
            return _isClient ? s.ServerCertType : s.ClientCertType;
        }

        /// <summary>The last chain verification's <see cref="CertificateError"/> of any handshake (diagnostics).</summary>
        public int LastCertificateError { get; private set; }

        private int OwnCertType { get { return _cred.RawPublicKeys ? CertTypeRawPublicKey : CertTypeX509; } }

        private bool HasChain { get { return _cred.CertificateChain != null && _cred.CertificateChain.Length > 0; } }

        // ================================================================ server

        internal override bool AcceptsClientHello(DtlsHandshake handshake, KeyExchangeState state, byte[] buffer, ref ClientHelloView view)
        {
            EcdheHandshakeState s = (EcdheHandshakeState)state;
            int length;
            // RFC 8422 §4: a client that lists groups must list secp256r1; point formats must allow uncompressed
            int at = view.FindExtension(buffer, ExtSupportedGroups, out length);
            if (at >= 0 && !ListContains16(buffer, at, length, Secp256r1))
            {
                return false;
            }
            int formats = view.FindExtension(buffer, ExtEcPointFormats, out length);
            if (formats >= 0 && !ListContains8(buffer, formats, length, 0))
            {
                return false;
            }
            // RFC 5246 §7.4.1.4.1: without signature_algorithms the default for ECDSA is SHA-1, which we do not do
            at = view.FindExtension(buffer, ExtSignatureAlgorithms, out length);
            if (at < 0 || !ListContains16(buffer, at, length, EcdsaSecp256r1Sha256))
            {
                return false;
            }
            // RFC 7250 §4.2: our certificate type must be on the client's list (absent = X.509 only). A server with
            // both a raw key and a chain picks per client: a raw public key when asked for one, X.509 otherwise.
            int serverTypes = view.FindExtension(buffer, ExtServerCertificateType, out length);
            int own;
            if (serverTypes >= 0)
            {
                if (_cred.RawPublicKeys && ListContains8(buffer, serverTypes, length, CertTypeRawPublicKey))
                {
                    own = CertTypeRawPublicKey;
                }
                else if (HasChain && ListContains8(buffer, serverTypes, length, CertTypeX509))
                {
                    own = CertTypeX509;
                }
                else
                {
                    return false;
                }
            }
            else if (HasChain)
            {
                own = CertTypeX509;
            }
            else
            {
                return false;
            }
            int clientTypesLength;
            int clientTypes = view.FindExtension(buffer, ExtClientCertificateType, out clientTypesLength);
            s.Wipe();
            s.Set(EcdheHandshakeState.PeerOfferedPointFormats, formats >= 0);
            s.Set(EcdheHandshakeState.PeerOfferedCertificateTypes, serverTypes >= 0);
            s.OwnType = own;
            s.ServerCertType = own;
            s.ClientCertType = CertTypeX509;
            if (_cred.RequestClientCertificate || _cred.RequireClientCertificate)
            {
                // The client authenticates with the same kind of credential the server presents.
                bool clientCan = clientTypes >= 0 ? ListContains8(buffer, clientTypes, clientTypesLength, own) : own == CertTypeX509;
                if (clientCan)
                {
                    s.Set(EcdheHandshakeState.ClientAuthRequested, true);
                    s.ClientCertType = own;
                }
                else if (_cred.RequireClientCertificate)
                {
                    s.Wipe();
                    return false;
                }
            }
            return true;
        }

        internal override bool HasServerHelloExtensions(DtlsHandshake handshake)
        {
            EcdheHandshakeState s = State(handshake);
            return s.Has(EcdheHandshakeState.PeerOfferedPointFormats) || s.Has(EcdheHandshakeState.PeerOfferedCertificateTypes)
                || s.Has(EcdheHandshakeState.ClientAuthRequested);
        }

        internal override void WriteServerHelloExtensions(DtlsHandshake handshake, ref WireWriter w)
        {
            EcdheHandshakeState s = State(handshake);
            if (s.Has(EcdheHandshakeState.PeerOfferedPointFormats))
            {
                // RFC 8422 §5.2: uncompressed only
                w.WriteUInt16(ExtEcPointFormats);
                w.WriteUInt16(2);
                w.WriteUInt8(1);
                w.WriteUInt8(0);
            }
            if (s.Has(EcdheHandshakeState.PeerOfferedCertificateTypes))
            {
                // RFC 7250 §4.2: the server answers with the one type it selected
                w.WriteUInt16(ExtServerCertificateType);
                w.WriteUInt16(1);
                w.WriteUInt8(s.ServerCertType);
            }
            if (s.Has(EcdheHandshakeState.ClientAuthRequested) && s.ClientCertType == CertTypeRawPublicKey)
            {
                w.WriteUInt16(ExtClientCertificateType);
                w.WriteUInt16(1);
                w.WriteUInt8(s.ClientCertType);
            }
        }

        internal override bool WriteServerCertificate(DtlsHandshake handshake, FlightBuffer flight, ref WireWriter body)
        {
            return WriteOwnCertificate(flight, ref body, State(handshake).OwnType);
        }

        // Our Certificate body: an empty list without a key, our SPKI for raw public keys (RFC 7250 §3), our chain
        // by reference for X.509 (sent from the credentials, never copied into the flight buffer).
        private bool WriteOwnCertificate(FlightBuffer flight, ref WireWriter body, int type)
        {
            if (_cred.PrivateKey == null)
            {
                body.WriteUInt24(0); // no certificate (RFC 5246 §7.4.6: an empty list)
                return true;
            }
            if (type == CertTypeRawPublicKey)
            {
                // RFC 7250 §3: opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>
                body.WriteUInt24(P256Spki.Length);
                body.WriteBytes(_ownSpki, 0, P256Spki.Length);
                return true;
            }
            flight.ReferToChain(_cred.CertificateChain);
            return true;
        }

        internal override bool WriteServerKeyExchange(DtlsHandshake handshake, ref WireWriter body)
        {
            EcdheHandshakeState s = State(handshake);
            byte[] p = _work;
            // A fresh ephemeral scalar by rejection sampling (a candidate 0 or >= n, about 2^-32, is drawn again); its
            // public point goes out now, the scalar waits in the handshake state for the ClientKeyExchange.
            do
            {
                _random.GetBytes(s.Keys, EcdheHandshakeState.Scalar, 32);
            }
            while (!_ecdh.ImportPrivateKey(s.Keys, EcdheHandshakeState.Scalar));
            bool ok = _ecdh.ExportPublicKey(p, WorkParams + 4);
            _ecdh.Clear();
            if (!ok)
            {
                body.Fail();
                return true; // a failed writer ends the handshake with internal_error
            }
            // ServerECDHParams (RFC 8422 §5.4): named_curve, secp256r1, the point
            p[WorkParams] = NamedCurve;
            p[WorkParams + 1] = 0;
            p[WorkParams + 2] = Secp256r1;
            p[WorkParams + 3] = 65;
            body.WriteBytes(p, WorkParams, 4 + 65);
            // signed: SHA-256(client_random + server_random + ServerECDHParams)
            _sha.Reset();
            _sha.Update(handshake.Secrets, DtlsHandshake.ClientRandom, 64);
            _sha.Update(p, WorkParams, 4 + 65);
            _sha.Finish(p, WorkHash);
            WriteSignature(ref body);
            return true;
        }

        internal override bool WriteCertificateRequest(DtlsHandshake handshake, ref WireWriter body)
        {
            if (!State(handshake).Has(EcdheHandshakeState.ClientAuthRequested))
            {
                return false;
            }
            // RFC 5246 §7.4.4: certificate_types, supported_signature_algorithms, certificate_authorities (none)
            body.WriteUInt8(1);
            body.WriteUInt8(EcdsaSign);
            body.WriteUInt16(2);
            body.WriteUInt16(EcdsaSecp256r1Sha256);
            body.WriteUInt16(0);
            return true;
        }

        internal override int ReadClientCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            int alert = ReadPeerCertificate(s, buffer, offset, length, s.ClientCertType, false);
            if (alert == 0 && !s.Has(EcdheHandshakeState.HasPeerKey) && _cred.RequireClientCertificate)
            {
                return AlertDescription.HandshakeFailure; // RFC 5246 §7.4.6
            }
            return alert;
        }

        internal override int ReadClientKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length,
                                                    byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            EcdheHandshakeState s = State(handshake);
            // ClientECDiffieHellmanPublic (RFC 8422 §5.7): point<1..2^8-1>
            WireReader r = new WireReader(buffer, offset, length);
            WireReader point = r.ReadVector8();
            if (r.Failed || !r.IsEmpty)
            {
                return AlertDescription.DecodeError;
            }
            if (!_ecdh.ImportPrivateKey(s.Keys, EcdheHandshakeState.Scalar))
            {
                return AlertDescription.InternalError;
            }
            bool ok = _ecdh.DeriveSharedSecret(buffer, point.Position, point.Remaining, premaster, 0);
            _ecdh.Clear(); // the ephemeral key has done its job
            Array.Clear(s.Keys, EcdheHandshakeState.Scalar, 32);
            if (!ok)
            {
                return AlertDescription.IllegalParameter; // not a valid secp256r1 point
            }
            premasterLength = 32;
            return 0;
        }

        internal override int ReadCertificateVerify(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            EcdheHandshakeState s = State(handshake);
            if (!s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return AlertDescription.UnexpectedMessage;
            }
            handshake.TranscriptHash(_work, WorkHash);
            WireReader r = new WireReader(buffer, offset, length);
            return VerifySignature(ref r, s.Keys, EcdheHandshakeState.PeerKey, true);
        }

        // ================================================================ shared

        // DigitallySigned (RFC 5246 §4.7): SignatureAndHashAlgorithm, then the DER signature (RFC 8422 §5.4) of the digest at WorkHash.
        private void WriteSignature(ref WireWriter body)
        {
            if (!_ecdsa.Sign(_cred.PrivateKey, 0, _work, WorkHash, _work, WorkSignature))
            {
                body.Fail();
                return;
            }
            int n = EcdsaDer.Encode(_work, WorkSignature, _work, WorkDer);
            body.WriteUInt16(EcdsaSecp256r1Sha256);
            body.WriteUInt16(n);
            body.WriteBytes(_work, WorkDer, n);
        }

        // Reads a DigitallySigned from r (to its end) and verifies it over the digest at WorkHash with a 65-byte key.
        private int VerifySignature(ref WireReader r, byte[] key, int keyOffset, bool mustBeLast)
        {
            int algorithm = r.ReadUInt16();
            WireReader sig = r.ReadVector16();
            if (r.Failed || (mustBeLast && !r.IsEmpty))
            {
                return AlertDescription.DecodeError;
            }
            if (algorithm != EcdsaSecp256r1Sha256)
            {
                return AlertDescription.IllegalParameter;
            }
            if (!EcdsaDer.Decode(r.Buffer, sig.Position, sig.Remaining, _work, WorkSignature)
                || !_ecdsa.Verify(key, keyOffset, 65, _work, WorkHash, _work, WorkSignature))
            {
                return AlertDescription.DecryptError; // RFC 5246 §7.2.2: a signature that does not verify
            }
            return 0;
        }

        // The peer's Certificate message: a raw public key on the allow-list, or an X.509 chain to our anchors.
        private int ReadPeerCertificate(EcdheHandshakeState s, byte[] buffer, int offset, int length, int type, bool peerIsServer)
        {
            s.Set(EcdheHandshakeState.HasPeerKey, false);
            if (type == CertTypeRawPublicKey)
            {
                WireReader r = new WireReader(buffer, offset, length);
                WireReader spki = r.ReadVector24();
                if (r.Failed || !r.IsEmpty)
                {
                    return AlertDescription.DecodeError;
                }
                if (spki.Remaining == 0)
                {
                    return 0; // an empty certificate (client without key)
                }
                int point;
                if (!P256Spki.TryFindPoint(buffer, spki.Position, spki.Remaining, out point))
                {
                    LastCertificateError = CertificateError.Unsupported;
                    return AlertUnsupportedCertificate;
                }
                if (_cred.TrustedKeys == null || !_cred.TrustedKeys.ContainsPoint(buffer, point))
                {
                    LastCertificateError = CertificateError.UnknownCa;
                    return CertificateError.ToAlert(CertificateError.UnknownCa);
                }
                Array.Copy(buffer, point, s.Keys, EcdheHandshakeState.PeerKey, 65);
                s.Set(EcdheHandshakeState.HasPeerKey, true);
                LastCertificateError = CertificateError.None;
                return 0;
            }
            if (length == 3 && buffer[offset] == 0 && buffer[offset + 1] == 0 && buffer[offset + 2] == 0)
            {
                s.ReturnVerifier(_verifiers);
                return 0; // empty certificate_list
            }
            if (!s.TakeVerifier(_verifiers))
            {
                LastCertificateError = CertificateError.Unsupported;
                return AlertUnsupportedCertificate; // an X.509 chain where only a raw public key was agreed
            }
            StartVerifier(s, peerIsServer);
            s.Verifier.FeedCertificateList(buffer, offset, length);
            return FinishVerifier(s);
        }

        /// <summary>An X.509 Certificate needs a verifier: the handshake borrows one now, or the message waits.</summary>
        internal override bool ReadyForPeerCertificate(DtlsHandshake handshake)
        {
            EcdheHandshakeState s = State(handshake);
            int type = _isClient ? s.ServerCertType : s.ClientCertType;
            return type != CertTypeX509 || _verifiers == null || s.TakeVerifier(_verifiers);
        }

        internal override int BeginPeerCertificate(DtlsHandshake handshake, int length)
        {
            EcdheHandshakeState s = State(handshake);
            s.Set(EcdheHandshakeState.HasPeerKey, false);
            int type = _isClient ? s.ServerCertType : s.ClientCertType;
            if (type != CertTypeX509 || !s.TakeVerifier(_verifiers) || length > _cred.MaxCertificateMessageLength)
            {
                LastCertificateError = CertificateError.TooLarge;
                return AlertBadCertificate; // a raw public key is never this large
            }
            StartVerifier(s, _isClient);
            return 0;
        }

        internal override int FeedPeerCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int count)
        {
            EcdheHandshakeState s = State(handshake);
            CertificateChainVerifier v = s.Verifier;
            if (v == null)
            {
                return AlertDescription.InternalError; // lent at BeginPeerCertificate until the end of the message
            }
            v.FeedCertificateList(buffer, offset, count);
            int error = v.Error;
            if (error != CertificateError.None)
            {
                LastCertificateError = error;
                s.ReturnVerifier(_verifiers);
                return CertificateError.ToAlert(error); // refuse at the first bad certificate
            }
            return 0;
        }

        internal override int EndPeerCertificate(DtlsHandshake handshake)
        {
            EcdheHandshakeState s = State(handshake);
            int alert = FinishVerifier(s);
            if (alert == 0 && !s.Has(EcdheHandshakeState.HasPeerKey))
            {
                return _isClient ? AlertBadCertificate : (_cred.RequireClientCertificate ? AlertDescription.HandshakeFailure : 0);
            }
            return alert;
        }

        private void StartVerifier(EcdheHandshakeState s, bool peerIsServer)
        {
            byte[] name = peerIsServer ? _cred.ExpectedServerName : null;
            byte[] address = peerIsServer ? _cred.ExpectedServerAddress : null;
            long now = _cred.Clock != null ? _cred.Clock.UnixSeconds : 0;
            s.Verifier.Start(now, name, 0, name != null ? name.Length : 0, address, 0, address != null ? address.Length : 0);
        }

        // Ends the chain: on success the end-entity key is copied into the handshake's own keys; either way the verifier
        // goes back to the pool, wiped.
        private int FinishVerifier(EcdheHandshakeState s)
        {
            if (s.Verifier == null)
            {
                return AlertDescription.InternalError;
            }
            int error = s.Verifier.FinishCertificateList();
            if (error == CertificateError.None && _cred.Clock == null)
            {
                error = CertificateError.NotYetValid; // no clock: validity cannot be checked
            }
            LastCertificateError = error;
            if (error != CertificateError.None)
            {
                s.ReturnVerifier(_verifiers);
                return CertificateError.ToAlert(error);
            }
            s.Verifier.CopyEndEntityKey(s.Keys, EcdheHandshakeState.PeerKey);
            s.Set(EcdheHandshakeState.HasPeerKey, true);
            s.ReturnVerifier(_verifiers);
            return 0;
        }

        // ================================================================ resumption

        /// <summary>The peer's authenticated key and how it proved it: has-key (1), certificate type (1), point (65); or just 0.</summary>
        internal override int WritePeerIdentity(DtlsHandshake handshake, byte[] output, int offset, int max)
        {
            if (max < Resumption.ResumptionRecord.EcdhePeerLength)
            {
                return -1;
            }
            EcdheHandshakeState s = State(handshake);
            if (!s.Has(EcdheHandshakeState.HasPeerKey))
            {
                output[offset] = 0;
                return 1;
            }
            output[offset] = 1;
            output[offset + 1] = (byte)(_isClient ? s.ServerCertType : s.ClientCertType);
            Array.Copy(s.Keys, EcdheHandshakeState.PeerKey, output, offset + 2, 65);
            return Resumption.ResumptionRecord.EcdhePeerLength;
        }

        /// <summary>
        /// A server must have had a key; a client without one resumes only where client certificates are not required.
        /// A raw public key must still be on the allow-list (an X.509 chain was verified by the full handshake; the
        /// master secret authenticates the resumed one). Restored, <see cref="TryGetPeerKey"/> gives the same key.
        /// </summary>
        internal override bool RestorePeerIdentity(DtlsHandshake handshake, byte[] record, int offset, int length, bool apply)
        {
            if (length == 1 && record[offset] == 0)
            {
                return !_isClient && !_cred.RequireClientCertificate;
            }
            if (length != Resumption.ResumptionRecord.EcdhePeerLength || record[offset] != 1)
            {
                return false;
            }
            int type = record[offset + 1];
            if (type == CertTypeRawPublicKey)
            {
                if (_cred.TrustedKeys == null || !_cred.TrustedKeys.ContainsPoint(record, offset + 2))
                {
                    return false;
                }
            }
            else if (type != CertTypeX509 || (_isClient && _cred.RawPublicKeys))
            {
                return false;
            }
            if (apply)
            {
                EcdheHandshakeState s = State(handshake);
                Array.Copy(record, offset + 2, s.Keys, EcdheHandshakeState.PeerKey, 65);
                s.Set(EcdheHandshakeState.HasPeerKey, true);
                if (_isClient)
                {
                    s.ServerCertType = type;
                }
                else
                {
                    s.ClientCertType = type;
                }
            }
            return true;
        }

        private static bool ListContains16(byte[] buffer, int offset, int length, int value)
        {
            // uint16 list length, then uint16 entries
            if (length < 2)
            {
                return false;
            }
            int n = (buffer[offset] << 8) | buffer[offset + 1];
            if (n + 2 != length || (n & 1) != 0)
            {
                return false;
            }
            for (int i = offset + 2; i + 1 < offset + 2 + n; i += 2)
            {
                if (((buffer[i] << 8) | buffer[i + 1]) == value)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool ListContains8(byte[] buffer, int offset, int length, int value)
        {
            // uint8 list length, then uint8 entries
            if (length < 1 || buffer[offset] + 1 != length)
            {
                return false;
            }
            for (int i = offset + 1; i < offset + length; i++)
            {
                if (buffer[i] == value)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
