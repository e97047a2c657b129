using NfDtls.Pki;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// What one ECDHE_ECDSA handshake keeps between messages, made once per pooled handshake: our ephemeral scalar
    /// (server, from ServerKeyExchange to ClientKeyExchange), the peer's authenticated key and its ephemeral point, the
    /// negotiated certificate types (RFC 7250), and, while it reads the peer's X.509 Certificate, the chain verifier
    /// lent to it from the key exchange's <see cref="CertificateVerifierPool"/> (no other handshake can touch it meanwhile: issue
    /// 16, finding 1). 97 (server) or 162 (client) bytes of keys, an int, the verifier lent (null most of the time).
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

        /// <summary>Bytes of <see cref="Keys"/>: a server uses the client's ephemeral point as it arrives, keeping none.</summary>
        public const int ServerKeysLength = PeerEphemeral;
        public const int ClientKeysLength = PeerEphemeral + 65;

        /// <summary>Scalar (32), peer key (65), and on a client the server's ephemeral point (65).</summary>
        public readonly byte[] Keys;

        /// <summary>The verifier lent (by the key exchange's pool) while the peer's Certificate is read, else null.</summary>
        public CertificateChainVerifier Verifier;

        /// <summary>
        /// Certificate types (RFC 7250): the server's (bits 0-7), the client's (8-15), the one we present (16-23); the
        /// flags above from bit 24 (one int: on nanoCLR every field costs a 12-byte block).
        /// </summary>
        public int Types;
        private const int FlagShift = 24;

        public EcdheHandshakeState(int keysLength)
        {
            Keys = new byte[keysLength];
        }

        /// <summary>Borrows a verifier from <paramref name="pool"/> unless one is held already: false when none is free.</summary>
        public bool TakeVerifier(CertificateVerifierPool pool)
        {
            if (Verifier == null && pool != null)
            {
                Verifier = pool.Take();
            }
            return Verifier != null;
        }

        /// <summary>Gives the lent verifier back to <paramref name="pool"/> (wiped), if one is held.</summary>
        public void ReturnVerifier(CertificateVerifierPool pool)
        {
            CertificateChainVerifier v = Verifier;
            if (v != null)
            {
                Verifier = null;
                pool.Return(v);
            }
        }

        public bool Has(int flag)
        {
            return (Types & (flag << FlagShift)) != 0;
        }

        public void Set(int flag, bool on)
        {
            Types = on ? Types | (flag << FlagShift) : Types & ~(flag << FlagShift);
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

        /// <summary>The key exchange returns a verifier still lent (<see cref="EcdheEcdsaKeyExchange"/>'s WipeState) first.</summary>
        internal override void Wipe()
        {
            System.Array.Clear(Keys, 0, Keys.Length);
            Types = 0; // no flags, X.509 (0) every way
        }
    }
}
