using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// The TLS 1.2 PRF with SHA-256 (RFC 5246 §5): PRF(secret, label, seed) = P_SHA256(secret, label + seed), where
    /// P_hash(secret, s) = HMAC(secret, A(1) + s) + HMAC(secret, A(2) + s) + ..., A(0) = s, A(i) = HMAC(secret, A(i-1)).
    /// The seed may come in two parts that are MACed one after the other, so key expansion
    /// (server_random + client_random) and the master secret (client_random + server_random) need no concatenation
    /// buffer. Owns 64 bytes of scratch besides the HMAC; allocation-free per call.
    /// Outputs must not overlap the label or seed bytes (they are read again for every output block); they may
    /// overlap the secret, which the HMAC copies when keyed.
    /// </summary>
    public sealed class TlsPrf
    {
        private readonly IHmacSha256 _hmac;
        private readonly byte[] _a = new byte[HmacSha256.MacSize];
        private readonly byte[] _block = new byte[HmacSha256.MacSize];

        public TlsPrf()
            : this(new HmacSha256())
        {
        }

        public TlsPrf(IHmacSha256 hmac)
        {
            if (hmac == null)
            {
                throw new ArgumentNullException("hmac");
            }
            _hmac = hmac;
        }

        /// <summary>PRF(secret, label, seed) into output[outputOffset .. outputOffset + outputLength).</summary>
        public void Derive(byte[] secret, int secretOffset, int secretLength,
                           byte[] label, int labelOffset, int labelLength,
                           byte[] seed, int seedOffset, int seedLength,
                           byte[] output, int outputOffset, int outputLength)
        {
            Derive(secret, secretOffset, secretLength, label, labelOffset, labelLength,
                   seed, seedOffset, seedLength, seed, seedOffset, 0, output, outputOffset, outputLength);
        }

        /// <summary>PRF(secret, label, seedA + seedB) into output[outputOffset .. outputOffset + outputLength).</summary>
        public void Derive(byte[] secret, int secretOffset, int secretLength,
                           byte[] label, int labelOffset, int labelLength,
                           byte[] seedA, int seedAOffset, int seedALength,
                           byte[] seedB, int seedBOffset, int seedBLength,
                           byte[] output, int outputOffset, int outputLength)
        {
            if (outputLength < 0 || labelLength < 0 || seedALength < 0 || seedBLength < 0)
            {
                throw new ArgumentOutOfRangeException("outputLength");
            }
            IHmacSha256 hmac = _hmac;
            byte[] a = _a;
            hmac.SetKey(secret, secretOffset, secretLength);

            // A(1) = HMAC(secret, label + seed)
            hmac.Update(label, labelOffset, labelLength);
            hmac.Update(seedA, seedAOffset, seedALength);
            hmac.Update(seedB, seedBOffset, seedBLength);
            hmac.Finish(a, 0);

            while (outputLength > 0)
            {
                // HMAC(secret, A(i) + label + seed)
                hmac.Update(a, 0, HmacSha256.MacSize);
                hmac.Update(label, labelOffset, labelLength);
                hmac.Update(seedA, seedAOffset, seedALength);
                hmac.Update(seedB, seedBOffset, seedBLength);
                if (outputLength >= HmacSha256.MacSize)
                {
                    hmac.Finish(output, outputOffset);
                    outputOffset += HmacSha256.MacSize;
                    outputLength -= HmacSha256.MacSize;
                }
                else
                {
                    hmac.Finish(_block, 0);
                    Array.Copy(_block, 0, output, outputOffset, outputLength);
                    outputLength = 0;
                }
                if (outputLength > 0)
                {
                    // A(i + 1) = HMAC(secret, A(i))
                    hmac.Update(a, 0, HmacSha256.MacSize);
                    hmac.Finish(a, 0);
                }
            }
            Array.Clear(a, 0, a.Length);
            Array.Clear(_block, 0, _block.Length);
        }
    }
}
