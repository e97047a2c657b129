using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Deterministic ECDSA nonces for P-256 with HMAC-SHA256 (RFC 6979 §3.2; qlen = hlen = 256, so bits2int is the
    /// identity on 32 bytes and bits2octets is one conditional subtraction of n). About 1 KB per instance.
    /// </summary>
    internal sealed class Rfc6979Nonce
    {
        private readonly HmacSha256 _hmac = new HmacSha256();
        private readonly byte[] _k = new byte[32];
        private readonly byte[] _v = new byte[32];
        private readonly byte[] _separator = new byte[1];
        private readonly uint[] _limbs = new uint[8];
        private bool _started;

        /// <summary>§3.2 steps b-g: x is the private key (32 bytes, &lt; n), h1 the message hash already reduced mod n.</summary>
        internal void Start(byte[] x, int xOffset, byte[] h1, int hOffset)
        {
            for (int i = 0; i < 32; i++)
            {
                _v[i] = 0x01;
                _k[i] = 0x00;
            }
            UpdateKey(0x00, x, xOffset, h1, hOffset);
            UpdateKey(0x01, x, xOffset, h1, hOffset);
            _started = false;
        }

        /// <summary>
        /// §3.2 step h: the next candidate k in [1, n-1], 32 bytes big-endian. Calling it again (because r or s came out 0)
        /// first runs the step h.3 update, as the RFC requires.
        /// </summary>
        internal void Next(byte[] output, int offset)
        {
            if (_started)
            {
                UpdateKey(0x00, null, 0, null, 0);
            }
            _started = true;
            while (true)
            {
                _hmac.SetKey(_k, 0, 32);
                _hmac.Update(_v, 0, 32);
                _hmac.Finish(_v, 0);
                P256Limbs.FromBytes(_limbs, _v, 0);
                // a rejected candidate (probability about 2^-32) is not used, so this branch reveals nothing about k
                if (!P256Limbs.IsZero(_limbs) && P256Limbs.IsLess(_limbs, P256Tables.N))
                {
                    Array.Copy(_v, 0, output, offset, 32);
                    Array.Clear(_limbs, 0, 8);
                    return;
                }
                UpdateKey(0x00, null, 0, null, 0);
            }
        }

        internal void Clear()
        {
            Array.Clear(_k, 0, 32);
            Array.Clear(_v, 0, 32);
            Array.Clear(_limbs, 0, 8);
            _hmac.SetKey(_k, 0, 0);
        }

        // K = HMAC_K(V || sep [|| x || h1]); V = HMAC_K(V)
        private void UpdateKey(byte separator, byte[] x, int xOffset, byte[] h1, int hOffset)
        {
            _hmac.SetKey(_k, 0, 32);
            _hmac.Update(_v, 0, 32);
            _separator[0] = separator;
            _hmac.Update(_separator, 0, 1);
            if (x != null)
            {
                _hmac.Update(x, xOffset, 32);
                _hmac.Update(h1, hOffset, 32);
            }
            _hmac.Finish(_k, 0);
            _hmac.SetKey(_k, 0, 32);
            _hmac.Update(_v, 0, 32);
            _hmac.Finish(_v, 0);
        }
    }
}
