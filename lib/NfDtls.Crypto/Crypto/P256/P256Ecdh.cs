using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// Portable P-256 ECDH (SEC 1 §3.3.1, the shared secret is the x coordinate as TLS uses it, RFC 8422 §5.10).
    /// Peer points are fully validated before use. One key generation or derivation is one constant-time scalar
    /// multiplication. About 3 KB per instance, all allocated here; nothing is allocated per operation.
    /// </summary>
    public sealed class P256Ecdh : IEcdhP256
    {
        private readonly P256Curve _curve;

        public P256Ecdh()
            : this(new P256Curve())
        {
        }

        /// <summary>On a curve workspace shared with other P-256 objects of one engine (<see cref="P256Engine"/>).</summary>
        internal P256Ecdh(P256Curve curve)
        {
            _curve = curve;
        }
        private readonly byte[] _private = new byte[32];
        private readonly uint[] _x = new uint[8];
        private readonly uint[] _y = new uint[8];
        private readonly uint[] _limbs = new uint[8];
        private readonly byte[] _public = new byte[65];
        private bool _hasKey;

        public bool GenerateKeyPair(IRandom random)
        {
            Clear();
            if (random == null)
            {
                return false;
            }
            // rejection sampling: a candidate that is 0 or ≥ n (probability about 2^-32) is drawn again
            do
            {
                random.GetBytes(_private, 0, 32);
            }
            while (!IsValidScalar(_private, 0));
            return ComputePublic();
        }

        public bool ImportPrivateKey(byte[] scalar, int offset)
        {
            Clear();
            if (scalar == null || offset < 0 || offset > scalar.Length - 32 || !IsValidScalar(scalar, offset))
            {
                return false;
            }
            Array.Copy(scalar, offset, _private, 0, 32);
            return ComputePublic();
        }

        public bool ExportPublicKey(byte[] output, int offset)
        {
            if (!_hasKey || output == null || offset < 0 || offset > output.Length - 65)
            {
                return false;
            }
            Array.Copy(_public, 0, output, offset, 65);
            return true;
        }

        public bool DeriveSharedSecret(byte[] peerPublicKey, int offset, int count, byte[] output, int outputOffset)
        {
            if (!_hasKey || output == null || outputOffset < 0 || outputOffset > output.Length - 32)
            {
                return false;
            }
            if (!_curve.DecodePoint(peerPublicKey, offset, count, _x, _y))
            {
                return false;
            }
            bool finite = _curve.Multiply(_x, _y, _x, _y, _private, 0);
            if (finite)
            {
                P256Limbs.ToBytes(output, outputOffset, _x);
            }
            Array.Clear(_x, 0, 8);
            Array.Clear(_y, 0, 8);
            _curve.Clear();
            return finite;
        }

        public void Clear()
        {
            Array.Clear(_private, 0, 32);
            Array.Clear(_public, 0, 65);
            _hasKey = false;
        }

        private bool ComputePublic()
        {
            _hasKey = _curve.MultiplyBase(_x, _y, _private, 0);
            P256Curve.EncodePoint(_public, 0, _x, _y);
            Array.Clear(_x, 0, 8);
            Array.Clear(_y, 0, 8);
            _curve.Clear();
            return _hasKey;
        }

        private bool IsValidScalar(byte[] scalar, int offset)
        {
            P256Limbs.FromBytes(_limbs, scalar, offset);
            bool ok = !P256Limbs.IsZero(_limbs) && P256Limbs.IsLess(_limbs, P256Tables.N);
            Array.Clear(_limbs, 0, 8);
            return ok;
        }
    }
}
