using NfDtls.Pki;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// What one ECDHE_ECDSA handshake keeps between messages, made once per pooled handshake: our ephemeral scalar
    /// (server, from ServerKeyExchange to ClientKeyExchange), the peer's authenticated key and its ephemeral point, the
    /// negotiated certificate types (RFC 7250), and, while it reads the peer's X.509 Certificate, the chain verifier
    /// lent to it by the engine's <see cref="CertificateVerifierPool"/> (no other handshake can touch it meanwhile: issue
    /// 16, finding 1). 162 bytes of keys, 2 ints, the pool and the verifier lent (null most of the time).
    /// </summary>
    internal sealed class EcdheHandshakeState : KeyExchangeState
    {
        public const int Scalar = 0;
        public const int PeerKey = 32;
        public const int PeerEphemeral = 97;

        // Flags
        public const int HasPeerKey = 1;
        public const int HasPeerEphemeral = 2;
        public const int PeerOfferedPointFormats = 4;
        public const int PeerOfferedCertificateTypes = 8;
        public const int ClientAuthRequested = 16;
        public const int SentOwnCertificate = 32;

        /// <summary>Scalar (32), peer key (65), peer ephemeral point (65).</summary>
        public readonly byte[] Keys = new byte[32 + 65 + 65];

        /// <summary>Where X.509 verifiers come from; null when the peer can only present a raw public key or nothing.</summary>
        public readonly CertificateVerifierPool Verifiers;

        /// <summary>The verifier lent while the peer's Certificate is read, else null.</summary>
        public CertificateChainVerifier Verifier;

        public int Flags;

        /// <summary>Certificate types (RFC 7250): the server's (bits 0-7), the client's (8-15), the one we present (16-23).</summary>
        public int Types;

        public EcdheHandshakeState(CertificateVerifierPool verifiers)
        {
            Verifiers = verifiers;
        }

        /// <summary>Borrows a verifier unless one is held already: false when none is free.</summary>
        public bool TakeVerifier()
        {
            if (Verifier == null && Verifiers != null)
            {
                Verifier = Verifiers.Take();
            }
            return Verifier != null;
        }

        /// <summary>Gives the lent verifier back (wiped), if one is held.</summary>
        public void ReturnVerifier()
        {
            CertificateChainVerifier v = Verifier;
            if (v != null)
            {
                Verifier = null;
                Verifiers.Return(v);
            }
        }

        public bool Has(int flag)
        {
            return (Flags & flag) != 0;
        }

        public void Set(int flag, bool on)
        {
            Flags = on ? Flags | flag : Flags & ~flag;
        }

        public int ServerCertType
        {
            get { return Types & 0xFF; }
            set { Types = (Types & ~0xFF) | (value & 0xFF); }
        }

        public int ClientCertType
        {
            get { return (Types >> 8) & 0xFF; }
            set { Types = (Types & ~0xFF00) | ((value & 0xFF) << 8); }
        }

        public int OwnType
        {
            get { return (Types >> 16) & 0xFF; }
            set { Types = (Types & ~0xFF0000) | ((value & 0xFF) << 16); }
        }

        internal override void Wipe()
        {
            System.Array.Clear(Keys, 0, Keys.Length);
            Flags = 0;
            Types = 0; // X.509 (0) every way
            ReturnVerifier(); // a handshake ended (or timed out) in the middle of its peer's Certificate
        }
    }
}
