using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Portable ECDSA over P-256 with SHA-256 digests (FIPS 186-4 §6.4, SEC 1 §4.1). Signing uses RFC 6979
    /// deterministic nonces and one constant-time fixed-base multiplication, with k^-1 by a constant-time Fermat
    /// inversion mod n. Verification checks the public point (on the curve, coordinates below p) and r, s in [1, n-1]
    /// before any arithmetic. Signatures are r || s, 32 bytes each, big-endian. About 4.5 KB per instance, nothing
    /// allocated per operation.
    /// </summary>
    public sealed class P256Ecdsa : IEcdsaP256
    {
        private const int D = 0;
        private const int E = 8;
        private const int K = 16;
        private const int R = 24;
        private const int S = 32;
        private const int U = 40;
        private const int V = 48;

        private readonly P256Curve _curve = new P256Curve();
        private readonly Rfc6979Nonce _nonce = new Rfc6979Nonce();
        private readonly uint[] _n = new uint[56];
        private readonly uint[] _p1 = new uint[P256Curve.PointSize];
        private readonly uint[] _p2 = new uint[P256Curve.PointSize];
        private readonly uint[] _xy = new uint[16];
        private readonly byte[] _bytes = new byte[64];

        public bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset)
        {
            if (!ReadPrivate(privateKey, privateKeyOffset) || publicKey == null || publicKeyOffset < 0
                || publicKeyOffset > publicKey.Length - 65)
            {
                Wipe();
                return false;
            }
            _curve.MultiplyBase(_p1, 0, privateKey, privateKeyOffset);
            bool ok = _curve.EncodePoint(publicKey, publicKeyOffset, _p1, 0);
            Wipe();
            return ok;
        }

        public bool Sign(byte[] privateKey, int privateKeyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
        {
            if (!ReadPrivate(privateKey, privateKeyOffset) || hash == null || hashOffset < 0 || hashOffset > hash.Length - 32
                || signature == null || signatureOffset < 0 || signatureOffset > signature.Length - 64)
            {
                Wipe();
                return false;
            }
            Montgomery256 order = _curve.Scalar;
            uint[] n = _n;
            ReadDigest(hash, hashOffset);
            Montgomery256.ToBytes(_bytes, 0, n, E);      // bits2octets(h1)
            _nonce.Start(privateKey, privateKeyOffset, _bytes, 0);
            while (true)
            {
                _nonce.Next(order, _bytes, 0);
                Montgomery256.FromBytes(n, K, _bytes, 0);
                _curve.MultiplyBase(_p1, 0, _bytes, 0);
                _curve.ToAffine(_xy, 0, _p1, 0);        // k in [1, n-1]: never infinity
                order.ReduceOnce(n, R, _xy, 0, 0);      // r = x mod n (x < p < 2n)
                if (Montgomery256.IsZero(n, R))
                {
                    continue;
                }
                // s = k^-1 (e + r d) mod n
                order.ToMontgomery(n, U, n, R);
                order.Mul(n, U, n, U, n, D);            // r d
                order.Add(n, U, n, U, n, E);            // e + r d
                order.ToMontgomery(n, V, n, K);
                order.Invert(n, V, n, V);               // k^-1 (Montgomery form)
                order.Mul(n, S, n, V, n, U);            // s
                if (Montgomery256.IsZero(n, S))
                {
                    continue;
                }
                Montgomery256.ToBytes(signature, signatureOffset, n, R);
                Montgomery256.ToBytes(signature, signatureOffset + 32, n, S);
                Wipe();
                return true;
            }
        }

        public bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
        {
            if (hash == null || hashOffset < 0 || hashOffset > hash.Length - 32
                || signature == null || signatureOffset < 0 || signatureOffset > signature.Length - 64
                || !_curve.DecodePoint(publicKey, publicKeyOffset, publicKeyLength, _p2, 0))
            {
                return false;
            }
            Montgomery256 order = _curve.Scalar;
            uint[] n = _n;
            Montgomery256.FromBytes(n, R, signature, signatureOffset);
            Montgomery256.FromBytes(n, S, signature, signatureOffset + 32);
            // SEC 1 §4.1.4 step 1: r and s in [1, n-1]
            if (Montgomery256.IsZero(n, R) || Montgomery256.IsZero(n, S) || !order.IsReduced(n, R) || !order.IsReduced(n, S))
            {
                return false;
            }
            ReadDigest(hash, hashOffset);
            order.ToMontgomery(n, V, n, S);
            order.Invert(n, V, n, V);                   // w = s^-1
            order.Mul(n, U, n, V, n, E);                // u1 = e w
            order.Mul(n, K, n, V, n, R);                // u2 = r w
            Montgomery256.ToBytes(_bytes, 0, n, U);
            Montgomery256.ToBytes(_bytes, 32, n, K);
            _curve.MultiplyBase(_p1, 0, _bytes, 0);
            _curve.Multiply(_p2, 0, _p2, 0, _bytes, 32);
            _curve.Add(_p1, 0, _p1, 0, _p2, 0);
            if (!_curve.ToAffine(_xy, 0, _p1, 0))
            {
                return false;
            }
            order.ReduceOnce(_xy, 0, _xy, 0, 0);
            return Montgomery256.Equal(_xy, 0, n, R);
        }

        private bool ReadPrivate(byte[] privateKey, int offset)
        {
            if (privateKey == null || offset < 0 || offset > privateKey.Length - 32)
            {
                return false;
            }
            Montgomery256.FromBytes(_n, D, privateKey, offset);
            return !Montgomery256.IsZero(_n, D) && _curve.Scalar.IsReduced(_n, D);
        }

        // e = the 256-bit digest mod n (SEC 1 §4.1.3 step 5 with a 256-bit hash; one subtraction suffices)
        private void ReadDigest(byte[] hash, int offset)
        {
            Montgomery256.FromBytes(_n, E, hash, offset);
            _curve.Scalar.ReduceOnce(_n, E, _n, E, 0);
        }

        private void Wipe()
        {
            Array.Clear(_n, 0, _n.Length);
            Array.Clear(_p1, 0, _p1.Length);
            Array.Clear(_xy, 0, _xy.Length);
            Array.Clear(_bytes, 0, _bytes.Length);
            _nonce.Clear();
        }
    }
}
