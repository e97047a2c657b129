using NfDtls.Crypto;
using NfDtls.Net;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Stateless HelloVerifyRequest cookies (RFC 6347 §4.2.1): cookie = HMAC-SHA256(secret, client address and port ||
    /// ClientHello version || random || session_id || cipher_suites || compression_methods). Extensions are left out
    /// on purpose: real clients change them between the two ClientHellos. The server keeps nothing per client; a
    /// valid cookie proves the client can receive at its claimed address. The secret changes every
    /// <see cref="RotationMs"/> of elapsed time (§4.2.1: "change the secret value frequently"); cookies made with the
    /// previous secret stay valid for one more period, so a client in the middle of the exchange is not turned away,
    /// and no cookie is accepted more than two periods after its secret was made.
    /// 2 × 32 + 32 + 19 bytes besides the HMAC, which a server shares with its PRF (keyed again for each cookie).
    /// </summary>
    public sealed class CookieGenerator
    {
        public const int CookieLength = 32;

        /// <summary>How long one secret is used for new cookies.</summary>
        public const long RotationMs = 5 * 60 * 1000;

        private readonly IHmacSha256 _hmac;
        private readonly IRandom _random;
        private readonly byte[] _secret = new byte[32];
        private readonly byte[] _previous = new byte[32];
        private readonly byte[] _expected = new byte[CookieLength];
        private readonly byte[] _identity = new byte[3 + PeerAddress.MaxAddressLength];
        private readonly bool _sharedHmac;
        private bool _hasPrevious;
        private long _previousUntil;
        private long _rotateAt = long.MinValue;

        public CookieGenerator(ICryptoProvider crypto, IRandom random)
        {
            _hmac = crypto.CreateHmacSha256();
            _random = random;
            random.GetBytes(_secret, 0, _secret.Length);
            _hmac.SetKey(_secret, 0, _secret.Length);
        }

        /// <summary>
        /// On an HMAC the engine also uses for its PRF (one SHA-256 state less): every cookie keys it afresh, which costs
        /// two compressions per ClientHello. The engine never interleaves the two uses.
        /// </summary>
        internal CookieGenerator(IHmacSha256 sharedHmac, IRandom random)
        {
            _hmac = sharedHmac;
            _sharedHmac = true;
            _random = random;
            random.GetBytes(_secret, 0, _secret.Length);
        }

        /// <summary>
        /// Brings the secrets up to <paramref name="nowMs"/> before a cookie is made or checked (the first call starts
        /// the clock). Rotation goes by elapsed time, not by traffic: a secret makes cookies for one period and is
        /// accepted as the previous one for one period more, so no cookie outlives two periods, however quiet the
        /// server was in between (issue 16, finding 7).
        /// </summary>
        public void Rotate(long nowMs)
        {
            if (_rotateAt == long.MinValue)
            {
                _rotateAt = nowMs + RotationMs;
                return;
            }
            if (_hasPrevious && nowMs >= _previousUntil)
            {
                ForgetPrevious();
            }
            if (nowMs < _rotateAt)
            {
                return;
            }
            // The current secret made its last cookie before _rotateAt; those stay good until _rotateAt + RotationMs.
            if (nowMs < _rotateAt + RotationMs)
            {
                System.Array.Copy(_secret, 0, _previous, 0, _secret.Length);
                _previousUntil = _rotateAt + RotationMs;
                _hasPrevious = true;
            }
            else
            {
                ForgetPrevious();
            }
            _random.GetBytes(_secret, 0, _secret.Length);
            _hmac.SetKey(_secret, 0, _secret.Length);
            _rotateAt = nowMs + RotationMs;
        }

        private void ForgetPrevious()
        {
            System.Array.Clear(_previous, 0, _previous.Length);
            _hasPrevious = false;
        }

        /// <summary>Writes the 32-byte cookie for this client and hello.</summary>
        public void Compute(PeerAddress peer, byte[] hello, ClientHelloView view, byte[] output, int outputOffset)
        {
            if (_sharedHmac)
            {
                _hmac.SetKey(_secret, 0, _secret.Length);
            }
            Mac(peer, hello, view, output, outputOffset);
        }

        // The cookie MAC under whatever key the HMAC holds.
        private void Mac(PeerAddress peer, byte[] hello, ClientHelloView view, byte[] output, int outputOffset)
        {
            int n = peer.WriteIdentity(_identity, 0);
            _hmac.Update(_identity, 0, n);
            _identity[0] = (byte)(view.Version >> 8);
            _identity[1] = (byte)view.Version;
            _hmac.Update(_identity, 0, 2);
            _hmac.Update(hello, view.RandomOffset, 32);
            _identity[0] = (byte)view.SessionIdLength;
            _hmac.Update(_identity, 0, 1);
            _hmac.Update(hello, view.SessionIdOffset, view.SessionIdLength);
            _identity[0] = (byte)(view.CipherSuitesLength >> 8);
            _identity[1] = (byte)view.CipherSuitesLength;
            _hmac.Update(_identity, 0, 2);
            _hmac.Update(hello, view.CipherSuitesOffset, view.CipherSuitesLength);
            _identity[0] = (byte)view.CompressionLength;
            _hmac.Update(_identity, 0, 1);
            _hmac.Update(hello, view.CompressionOffset, view.CompressionLength);
            _hmac.Finish(output, outputOffset);
        }

        /// <summary>True when the hello carries the cookie we would have given this client (constant-time compare).</summary>
        public bool Verify(PeerAddress peer, byte[] hello, ClientHelloView view)
        {
            if (view.CookieLength != CookieLength)
            {
                return false;
            }
            Compute(peer, hello, view, _expected, 0);
            if (ConstantTime.Equals(_expected, 0, hello, view.CookieOffset, CookieLength))
            {
                return true;
            }
            if (!_hasPrevious)
            {
                return false;
            }
            _hmac.SetKey(_previous, 0, _previous.Length);
            Mac(peer, hello, view, _expected, 0);
            _hmac.SetKey(_secret, 0, _secret.Length);
            return ConstantTime.Equals(_expected, 0, hello, view.CookieOffset, CookieLength);
        }
    }
}
