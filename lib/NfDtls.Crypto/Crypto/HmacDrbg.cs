using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2), no prediction resistance. Instantiated from
    /// 32 bytes of entropy input plus a 16-byte nonce drawn in one request from the <see cref="IEntropySource"/>
    /// (security strength 256), and optional personalization. Reseeds itself from the source after
    /// <see cref="ReseedInterval"/> generate requests. Not thread-safe: one instance per engine/thread.
    /// About 1.1 KB per instance (the HMAC included); nothing is allocated after construction.
    /// </summary>
    public sealed class HmacDrbg : IRandom
    {
        /// <summary>Generate requests between automatic reseeds (SP 800-90A Table 2 allows up to 2^48).</summary>
        public const int ReseedInterval = 1 << 20;

        /// <summary>Largest single Generate request: 2^19 bits (SP 800-90A Table 2). GetBytes splits larger ones.</summary>
        public const int MaxBytesPerRequest = 1 << 16;

        public const int EntropyLength = 32;
        public const int NonceLength = 16;

        private const int OutLength = HmacSha256.MacSize;

        private readonly IEntropySource _source;
        private readonly HmacSha256 _hmac = new HmacSha256();
        private readonly byte[] _k = new byte[OutLength];
        private readonly byte[] _v = new byte[OutLength];
        private readonly byte[] _seed = new byte[EntropyLength + NonceLength];
        private readonly byte[] _separator = new byte[1];
        private int _reseedCounter;

        public HmacDrbg(IEntropySource source)
            : this(source, null, 0, 0)
        {
        }

        public HmacDrbg(IEntropySource source, byte[] personalization, int offset, int count)
        {
            if (source == null)
            {
                throw new ArgumentNullException("source");
            }
            if (count < 0 || (count > 0 && (personalization == null || offset < 0 || offset > personalization.Length - count)))
            {
                throw new ArgumentOutOfRangeException("count");
            }
            _source = source;

            // §10.1.2.3: seed_material = entropy_input || nonce || personalization_string; Key = 0x00.., V = 0x01..
            source.GetEntropy(_seed, 0, EntropyLength + NonceLength);
            for (int i = 0; i < OutLength; i++)
            {
                _k[i] = 0x00;
                _v[i] = 0x01;
            }
            UpdateState(_seed, 0, EntropyLength + NonceLength, personalization, offset, count);
            Array.Clear(_seed, 0, _seed.Length);
            _reseedCounter = 1;
        }

        public void GetBytes(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int n = count < MaxBytesPerRequest ? count : MaxBytesPerRequest;
                Generate(buffer, offset, n, null, 0, 0);
                offset += n;
                count -= n;
            }
        }

        /// <summary>§10.1.2.5 HMAC_DRBG_Generate with optional additional input (count ≤ <see cref="MaxBytesPerRequest"/>).</summary>
        public void Generate(byte[] output, int offset, int count, byte[] additional, int additionalOffset, int additionalLength)
        {
            if (count < 0 || count > MaxBytesPerRequest)
            {
                throw new ArgumentOutOfRangeException("count");
            }
            if (_reseedCounter > ReseedInterval)
            {
                // §9.3.1 step 7: reseed, then generate without repeating the additional input in the update.
                Reseed(additional, additionalOffset, additionalLength);
                additionalLength = 0;
            }
            if (additionalLength > 0)
            {
                UpdateState(additional, additionalOffset, additionalLength, null, 0, 0);
            }

            _hmac.SetKey(_k, 0, OutLength);
            while (count > 0)
            {
                // V = HMAC(Key, V); temp = temp || V
                _hmac.Update(_v, 0, OutLength);
                _hmac.Finish(_v, 0);
                int n = count < OutLength ? count : OutLength;
                Array.Copy(_v, 0, output, offset, n);
                offset += n;
                count -= n;
            }

            UpdateState(additional, additionalOffset, additionalLength, null, 0, 0);
            _reseedCounter++;
        }

        /// <summary>§10.1.2.4: seed_material = fresh entropy || additional input.</summary>
        public void Reseed(byte[] additional, int additionalOffset, int additionalLength)
        {
            _source.GetEntropy(_seed, 0, EntropyLength);
            UpdateState(_seed, 0, EntropyLength, additional, additionalOffset, additionalLength);
            Array.Clear(_seed, 0, EntropyLength);
            _reseedCounter = 1;
        }

        // §10.1.2.2 HMAC_DRBG_Update(provided_data, Key, V), provided_data given as up to two pieces so no
        // concatenation buffer is needed.
        private void UpdateState(byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength)
        {
            bool provided = aLength > 0 || bLength > 0;
            UpdateRound(0x00, a, aOffset, aLength, b, bOffset, bLength);
            if (provided)
            {
                UpdateRound(0x01, a, aOffset, aLength, b, bOffset, bLength);
            }
        }

        // K = HMAC(K, V || sep || provided_data); V = HMAC(K, V)
        private void UpdateRound(byte separator, byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength)
        {
            HmacSha256 hmac = _hmac;
            hmac.SetKey(_k, 0, OutLength);
            hmac.Update(_v, 0, OutLength);
            _separator[0] = separator;
            hmac.Update(_separator, 0, 1);
            if (aLength > 0)
            {
                hmac.Update(a, aOffset, aLength);
            }
            if (bLength > 0)
            {
                hmac.Update(b, bOffset, bLength);
            }
            hmac.Finish(_k, 0);

            hmac.SetKey(_k, 0, OutLength);
            hmac.Update(_v, 0, OutLength);
            hmac.Finish(_v, 0);
        }
    }
}
