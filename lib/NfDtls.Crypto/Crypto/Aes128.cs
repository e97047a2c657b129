using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// AES-128 block cipher (FIPS 197), encryption direction only: CCM uses the forward cipher for both the CBC-MAC and
    /// the counter stream, so no inverse tables are needed. The key schedule runs once per key (176 bytes of round keys).
    /// <para>
    /// Table-driven: one 256-entry T-table (1 KB, built from the S-box at type load) plus the 256-byte S-box, shared by
    /// all instances. The classic four rotated T-tables would save three rotations per column but cost 3 KB more of
    /// heap, which a board without PSRAM (50–110 KB of managed heap in all) cannot spare.
    /// </para>
    /// <para>
    /// TIMING: lookups are indexed by key-dependent state, so on a CPU with a data cache this is not constant-time
    /// (cache-timing attacks on table AES are well known). Desktop builds use the platform AES (AES-NI) through
    /// NfDtls.Desktop; this implementation is for boards, whose tables sit in cache-less internal RAM, and as the
    /// reference. Do not use it where an attacker shares the cache (other tenants on the same host).
    /// </para>
    /// </summary>
    public sealed class Aes128
    {
        public const int BlockSize = 16;
        public const int KeySize = 16;

        // FIPS 197 §5.1.1, Figure 7.
        private static readonly byte[] SBox =
        {
            0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
            0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
            0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
            0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
            0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
            0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
            0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
            0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
            0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
            0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
            0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
            0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
            0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
            0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
            0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
            0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16
        };

        // Te[x] = (2·S[x], S[x], S[x], 3·S[x]) as a big-endian word: SubBytes and MixColumns for one input byte in
        // column position 0; the other positions are the same word rotated right by 8, 16, 24 bits.
        private static readonly uint[] Te = BuildTe();

        private readonly uint[] _rk = new uint[44];
        private readonly uint[] _words = new uint[4];

        /// <summary>Expands a 16-byte key (FIPS 197 §5.2).</summary>
        public void SetKey(byte[] key, int offset)
        {
            if (key == null || offset < 0 || offset > key.Length - KeySize)
            {
                throw new ArgumentException("AES-128 needs a 16-byte key");
            }
            uint[] rk = _rk;
            byte[] s = SBox;
            for (int i = 0; i < 4; i++)
            {
                rk[i] = ((uint)key[offset] << 24) | ((uint)key[offset + 1] << 16) | ((uint)key[offset + 2] << 8) | key[offset + 3];
                offset += 4;
            }
            uint rcon = 0x01;
            for (int i = 4; i < 44; i += 4)
            {
                uint t = rk[i - 1];
                // SubWord(RotWord(t)) ^ Rcon
                t = ((uint)s[(t >> 16) & 0xff] << 24) | ((uint)s[(t >> 8) & 0xff] << 16) | ((uint)s[t & 0xff] << 8) | s[t >> 24];
                t ^= rcon << 24;
                rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11b);
                rk[i] = rk[i - 4] ^ t;
                rk[i + 1] = rk[i - 3] ^ rk[i];
                rk[i + 2] = rk[i - 2] ^ rk[i + 1];
                rk[i + 3] = rk[i - 1] ^ rk[i + 2];
            }
        }

        /// <summary>Wipes the round keys.</summary>
        public void Clear()
        {
            Array.Clear(_rk, 0, _rk.Length);
        }

        /// <summary>Encrypts one 16-byte block. Input and output may be the same bytes (the state is read in first).</summary>
        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            uint[] w = _words;
            int i = inputOffset;
            for (int j = 0; j < 4; j++)
            {
                w[j] = ((uint)input[i] << 24) | ((uint)input[i + 1] << 16) | ((uint)input[i + 2] << 8) | input[i + 3];
                i += 4;
            }
            Encrypt(w);
            int o = outputOffset;
            for (int j = 0; j < 4; j++)
            {
                uint v = w[j];
                output[o] = (byte)(v >> 24);
                output[o + 1] = (byte)(v >> 16);
                output[o + 2] = (byte)(v >> 8);
                output[o + 3] = (byte)v;
                o += 4;
            }
        }

        /// <summary>
        /// Encrypts, in place, the block held as four big-endian words (CCM keeps its blocks as words, so no byte
        /// packing per block). The state stays in locals through the ten rounds.
        /// </summary>
        internal void Encrypt(uint[] block)
        {
            uint[] rk = _rk;
            uint[] te = Te;
            uint s0 = block[0] ^ rk[0];
            uint s1 = block[1] ^ rk[1];
            uint s2 = block[2] ^ rk[2];
            uint s3 = block[3] ^ rk[3];
            uint t0, t1, t2, u1, u2, u3;

            // Rounds 1..9: SubBytes + ShiftRows + MixColumns + AddRoundKey per output column (FIPS 197 §5.1),
            // column j takes row r from input column j + r.
            for (int k = 4; k < 40; k += 4)
            {
                u1 = te[(s1 >> 16) & 0xff];
                u2 = te[(s2 >> 8) & 0xff];
                u3 = te[s3 & 0xff];
                t0 = te[s0 >> 24] ^ ((u1 >> 8) | (u1 << 24)) ^ ((u2 >> 16) | (u2 << 16)) ^ ((u3 >> 24) | (u3 << 8)) ^ rk[k];
                u1 = te[(s2 >> 16) & 0xff];
                u2 = te[(s3 >> 8) & 0xff];
                u3 = te[s0 & 0xff];
                t1 = te[s1 >> 24] ^ ((u1 >> 8) | (u1 << 24)) ^ ((u2 >> 16) | (u2 << 16)) ^ ((u3 >> 24) | (u3 << 8)) ^ rk[k + 1];
                u1 = te[(s3 >> 16) & 0xff];
                u2 = te[(s0 >> 8) & 0xff];
                u3 = te[s1 & 0xff];
                t2 = te[s2 >> 24] ^ ((u1 >> 8) | (u1 << 24)) ^ ((u2 >> 16) | (u2 << 16)) ^ ((u3 >> 24) | (u3 << 8)) ^ rk[k + 2];
                u1 = te[(s0 >> 16) & 0xff];
                u2 = te[(s1 >> 8) & 0xff];
                u3 = te[s2 & 0xff];
                s3 = te[s3 >> 24] ^ ((u1 >> 8) | (u1 << 24)) ^ ((u2 >> 16) | (u2 << 16)) ^ ((u3 >> 24) | (u3 << 8)) ^ rk[k + 3];
                s0 = t0;
                s1 = t1;
                s2 = t2;
            }

            // Round 10: no MixColumns.
            byte[] s = SBox;
            block[0] = (((uint)s[s0 >> 24] << 24) | ((uint)s[(s1 >> 16) & 0xff] << 16) | ((uint)s[(s2 >> 8) & 0xff] << 8) | s[s3 & 0xff]) ^ rk[40];
            block[1] = (((uint)s[s1 >> 24] << 24) | ((uint)s[(s2 >> 16) & 0xff] << 16) | ((uint)s[(s3 >> 8) & 0xff] << 8) | s[s0 & 0xff]) ^ rk[41];
            block[2] = (((uint)s[s2 >> 24] << 24) | ((uint)s[(s3 >> 16) & 0xff] << 16) | ((uint)s[(s0 >> 8) & 0xff] << 8) | s[s1 & 0xff]) ^ rk[42];
            block[3] = (((uint)s[s3 >> 24] << 24) | ((uint)s[(s0 >> 16) & 0xff] << 16) | ((uint)s[(s1 >> 8) & 0xff] << 8) | s[s2 & 0xff]) ^ rk[43];
        }

        private static uint[] BuildTe()
        {
            uint[] te = new uint[256];
            for (int x = 0; x < 256; x++)
            {
                uint s1 = SBox[x];
                uint s2 = (s1 << 1) ^ ((s1 >> 7) * 0x11b); // xtime: multiply by 2 in GF(2^8)
                te[x] = (s2 << 24) | (s1 << 16) | (s1 << 8) | (s2 ^ s1);
            }
            return te;
        }
    }
}
