using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Portable ECDSA over P-256 with SHA-256 digests (FIPS 186-4 §6.4, SEC 1 §4.1). Signing uses RFC 6979
    /// deterministic nonces and one constant-time fixed-base multiplication, with k^-1 by a constant-time Fermat
    /// inversion mod n. Verification checks the public point (on the curve, coordinates below p) and r, s in [1, n-1]
    /// before any arithmetic, and checks x(u1 G + u2 Q) = r with one joint, variable-time multiplication (all of it is
    /// public). Signatures are r || s, 32 bytes each, big-endian. About 3.5 KB per instance, nothing allocated per operation.
    /// </summary>
    public sealed class P256Ecdsa : IEcdsaP256
    {
        private readonly P256Curve _curve;
        private readonly P256OrderInverse _inverse;
        private readonly Rfc6979Nonce _nonce = new Rfc6979Nonce();
        private readonly uint[] _d = new uint[8];    // private key
        private readonly uint[] _e = new uint[8];    // digest mod n
        private readonly uint[] _k = new uint[8];    // nonce (Montgomery form), then its inverse
        private readonly uint[] _r = new uint[8];
        private readonly uint[] _s = new uint[8];
        private readonly uint[] _u = new uint[8];
        private readonly uint[] _v = new uint[8];
        private readonly uint[] _x = new uint[8];
        private readonly uint[] _y = new uint[8];
        private readonly byte[] _bytes = new byte[32];

        public P256Ecdsa()
            : this(new P256Curve())
        {
        }

        /// <summary>On a curve workspace shared with other P-256 objects of one engine (<see cref="P256Engine"/>).</summary>
        internal P256Ecdsa(P256Curve curve)
        {
            _curve = curve;
            _inverse = new P256OrderInverse(_curve.Scratch); // idle while Sign and Verify invert mod n
        }

        public bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset)
        {
            if (!ReadPrivate(privateKey, privateKeyOffset) || publicKey == null || publicKeyOffset < 0
                || publicKeyOffset > publicKey.Length - 65)
            {
                Wipe();
                return false;
            }
            bool ok = _curve.MultiplyBase(_x, _y, privateKey, privateKeyOffset);
            P256Curve.EncodePoint(publicKey, publicKeyOffset, _x, _y);
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
            ReadDigest(hash, hashOffset);
            P256Limbs.ToBytes(_bytes, 0, _e);           // bits2octets(h1)
            _nonce.Start(privateKey, privateKeyOffset, _bytes, 0);
            while (true)
            {
                _nonce.Next(_bytes, 0);
                _curve.MultiplyBase(_x, _y, _bytes, 0); // k in [1, n-1]: never infinity
                P256Order.ReduceOnce(_r, _x);           // r = x mod n (x < p < 2n)
                if (P256Limbs.IsZero(_r))
                {
                    continue;
                }
                // s = k^-1 (e + r d) mod n, products in Montgomery form (R = 2^256): (a R) b R^-1 = a b
                P256Order.MontMul(_u, _r, P256Tables.NR2);   // r R
                P256Order.MontMul(_u, _u, _d);               // r d
                P256Order.Add(_u, _u, _e);                   // e + r d
                P256Limbs.FromBytes(_k, _bytes, 0);
                P256Order.MontMul(_k, _k, P256Tables.NR2);   // k R
                _inverse.Invert(_k, _k);                     // k^-1 R
                P256Order.MontMul(_s, _k, _u);               // s
                if (P256Limbs.IsZero(_s))
                {
                    continue;
                }
                P256Limbs.ToBytes(signature, signatureOffset, _r);
                P256Limbs.ToBytes(signature, signatureOffset + 32, _s);
                Wipe();
                return true;
            }
        }

        public bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
        {
            if (hash == null || hashOffset < 0 || hashOffset > hash.Length - 32
                || signature == null || signatureOffset < 0 || signatureOffset > signature.Length - 64
                || !_curve.DecodePoint(publicKey, publicKeyOffset, publicKeyLength, _x, _y))
            {
                return false;
            }
            P256Limbs.FromBytes(_r, signature, signatureOffset);
            P256Limbs.FromBytes(_s, signature, signatureOffset + 32);
            // SEC 1 §4.1.4 step 1: r and s in [1, n-1]
            if (P256Limbs.IsZero(_r) || P256Limbs.IsZero(_s)
                || !P256Limbs.IsLess(_r, P256Tables.N) || !P256Limbs.IsLess(_s, P256Tables.N))
            {
                return false;
            }
            ReadDigest(hash, hashOffset);
            P256Order.MontMul(_v, _s, P256Tables.NR2);       // s R
            _inverse.Invert(_v, _v);                         // w R = s^-1 R
            P256Order.MontMul(_u, _v, _e);                   // u1 = e w
            P256Order.MontMul(_v, _v, _r);                   // u2 = r w
            return _curve.VerifyMultiply(_u, _v, _x, _y, _r);
        }

        private bool ReadPrivate(byte[] privateKey, int offset)
        {
            if (privateKey == null || offset < 0 || offset > privateKey.Length - 32)
            {
                return false;
            }
            P256Limbs.FromBytes(_d, privateKey, offset);
            return !P256Limbs.IsZero(_d) && P256Limbs.IsLess(_d, P256Tables.N);
        }

        // e = the 256-bit digest mod n (SEC 1 §4.1.3 step 5 with a 256-bit hash; one subtraction suffices)
        private void ReadDigest(byte[] hash, int offset)
        {
            P256Limbs.FromBytes(_e, hash, offset);
            P256Order.ReduceOnce(_e, _e);
        }

        private void Wipe()
        {
            Array.Clear(_d, 0, 8);
            Array.Clear(_k, 0, 8);
            Array.Clear(_u, 0, 8);
            Array.Clear(_x, 0, 8);
            Array.Clear(_y, 0, 8);
            Array.Clear(_bytes, 0, _bytes.Length);
            _curve.Clear();
            _inverse.Clear();
            _nonce.Clear();
        }
    }
}
