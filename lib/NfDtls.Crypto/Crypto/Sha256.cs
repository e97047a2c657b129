using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// SHA-256 (FIPS 180-4), incremental. Portable and allocation-free after construction: one 64-byte block buffer,
    /// one 64-byte padding block and the 64-word message schedule (about 450 bytes per instance with the object headers).
    /// Written for an interpreter (nanoFramework has no JIT): 32-bit uint arithmetic only, the 64 rounds unrolled by
    /// eight so the working variables rotate by name instead of being shuffled, no calls inside the compression.
    /// </summary>
    public sealed class Sha256 : ISha256
    {
        public const int HashSize = 32;
        public const int BlockSize = 64;

        // FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots of the first 64 primes.
        private static readonly uint[] K =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
        };

        private uint _h0, _h1, _h2, _h3, _h4, _h5, _h6, _h7;
        private readonly byte[] _buffer = new byte[BlockSize];
        private readonly byte[] _pad = new byte[BlockSize];
        private readonly uint[] _w = new uint[64];
        private int _bufferCount;
        private long _totalBytes;

        public Sha256()
        {
            Reset();
        }

        public void Reset()
        {
            // FIPS 180-4 §5.3.3: initial hash value.
            _h0 = 0x6a09e667;
            _h1 = 0xbb67ae85;
            _h2 = 0x3c6ef372;
            _h3 = 0xa54ff53a;
            _h4 = 0x510e527f;
            _h5 = 0x9b05688c;
            _h6 = 0x1f83d9ab;
            _h7 = 0x5be0cd19;
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
                Compress(_buffer, 0);
                _bufferCount = 0;
            }
            // Whole blocks straight from the caller's array: no copy.
            while (count >= BlockSize)
            {
                Compress(data, offset);
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
            uint h0 = _h0, h1 = _h1, h2 = _h2, h3 = _h3, h4 = _h4, h5 = _h5, h6 = _h6, h7 = _h7;
            FinalBlocks();
            WriteDigest(output, offset);
            _h0 = h0;
            _h1 = h1;
            _h2 = h2;
            _h3 = h3;
            _h4 = h4;
            _h5 = h5;
            _h6 = h6;
            _h7 = h7;
        }

        public void Finish(byte[] output, int offset)
        {
            FinalBlocks();
            WriteDigest(output, offset);
            Reset();
        }

        /// <summary>Copies the chaining value (8 words) out; HMAC keeps the keyed inner/outer states this way.</summary>
        internal void ExportState(uint[] state)
        {
            state[0] = _h0;
            state[1] = _h1;
            state[2] = _h2;
            state[3] = _h3;
            state[4] = _h4;
            state[5] = _h5;
            state[6] = _h6;
            state[7] = _h7;
        }

        /// <summary>Restarts from a chaining value saved at a block boundary after <paramref name="bytesHashed"/> bytes.</summary>
        internal void ImportState(uint[] state, long bytesHashed)
        {
            _h0 = state[0];
            _h1 = state[1];
            _h2 = state[2];
            _h3 = state[3];
            _h4 = state[4];
            _h5 = state[5];
            _h6 = state[6];
            _h7 = state[7];
            _bufferCount = 0;
            _totalBytes = bytesHashed;
        }

        // FIPS 180-4 §5.1.1: append 0x80, zeros to 56 mod 64, then the message length in bits as a 64-bit big-endian.
        private void FinalBlocks()
        {
            byte[] pad = _pad;
            int n = _bufferCount;
            Array.Copy(_buffer, 0, pad, 0, n);
            pad[n++] = 0x80;
            if (n > 56)
            {
                Array.Clear(pad, n, BlockSize - n);
                Compress(pad, 0);
                n = 0;
            }
            Array.Clear(pad, n, 56 - n);
            long bits = _totalBytes << 3;
            uint hi = (uint)(bits >> 32);
            uint lo = (uint)bits;
            pad[56] = (byte)(hi >> 24);
            pad[57] = (byte)(hi >> 16);
            pad[58] = (byte)(hi >> 8);
            pad[59] = (byte)hi;
            pad[60] = (byte)(lo >> 24);
            pad[61] = (byte)(lo >> 16);
            pad[62] = (byte)(lo >> 8);
            pad[63] = (byte)lo;
            Compress(pad, 0);
        }

        private void WriteDigest(byte[] output, int offset)
        {
            PutUInt32(_h0, output, offset);
            PutUInt32(_h1, output, offset + 4);
            PutUInt32(_h2, output, offset + 8);
            PutUInt32(_h3, output, offset + 12);
            PutUInt32(_h4, output, offset + 16);
            PutUInt32(_h5, output, offset + 20);
            PutUInt32(_h6, output, offset + 24);
            PutUInt32(_h7, output, offset + 28);
        }

        private static void PutUInt32(uint v, byte[] b, int o)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }

        // FIPS 180-4 §6.2.2: one 64-byte block.
        private void Compress(byte[] block, int offset)
        {
            uint[] w = _w;
            uint[] k = K;
            for (int t = 0; t < 16; t++)
            {
                w[t] = ((uint)block[offset] << 24) | ((uint)block[offset + 1] << 16) | ((uint)block[offset + 2] << 8) | block[offset + 3];
                offset += 4;
            }
            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 2];
                uint y = w[t - 15];
                // sigma1(x) + w[t-7] + sigma0(y) + w[t-16]
                w[t] = (((x >> 17) | (x << 15)) ^ ((x >> 19) | (x << 13)) ^ (x >> 10)) + w[t - 7]
                     + (((y >> 7) | (y << 25)) ^ ((y >> 18) | (y << 14)) ^ (y >> 3)) + w[t - 16];
            }

            uint a = _h0, b = _h1, c = _h2, d = _h3, e = _h4, f = _h5, g = _h6, h = _h7;
            uint t1;
            for (int t = 0; t < 64; t += 8)
            {
                // T1 = h + Sigma1(e) + Ch(e,f,g) + K[t] + W[t]; d += T1; h = T1 + Sigma0(a) + Maj(a,b,c); then the names
                // rotate one place (the value called h becomes the next round's a), eight rounds bring them back.
                // round t: (a,b,c,d,e,f,g,h)
                t1 = h + (((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + k[t] + w[t];
                d += t1;
                h = t1 + (((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))) + ((a & b) | (c & (a | b)));
                // round t + 1: (h,a,b,c,d,e,f,g)
                t1 = g + (((d >> 6) | (d << 26)) ^ ((d >> 11) | (d << 21)) ^ ((d >> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + k[t + 1] + w[t + 1];
                c += t1;
                g = t1 + (((h >> 2) | (h << 30)) ^ ((h >> 13) | (h << 19)) ^ ((h >> 22) | (h << 10))) + ((h & a) | (b & (h | a)));
                // round t + 2: (g,h,a,b,c,d,e,f)
                t1 = f + (((c >> 6) | (c << 26)) ^ ((c >> 11) | (c << 21)) ^ ((c >> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + k[t + 2] + w[t + 2];
                b += t1;
                f = t1 + (((g >> 2) | (g << 30)) ^ ((g >> 13) | (g << 19)) ^ ((g >> 22) | (g << 10))) + ((g & h) | (a & (g | h)));
                // round t + 3: (f,g,h,a,b,c,d,e)
                t1 = e + (((b >> 6) | (b << 26)) ^ ((b >> 11) | (b << 21)) ^ ((b >> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + k[t + 3] + w[t + 3];
                a += t1;
                e = t1 + (((f >> 2) | (f << 30)) ^ ((f >> 13) | (f << 19)) ^ ((f >> 22) | (f << 10))) + ((f & g) | (h & (f | g)));
                // round t + 4: (e,f,g,h,a,b,c,d)
                t1 = d + (((a >> 6) | (a << 26)) ^ ((a >> 11) | (a << 21)) ^ ((a >> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + k[t + 4] + w[t + 4];
                h += t1;
                d = t1 + (((e >> 2) | (e << 30)) ^ ((e >> 13) | (e << 19)) ^ ((e >> 22) | (e << 10))) + ((e & f) | (g & (e | f)));
                // round t + 5: (d,e,f,g,h,a,b,c)
                t1 = c + (((h >> 6) | (h << 26)) ^ ((h >> 11) | (h << 21)) ^ ((h >> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + k[t + 5] + w[t + 5];
                g += t1;
                c = t1 + (((d >> 2) | (d << 30)) ^ ((d >> 13) | (d << 19)) ^ ((d >> 22) | (d << 10))) + ((d & e) | (f & (d | e)));
                // round t + 6: (c,d,e,f,g,h,a,b)
                t1 = b + (((g >> 6) | (g << 26)) ^ ((g >> 11) | (g << 21)) ^ ((g >> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + k[t + 6] + w[t + 6];
                f += t1;
                b = t1 + (((c >> 2) | (c << 30)) ^ ((c >> 13) | (c << 19)) ^ ((c >> 22) | (c << 10))) + ((c & d) | (e & (c | d)));
                // round t + 7: (b,c,d,e,f,g,h,a)
                t1 = a + (((f >> 6) | (f << 26)) ^ ((f >> 11) | (f << 21)) ^ ((f >> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + k[t + 7] + w[t + 7];
                e += t1;
                a = t1 + (((b >> 2) | (b << 30)) ^ ((b >> 13) | (b << 19)) ^ ((b >> 22) | (b << 10))) + ((b & c) | (d & (b | c)));
            }

            _h0 += a;
            _h1 += b;
            _h2 += c;
            _h3 += d;
            _h4 += e;
            _h5 += f;
            _h6 += g;
            _h7 += h;
        }
    }
}
