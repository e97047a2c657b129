using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4), incremental. Portable and allocation-free after construction: one 64-byte block buffer and
    /// the chaining value, plus, for <see cref="PeekHash"/>, a 64-byte padding block and a saved chaining value (board:
    /// 300 bytes, 204 without peeking).
    /// Written for an interpreter (nanoFramework has no JIT): the compression (<see cref="Sha256Compress"/>) keeps
    /// everything in locals, 32-bit uint arithmetic only.
    /// </summary>
    public sealed class Sha256 : ISha256
    {
        public const int HashSize = 32;
        public const int BlockSize = 64;

        /// <summary>The chaining value (0..7); with <see cref="PeekHash"/>, room to keep it aside (8..15).</summary>
        private readonly uint[] _state;
        /// <summary>The block being filled (0..63); with <see cref="PeekHash"/>, room for a padded copy of it (64..127).</summary>
        private readonly byte[] _buffer;
        private int _bufferCount;
        private long _totalBytes;

        public Sha256() : this(true)
        {
        }

        /// <summary>
        /// <paramref name="canPeek"/> false: a hash that is only ever finished (HMAC, the certificate parser's) pads in
        /// its own block buffer and keeps no room for <see cref="PeekHash"/> (144 bytes less on a board).
        /// </summary>
        public Sha256(bool canPeek)
        {
            _state = new uint[canPeek ? 16 : 8];
            _buffer = new byte[canPeek ? 2 * BlockSize : BlockSize];
            Reset();
        }

        public void Reset()
        {
            // FIPS 180-4 §5.3.3: initial hash value.
            uint[] h = _state;
            h[0] = 0x6a09e667;
            h[1] = 0xbb67ae85;
            h[2] = 0x3c6ef372;
            h[3] = 0xa54ff53a;
            h[4] = 0x510e527f;
            h[5] = 0x9b05688c;
            h[6] = 0x1f83d9ab;
            h[7] = 0x5be0cd19;
            _bufferCount = 0;
            _totalBytes = 0;
        }

        public void Update(byte[] data, int offset, int count)
        {
            if (count <= 0)
            {
                return;
            }
            _totalBytes += count;
            if (_bufferCount > 0)
            {
                int take = BlockSize - _bufferCount;
                if (take > count)
                {
                    take = count;
                }
                Array.Copy(data, offset, _buffer, _bufferCount, take);
                _bufferCount += take;
                offset += take;
                count -= take;
                if (_bufferCount < BlockSize)
                {
                    return;
                }
                Sha256Compress.Block(_state, _buffer, 0);
                _bufferCount = 0;
            }
            // Whole blocks straight from the caller's array: no copy.
            while (count >= BlockSize)
            {
                Sha256Compress.Block(_state, data, offset);
                offset += BlockSize;
                count -= BlockSize;
            }
            if (count > 0)
            {
                Array.Copy(data, offset, _buffer, 0, count);
                _bufferCount = count;
            }
        }

        public void PeekHash(byte[] output, int offset)
        {
            // Pad a copy of the tail and compress it, then put the chaining value back: the running state is untouched
            // (the handshake transcript hash is read at Finished and then continues).
            if (_state.Length < 16)
            {
                throw new InvalidOperationException("Sha256 made without canPeek");
            }
            Array.Copy(_state, 0, _state, 8, 8);
            FinalBlocks(BlockSize);
            WriteDigest(output, offset);
            Array.Copy(_state, 8, _state, 0, 8);
        }

        public void Finish(byte[] output, int offset)
        {
            FinalBlocks(0); // the tail is padded where it is: the hash starts again after
            WriteDigest(output, offset);
            Reset();
        }

        /// <summary>Copies the chaining value (8 words) out; HMAC keeps the keyed inner/outer states this way.</summary>
        internal void ExportState(uint[] state)
        {
            Array.Copy(_state, state, 8);
        }

        /// <summary>Restarts from a chaining value saved at a block boundary after <paramref name="bytesHashed"/> bytes.</summary>
        internal void ImportState(uint[] state, long bytesHashed)
        {
            Array.Copy(state, _state, 8);
            _bufferCount = 0;
            _totalBytes = bytesHashed;
        }

        // FIPS 180-4 §5.1.1: append 0x80, zeros to 56 mod 64, then the message length in bits as a 64-bit big-endian.
        // FIPS 180-4 §5.1.1: append 0x80, zeros to 56 mod 64, then the message length in bits as a 64-bit big-endian.
        // The padded tail is built at _buffer[at]: where it is (0), or in a copy (64) when the running hash must stay.
        private void FinalBlocks(int at)
        {
            byte[] pad = _buffer;
            int n = _bufferCount;
            if (at != 0)
            {
                Array.Copy(pad, 0, pad, at, n);
            }
            pad[at + n++] = 0x80;
            if (n > 56)
            {
                Array.Clear(pad, at + n, BlockSize - n);
                Sha256Compress.Block(_state, pad, at);
                n = 0;
            }
            Array.Clear(pad, at + n, 56 - n);
            long bits = _totalBytes << 3;
            uint hi = (uint)(bits >> 32);
            uint lo = (uint)bits;
            int e = at + 56;
            pad[e] = (byte)(hi >> 24);
            pad[e + 1] = (byte)(hi >> 16);
            pad[e + 2] = (byte)(hi >> 8);
            pad[e + 3] = (byte)hi;
            pad[e + 4] = (byte)(lo >> 24);
            pad[e + 5] = (byte)(lo >> 16);
            pad[e + 6] = (byte)(lo >> 8);
            pad[e + 7] = (byte)lo;
            Sha256Compress.Block(_state, pad, at);
        }

        private void WriteDigest(byte[] output, int offset)
        {
            uint[] h = _state;
            for (int i = 0; i < 8; i++)
            {
                uint v = h[i];
                int o = offset + 4 * i;
                output[o] = (byte)(v >> 24);
                output[o + 1] = (byte)(v >> 16);
                output[o + 2] = (byte)(v >> 8);
                output[o + 3] = (byte)v;
            }
        }
    }
}
