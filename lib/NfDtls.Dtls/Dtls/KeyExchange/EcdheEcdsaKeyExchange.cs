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
    /// authentication. Per session it keeps one slot (ephemeral key, peer key, negotiated certificate types), allocated
    /// here for every session the engine can hold; the ephemeral key is fresh per handshake and wiped when the session
    /// ends. Scalar multiplications per handshake: server 2 (ephemeral k·G, ECDH) + 1 sign (+ 1 verify with client
    /// authentication); client 2 + 1 verify (ServerKeyExchange) + the chain's verifies (+ 1 sign).
    /// </summary>
    public sealed class EcdheEcdsaKeyExchange : DtlsKeyExchange
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

        private sealed class Slot
        {
            public DtlsSession Owner;
            /// <summary>The slot's own ECDH object (an engine with one session: the client).</summary>
            public IEcdhP256 Ecdh;
            /// <summary>The ephemeral private scalar (a server sharing one ECDH object among its sessions).</summary>
            public readonly byte[] Scalar = new byte[32];
            public readonly byte[] PeerKey = new byte[65];
            public readonly byte[] PeerEphemeral = new byte[65];
            public bool HasPeerKey;
            public bool HasPeerEphemeral;
            public bool PeerOfferedPointFormats;
            public bool PeerOfferedCertificateTypes;
            public bool ClientAuthRequested;
            public bool SentOwnCertificate;
            public int ServerCertType;
            public int ClientCertType;
            public int OwnType;
        }

        private readonly EcdheCredentials _cred;
        private readonly bool _isClient;
        private readonly Slot[] _slots;
        private readonly IEcdhP256 _sharedEcdh;
        private readonly IEcdsaP256 _ecdsa;
        private readonly ISha256 _sha;
        private readonly CertificateChainVerifier _verifier;
        private readonly byte[] _ownPublic = new byte[65];
        private readonly byte[] _ownSpki = new byte[P256Spki.Length];
        private readonly byte[] _hash = new byte[32];
        private readonly byte[] _signature = new byte[64];
        private readonly byte[] _der = new byte[EcdsaDer.MaxLength];
        private readonly byte[] _params = new byte[4 + 65];

        /// <summary>One per engine: <paramref name="sessions"/> is how many sessions it can hold at once.</summary>
        public EcdheEcdsaKeyExchange(DtlsConfig config, bool isClient, int sessions)
        {
            if (config == null || config.Ecdhe == null || config.Random == null || sessions < 1)
            {
                throw new ArgumentException("DtlsConfig with Ecdhe credentials and Random, and sessions >= 1, are required");
            }
            ICryptoProvider crypto = config.Crypto;
            EcdheCredentials credentials = config.Ecdhe;
            _random = config.Random;
            _cred = credentials;
            _isClient = isClient;
            _ecdsa = crypto.CreateEcdsaP256();
            _sha = crypto.CreateSha256();
            // A server holding many sessions shares one ECDH object and keeps only each session's 32-byte scalar
            // (re-imported at ClientKeyExchange: one more k·G per handshake, ~4 KB less per session with the
            // portable provider). A single-session engine (the client) keeps its key object.
            _slots = new Slot[sessions];
            bool shared = sessions > 1 && !isClient;
            if (shared)
            {
                _sharedEcdh = crypto.CreateEcdhP256();
            }
            for (int i = 0; i < sessions; i++)
            {
                _slots[i] = new Slot();
                _slots[i].Ecdh = shared ? null : crypto.CreateEcdhP256();
            }
            if (credentials.PrivateKey != null)
            {
                if (credentials.PrivateKey.Length != 32 || !_ecdsa.DerivePublicKey(credentials.PrivateKey, 0, _ownPublic, 0))
                {
                    throw new ArgumentException("EcdheCredentials.PrivateKey is not a P-256 private key");
                }
                P256Spki.Encode(_ownPublic, 0, _ownSpki, 0);
                if (!credentials.RawPublicKeys && (credentials.CertificateChain == null || credentials.CertificateChain.Length == 0))
                {
                    throw new ArgumentException("EcdheCredentials: a certificate chain is needed unless RawPublicKeys");
                }
            }
            else if (!isClient)
            {
                throw new ArgumentException("EcdheCredentials: a server needs a private key");
            }
            _verifier = new CertificateChainVerifier(credentials.TrustAnchors != null ? credentials.TrustAnchors : new TrustAnchorStore(1),
                                                     _ecdsa, credentials.MaxChainLength);
        }

        public override int CipherSuite { get { return Dtls.CipherSuite.TlsEcdheEcdsaWithAes128Ccm8; } }

        internal override bool RequiresServerKeyExchange { get { return true; } }

        /// <summary>The peer's authenticated P-256 key (65 bytes) once its Certificate was accepted; false before.</summary>
        public bool TryGetPeerKey(DtlsSession session, byte[] output, int offset)
        {
            Slot s = Find(session);
            if (s == null || !s.HasPeerKey)
            {
                return false;
            }
            Array.Copy(s.PeerKey, 0, output, offset, 65);
            return true;
        }

        /// <summary>
        /// How the peer proved its key: <see cref="CertTypeRawPublicKey"/> (RFC 7250) or <see cref="CertTypeX509"/>, as
        /// negotiated for its Certificate message; -1 before its key was accepted. A server that takes both from its
        /// clients tells with it which kind a client used.
        /// </summary>
        public int PeerCertificateType(DtlsSession session)
        {
            Slot s = Find(session);
            if (s == null || !s.HasPeerKey)
            {
                return -1;
            }
            return _isClient ? s.ServerCertType : s.ClientCertType;
        }

        /// <summary>The last chain verification's <see cref="CertificateError"/> (diagnostics).</summary>
        public int LastCertificateError { get; private set; }

        private Slot Find(DtlsSession session)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].Owner == session)
                {
                    return _slots[i];
                }
            }
            return null;
        }

        private Slot Claim(DtlsSession session)
        {
            Slot s = Find(session);
            if (s != null)
            {
                return s;
            }
            for (int i = 0; i < _slots.Length; i++)
            {
                Slot free = _slots[i];
                if (free.Owner == null || !free.Owner.IsActive)
                {
                    Clear(free);
                    free.Owner = session;
                    return free;
                }
            }
            return null;
        }

        private static void Clear(Slot s)
        {
            s.Owner = null;
            if (s.Ecdh != null)
            {
                s.Ecdh.Clear();
            }
            Array.Clear(s.Scalar, 0, 32);
            Array.Clear(s.PeerKey, 0, 65);
            Array.Clear(s.PeerEphemeral, 0, 65);
            s.HasPeerKey = false;
            s.HasPeerEphemeral = false;
            s.PeerOfferedPointFormats = false;
            s.PeerOfferedCertificateTypes = false;
            s.ClientAuthRequested = false;
            s.SentOwnCertificate = false;
            s.ServerCertType = CertTypeX509;
            s.ClientCertType = CertTypeX509;
            s.OwnType = CertTypeX509;
        }

        internal override void Reset(DtlsSession session)
        {
            Slot s = Find(session);
            if (s != null)
            {
                Clear(s);
            }
        }

        private int OwnCertType { get { return _cred.RawPublicKeys ? CertTypeRawPublicKey : CertTypeX509; } }

        // ================================================================ server

        internal override bool AcceptsClientHello(DtlsSession session, byte[] buffer, ref ClientHelloView view)
        {
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
            bool hasChain = _cred.CertificateChain != null && _cred.CertificateChain.Length > 0;
            int own;
            if (serverTypes >= 0)
            {
                if (_cred.RawPublicKeys && ListContains8(buffer, serverTypes, length, CertTypeRawPublicKey))
                {
                    own = CertTypeRawPublicKey;
                }
                else if (hasChain && ListContains8(buffer, serverTypes, length, CertTypeX509))
                {
                    own = CertTypeX509;
                }
                else
                {
                    return false;
                }
            }
            else if (hasChain)
            {
                own = CertTypeX509;
            }
            else
            {
                return false;
            }
            int clientTypesLength;
            int clientTypes = view.FindExtension(buffer, ExtClientCertificateType, out clientTypesLength);
            Slot s = Claim(session);
            if (s == null)
            {
                return false;
            }
            s.PeerOfferedPointFormats = formats >= 0;
            s.PeerOfferedCertificateTypes = serverTypes >= 0;
            s.OwnType = own;
            s.ServerCertType = own;
            s.ClientAuthRequested = _cred.RequestClientCertificate || _cred.RequireClientCertificate;
            s.ClientCertType = CertTypeX509;
            if (s.ClientAuthRequested)
            {
                // The client authenticates with the same kind of credential the server presents.
                bool clientCan = clientTypes >= 0 ? ListContains8(buffer, clientTypes, clientTypesLength, own) : own == CertTypeX509;
                if (!clientCan)
                {
                    if (_cred.RequireClientCertificate)
                    {
                        Clear(s);
                        return false;
                    }
                    s.ClientAuthRequested = false;
                }
                else
                {
                    s.ClientCertType = own;
                }
            }
            return true;
        }

        internal override bool HasServerHelloExtensions(DtlsSession session)
        {
            Slot s = Find(session);
            return s != null && (s.PeerOfferedPointFormats || s.PeerOfferedCertificateTypes || s.ClientAuthRequested);
        }

        internal override void WriteServerHelloExtensions(DtlsSession session, ref WireWriter w)
        {
            Slot s = Find(session);
            if (s == null)
            {
                return;
            }
            if (s.PeerOfferedPointFormats)
            {
                // RFC 8422 §5.2: uncompressed only
                w.WriteUInt16(ExtEcPointFormats);
                w.WriteUInt16(2);
                w.WriteUInt8(1);
                w.WriteUInt8(0);
            }
            if (s.PeerOfferedCertificateTypes)
            {
                // RFC 7250 §4.2: the server answers with the one type it selected
                w.WriteUInt16(ExtServerCertificateType);
                w.WriteUInt16(1);
                w.WriteUInt8(s.ServerCertType);
            }
            if (s.ClientAuthRequested && s.ClientCertType == CertTypeRawPublicKey)
            {
                w.WriteUInt16(ExtClientCertificateType);
                w.WriteUInt16(1);
                w.WriteUInt8(s.ClientCertType);
            }
        }

        internal override bool WriteServerCertificate(DtlsSession session, ref WireWriter body)
        {
            Slot s = Find(session);
            return WriteOwnCertificate(ref body, s != null ? s.OwnType : OwnCertType);
        }

        private bool WriteOwnCertificate(ref WireWriter body, int type)
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
            int mark = body.BeginVector(3);
            byte[][] chain = _cred.CertificateChain;
            for (int i = 0; i < chain.Length; i++)
            {
                body.WriteUInt24(chain[i].Length);
                body.WriteBytes(chain[i], 0, chain[i].Length);
            }
            body.EndVector(mark, 3);
            return true;
        }

        internal override bool WriteServerKeyExchange(DtlsSession session, ref WireWriter body)
        {
            Slot s = Find(session);
            byte[] p = _params;
            if (s == null || !NewEphemeral(s, p, 4))
            {
                body.Fail();
                return true; // a failed writer ends the handshake with internal_error
            }
            // ServerECDHParams (RFC 8422 §5.4): named_curve, secp256r1, the point
            p[0] = NamedCurve;
            p[1] = 0;
            p[2] = Secp256r1;
            p[3] = 65;
            body.WriteBytes(p, 0, p.Length);
            // signed: SHA-256(client_random + server_random + ServerECDHParams)
            _sha.Reset();
            _sha.Update(session.ClientRandom, 0, 32);
            _sha.Update(session.ServerRandom, 0, 32);
            _sha.Update(p, 0, p.Length);
            _sha.Finish(_hash, 0);
            WriteSignature(ref body);
            return true;
        }

        internal override bool WriteCertificateRequest(DtlsSession session, ref WireWriter body)
        {
            Slot s = Find(session);
            if (s == null || !s.ClientAuthRequested)
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

        internal override bool ExpectsClientCertificate(DtlsSession session)
        {
            Slot s = Find(session);
            return s != null && s.ClientAuthRequested;
        }

        internal override int ReadClientCertificate(DtlsSession session, byte[] buffer, int offset, int length)
        {
            Slot s = Find(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
            int alert = ReadPeerCertificate(s, buffer, offset, length, s.ClientCertType, false);
            if (alert == 0 && !s.HasPeerKey && _cred.RequireClientCertificate)
            {
                return AlertDescription.HandshakeFailure; // RFC 5246 §7.4.6
            }
            return alert;
        }

        internal override int ReadClientKeyExchange(DtlsSession session, byte[] buffer, int offset, int length,
                                                  byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            Slot s = Find(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
            // ClientECDiffieHellmanPublic (RFC 8422 §5.7): point<1..2^8-1>
            WireReader r = new WireReader(buffer, offset, length);
            WireReader point = r.ReadVector8();
            if (r.Failed || !r.IsEmpty)
            {
                return AlertDescription.DecodeError;
            }
            IEcdhP256 ecdh = s.Ecdh;
            if (ecdh == null)
            {
                ecdh = _sharedEcdh;
                if (!ecdh.ImportPrivateKey(s.Scalar, 0))
                {
                    return AlertDescription.InternalError;
                }
            }
            bool ok = ecdh.DeriveSharedSecret(buffer, point.Position, point.Remaining, premaster, 0);
            ecdh.Clear(); // the ephemeral key has done its job
            Array.Clear(s.Scalar, 0, 32);
            if (!ok)
            {
                return AlertDescription.IllegalParameter; // not a valid secp256r1 point
            }
            premasterLength = 32;
            return 0;
        }

        internal override bool ExpectsCertificateVerify(DtlsSession session)
        {
            Slot s = Find(session);
            return s != null && s.HasPeerKey;
        }

        internal override int ReadCertificateVerify(DtlsSession session, byte[] buffer, int offset, int length)
        {
            Slot s = Find(session);
            if (s == null || !s.HasPeerKey)
            {
                return AlertDescription.UnexpectedMessage;
            }
            session.TranscriptHash(_hash, 0);
            WireReader r = new WireReader(buffer, offset, length);
            return VerifySignature(ref r, s.PeerKey, true);
        }

        // ================================================================ client

        internal override void WriteClientHelloExtensions(DtlsSession session, ref WireWriter w)
        {
            Slot s = Claim(session);
            if (s != null)
            {
                Clear(s);
                s.Owner = session;
            }
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

        internal override int ReadServerHelloExtension(DtlsSession session, int type, byte[] buffer, int offset, int length)
        {
            Slot s = Claim(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
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

        internal override int ReadServerCertificate(DtlsSession session, byte[] buffer, int offset, int length)
        {
            Slot s = Claim(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
            if (_cred.RawPublicKeys && s.ServerCertType != CertTypeRawPublicKey)
            {
                return AlertUnsupportedCertificate; // the server did not agree to raw public keys
            }
            int alert = ReadPeerCertificate(s, buffer, offset, length, s.ServerCertType, true);
            if (alert == 0 && !s.HasPeerKey)
            {
                return AlertBadCertificate; // a server must authenticate
            }
            return alert;
        }

        internal override int ReadServerKeyExchange(DtlsSession session, byte[] buffer, int offset, int length)
        {
            Slot s = Find(session);
            if (s == null || !s.HasPeerKey)
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
            _sha.Update(session.ClientRandom, 0, 32);
            _sha.Update(session.ServerRandom, 0, 32);
            _sha.Update(buffer, paramsStart, paramsLength);
            _sha.Finish(_hash, 0);
            int alert = VerifySignature(ref r, s.PeerKey, true);
            if (alert != 0)
            {
                return alert;
            }
            Array.Copy(buffer, point.Position, s.PeerEphemeral, 0, 65);
            s.HasPeerEphemeral = true;
            return 0;
        }

        internal override int ReadCertificateRequest(DtlsSession session, byte[] buffer, int offset, int length)
        {
            Slot s = Find(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
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
            s.ClientAuthRequested = true;
            // RFC 5246 §7.4.6: if we cannot sign what the server wants we send no certificate
            s.SentOwnCertificate = _cred.PrivateKey != null && ecdsa && sha256;
            return 0;
        }

        internal override bool WriteClientCertificate(DtlsSession session, ref WireWriter body)
        {
            Slot s = Find(session);
            if (s == null || !s.ClientAuthRequested)
            {
                return false;
            }
            if (s.ClientCertType != OwnCertType)
            {
                s.SentOwnCertificate = false; // the server did not take our kind of credential
            }
            if (!s.SentOwnCertificate)
            {
                body.WriteUInt24(0);
                return true;
            }
            return WriteOwnCertificate(ref body, OwnCertType);
        }

        internal override int WriteClientKeyExchange(DtlsSession session, ref WireWriter body, byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            Slot s = Find(session);
            if (s == null || !s.HasPeerEphemeral)
            {
                return AlertDescription.HandshakeFailure;
            }
            if (!s.Ecdh.GenerateKeyPair(RandomOf(session)))
            {
                return AlertDescription.InternalError;
            }
            if (!s.Ecdh.DeriveSharedSecret(s.PeerEphemeral, 0, 65, premaster, 0))
            {
                s.Ecdh.Clear();
                return AlertDescription.IllegalParameter; // the server's ECDHE point is not on the curve
            }
            body.WriteUInt8(65);
            s.Ecdh.ExportPublicKey(_params, 0);
            body.WriteBytes(_params, 0, 65);
            s.Ecdh.Clear();
            premasterLength = 32;
            return 0;
        }

        internal override bool WriteCertificateVerify(DtlsSession session, ref WireWriter body)
        {
            Slot s = Find(session);
            if (s == null || !s.SentOwnCertificate)
            {
                return false;
            }
            session.TranscriptHash(_hash, 0);
            WriteSignature(ref body);
            return true;
        }

        // ================================================================ shared

        private readonly IRandom _random;

        private IRandom RandomOf(DtlsSession session)
        {
            return _random;
        }

        // A fresh ephemeral key for the slot; writes its public point (65 bytes) at output[offset].
        private bool NewEphemeral(Slot s, byte[] output, int offset)
        {
            if (s.Ecdh != null)
            {
                return s.Ecdh.GenerateKeyPair(_random) && s.Ecdh.ExportPublicKey(output, offset);
            }
            // rejection sampling: a candidate that is 0 or >= n (probability about 2^-32) is drawn again
            do
            {
                _random.GetBytes(s.Scalar, 0, 32);
            }
            while (!_sharedEcdh.ImportPrivateKey(s.Scalar, 0));
            bool ok = _sharedEcdh.ExportPublicKey(output, offset);
            _sharedEcdh.Clear();
            return ok;
        }

        // DigitallySigned (RFC 5246 §4.7): SignatureAndHashAlgorithm, then the DER signature (RFC 8422 §5.4) of _hash.
        private void WriteSignature(ref WireWriter body)
        {
            if (!_ecdsa.Sign(_cred.PrivateKey, 0, _hash, 0, _signature, 0))
            {
                body.Fail();
                return;
            }
            int n = EcdsaDer.Encode(_signature, 0, _der, 0);
            body.WriteUInt16(EcdsaSecp256r1Sha256);
            body.WriteUInt16(n);
            body.WriteBytes(_der, 0, n);
        }

        // Reads a DigitallySigned from r (to its end) and verifies it over _hash with a 65-byte key.
        private int VerifySignature(ref WireReader r, byte[] key, bool mustBeLast)
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
            if (!EcdsaDer.Decode(r.Buffer, sig.Position, sig.Remaining, _signature, 0)
                || !_ecdsa.Verify(key, 0, 65, _hash, 0, _signature, 0))
            {
                return AlertDescription.DecryptError; // RFC 5246 §7.2.2: a signature that does not verify
            }
            return 0;
        }

        // The peer's Certificate message: a raw public key on the allow-list, or an X.509 chain to our anchors.
        private int ReadPeerCertificate(Slot s, byte[] buffer, int offset, int length, int type, bool peerIsServer)
        {
            s.HasPeerKey = false;
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
                Array.Copy(buffer, point, s.PeerKey, 0, 65);
                s.HasPeerKey = true;
                LastCertificateError = CertificateError.None;
                return 0;
            }
            if (length == 3 && buffer[offset] == 0 && buffer[offset + 1] == 0 && buffer[offset + 2] == 0)
            {
                return 0; // empty certificate_list
            }
            StartVerifier(peerIsServer);
            _verifier.FeedCertificateList(buffer, offset, length);
            return FinishVerifier(s);
        }

        internal override int BeginPeerCertificate(DtlsSession session, int length)
        {
            Slot s = Find(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
            s.HasPeerKey = false;
            int type = _isClient ? s.ServerCertType : s.ClientCertType;
            if (type != CertTypeX509 || length > _cred.MaxCertificateMessageLength)
            {
                LastCertificateError = CertificateError.TooLarge;
                return AlertBadCertificate; // a raw public key is never this large
            }
            StartVerifier(_isClient);
            return 0;
        }

        internal override int FeedPeerCertificate(DtlsSession session, byte[] buffer, int offset, int count)
        {
            _verifier.FeedCertificateList(buffer, offset, count);
            if (_verifier.Error != CertificateError.None)
            {
                LastCertificateError = _verifier.Error;
                return CertificateError.ToAlert(_verifier.Error); // refuse at the first bad certificate
            }
            return 0;
        }

        internal override int EndPeerCertificate(DtlsSession session)
        {
            Slot s = Find(session);
            if (s == null)
            {
                return AlertDescription.InternalError;
            }
            int alert = FinishVerifier(s);
            if (alert == 0 && !s.HasPeerKey)
            {
                return _isClient ? AlertBadCertificate : (_cred.RequireClientCertificate ? AlertDescription.HandshakeFailure : 0);
            }
            return alert;
        }

        private void StartVerifier(bool peerIsServer)
        {
            byte[] name = peerIsServer ? _cred.ExpectedServerName : null;
            byte[] address = peerIsServer ? _cred.ExpectedServerAddress : null;
            long now = _cred.Clock != null ? _cred.Clock.UnixSeconds : 0;
            _verifier.Start(now, name, 0, name != null ? name.Length : 0, address, 0, address != null ? address.Length : 0);
        }

        private int FinishVerifier(Slot s)
        {
            int error = _verifier.FinishCertificateList();
            if (error == CertificateError.None && _cred.Clock == null)
            {
                error = CertificateError.NotYetValid; // no clock: validity cannot be checked
            }
            LastCertificateError = error;
            if (error != CertificateError.None)
            {
                return CertificateError.ToAlert(error);
            }
            Array.Copy(_verifier.EndEntity.PublicKey, 0, s.PeerKey, 0, 65);
            s.HasPeerKey = true;
            return 0;
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
