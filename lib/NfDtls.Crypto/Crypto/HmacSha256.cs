using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104), incremental. SetKey hashes the padded key blocks once and keeps the two resulting
    /// chaining values, so each MAC afterwards costs only the message blocks plus two finishing compressions: no key
    /// hashing per MAC (the PRF and the DRBG run many MACs under one key). One SHA-256 serves the inner and then the
    /// outer hash (the outer one only runs in <see cref="Finish"/>, after the inner one is done), so an instance holds
    /// one hash state, two chaining values and two small blocks, all allocated here.
    /// </summary>
    public sealed class HmacSha256 : IHmacSha256
    {
        public const int MacSize = 32;

        private const int BlockSize = Sha256.BlockSize;

        private readonly Sha256 _sha = new Sha256(false); // only ever finished
        private readonly uint[] _innerState = new uint[8];
        private readonly uint[] _outerState = new uint[8];
        private readonly byte[] _block = new byte[BlockSize];
        private readonly byte[] _innerHash = new byte[MacSize];

        /// <summary>Starts with the empty key, so an instance is always in a defined state.</summary>
        public HmacSha256()
        {
            SetKey(_block, 0, 0);
        }

        public void SetKey(byte[] key, int offset, int count)
        {
            byte[] block = _block;
            // RFC 2104 §2: keys longer than the block are hashed first; shorter ones are zero-padded to B bytes.
            // Read the key before touching _block: the caller may pass _block itself (the constructor does, empty).
            if (count > BlockSize)
            {
                _sha.Reset();
                _sha.Update(key, offset, count);
                _sha.Finish(block, 0);
                Array.Clear(block, MacSize, BlockSize - MacSize);
            }
            else
            {
                if (count > 0)
                {
                    Array.Copy(key, offset, block, 0, count);
                }
                Array.Clear(block, count, BlockSize - count);
            }

            for (int i = 0; i < BlockSize; i++)
            {
                block[i] ^= 0x36; // ipad
            }
            _sha.Reset();
            _sha.Update(block, 0, BlockSize);
            _sha.ExportState(_innerState);

            for (int i = 0; i < BlockSize; i++)
            {
                block[i] ^= 0x36 ^ 0x5c; // undo ipad, apply opad
            }
            _sha.Reset();
            _sha.Update(block, 0, BlockSize);
            _sha.ExportState(_outerState);

            Array.Clear(block, 0, BlockSize); // no key bytes left lying around
            _sha.ImportState(_innerState, BlockSize);
        }

        public void Update(byte[] data, int offset, int count)
        {
            _sha.Update(data, offset, count);
        }

        public void Finish(byte[] output, int offset)
        {
            // H((K ^ opad) || H((K ^ ipad) || text)), both keyed prefixes restored from the saved chaining values.
            _sha.Finish(_innerHash, 0);
            _sha.ImportState(_outerState, BlockSize);
            _sha.Update(_innerHash, 0, MacSize);
            _sha.Finish(output, offset);
            _sha.ImportState(_innerState, BlockSize);
        }
    }
}
