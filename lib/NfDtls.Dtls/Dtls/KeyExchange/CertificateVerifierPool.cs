using NfDtls.Crypto;
using NfDtls.Pki;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// The few <see cref="CertificateChainVerifier"/>s of an engine (<see cref="DtlsConfig.ConcurrentCertificateChains"/>,
    /// by default 1), all made at construction. A handshake borrows one only while it reads the peer's Certificate
    /// message, from its first byte until the end-entity key is copied into the handshake's own state, and gives it
    /// back at once; a handshake that fails, times out or goes back to its pool in the middle of its Certificate gives
    /// it back too (<see cref="EcdheHandshakeState"/>'s wipe). Every verifier is reset when returned, so each chain is
    /// read by a clean one and nothing of one peer's chain reaches another's (issue 16, finding 1).
    /// </summary>
    internal sealed class CertificateVerifierPool
    {
        /// <summary>The free verifiers; a lent one's slot is null until it comes back.</summary>
        private readonly CertificateChainVerifier[] _free;

        public CertificateVerifierPool(int count, TrustAnchorStore anchors, IEcdsaP256 ecdsa, int maxChainLength, int captureCapacity)
        {
            _free = new CertificateChainVerifier[count];
            for (int i = 0; i < count; i++)
            {
                _free[i] = new CertificateChainVerifier(anchors, ecdsa, maxChainLength, captureCapacity);
            }
        }

        public int Count { get { return _free.Length; } }

        /// <summary>Verifiers not lent right now.</summary>
        public int Available
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _free.Length; i++)
                {
                    if (_free[i] != null)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>A free (clean) verifier, or null when all are lent.</summary>
        public CertificateChainVerifier Take()
        {
            for (int i = 0; i < _free.Length; i++)
            {
                CertificateChainVerifier v = _free[i];
                if (v != null)
                {
                    _free[i] = null;
                    return v;
                }
            }
            return null;
        }

        /// <summary>A lent verifier comes back, wiped.</summary>
        public void Return(CertificateChainVerifier verifier)
        {
            verifier.Reset();
            int slot = -1;
            for (int i = 0; i < _free.Length; i++)
            {
                if (_free[i] == verifier)
                {
                    return; // already back
                }
                if (_free[i] == null && slot < 0)
                {
                    slot = i;
                }
            }
            if (slot >= 0)
            {
                _free[slot] = verifier;
            }
        }
    }
}
