using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// AES-128-CCM (RFC 3610, NIST SP 800-38C) over <see cref="Aes128"/>. Tag length M is fixed per instance (DTLS uses
    /// 8 for the _CCM_8 suites and 16 for _CCM; the other even lengths 4..16 of RFC 3610 §2 are accepted for completeness);
    /// the nonce may be 7..13 bytes (L = 15 - nonce length). One pass: each block is MACed and encrypted together, so
    /// in-place operation (output the same bytes as input) works. Open compares the tag in constant time and, when it
    /// fails, zeroes the plaintext it wrote. The CBC-MAC value, the counter block and the key stream stay 32-bit words
    /// between AES calls (<see cref="Aes128.Encrypt"/>), so a block costs its 16 byte reads and writes and two AES
    /// rounds on locals. About 300 bytes per instance (AES round keys + a few blocks); nothing is allocated per call.
    /// </summary>
    public sealed class Aes128Ccm : IAesCcm
    {
        private readonly Aes128 _aes = new Aes128();
        private readonly uint[] _mac = new uint[4];  // CBC-MAC chaining value X_i, big-endian words
        private readonly uint[] _ctr = new uint[4];  // counter block A_i
        private readonly uint[] _ks = new uint[4];   // key stream block S_i
        private readonly uint[] _s0 = new uint[4];   // S_0, masks the tag
        private readonly byte[] _block = new byte[16]; // B_0 and A_0 are laid out in bytes first
        private readonly byte[] _tag = new byte[16]; // received tag (copied out before in-place decryption)
        private readonly byte[] _expected = new byte[16];
        private readonly int _tagLength;
        private bool _hasKey;

        public Aes128Ccm(int tagLength)
        {
            // RFC 3610 §2: M is one of 4, 6, 8, 10, 12, 14, 16.
            if (tagLength < 4 || tagLength > 16 || (tagLength & 1) != 0)
            {
                throw new ArgumentOutOfRangeException("tagLength");
            }
            _tagLength = tagLength;
        }

        public int TagLength
        {
            get { return _tagLength; }
        }

        public void SetKey(byte[] key, int offset)
        {
            _aes.SetKey(key, offset);
            _hasKey = true;
        }

        public bool Seal(byte[] nonce, int nonceOffset, int nonceLength,
                         byte[] aad, int aadOffset, int aadLength,
                         byte[] input, int inputOffset, int count,
                         byte[] output, int outputOffset)
        {
            int m = _tagLength;
            if (!_hasKey || !ValidNonce(nonce, nonceOffset, nonceLength, count)
                || !InRange(aad, aadOffset, aadLength) || !InRange(input, inputOffset, count)
                || count > int.MaxValue - m || !InRange(output, outputOffset, count + m))
            {
                return false;
            }

            StartMac(nonce, nonceOffset, nonceLength, aad, aadOffset, aadLength, count);
            StartCounter(nonce, nonceOffset, nonceLength);

            Crypt(input, inputOffset, output, outputOffset, count, true);

            // RFC 3610 §2.3: U = first M bytes of (T xor S_0), appended to the ciphertext.
            TagBytes(output, outputOffset + count);
            Wipe();
            return true;
        }

        public bool Open(byte[] nonce, int nonceOffset, int nonceLength,
                         byte[] aad, int aadOffset, int aadLength,
                         byte[] input, int inputOffset, int count,
                         byte[] output, int outputOffset)
        {
            int m = _tagLength;
            int plain = count - m;
            bool outputOk = plain >= 0 && InRange(output, outputOffset, plain);
            if (!_hasKey || !outputOk || !ValidNonce(nonce, nonceOffset, nonceLength, plain)
                || !InRange(aad, aadOffset, aadLength) || !InRange(input, inputOffset, count))
            {
                if (outputOk && plain > 0)
                {
                    Array.Clear(output, outputOffset, plain);
                }
                return false;
            }

            // The tag goes first: decrypting in place must not be able to overwrite it.
            Array.Copy(input, inputOffset + plain, _tag, 0, m);
            StartMac(nonce, nonceOffset, nonceLength, aad, aadOffset, aadLength, plain);
            StartCounter(nonce, nonceOffset, nonceLength);

            Crypt(input, inputOffset, output, outputOffset, plain, false);

            // The expected tag, then one constant-time comparison over all M bytes.
            TagBytes(_expected, 0);
            bool ok = ConstantTime.Equals(_expected, 0, _tag, 0, m);
            if (!ok && plain > 0)
            {
                Array.Clear(output, outputOffset, plain); // RFC 3610 §2.5: release nothing on a bad tag
            }
            Wipe();
            return ok;
        }

        /// <summary>
        /// CTR encryption and CBC-MAC of the payload together (RFC 3610 §2.2-2.3), block by block in words: the MAC
        /// takes the plaintext, so sealing reads it from input and opening from the decrypted output.
        /// Input and output may be the same bytes (each word is read before it is written).
        /// </summary>
        private void Crypt(byte[] input, int i, byte[] output, int o, int count, bool sealing)
        {
            uint[] mac = _mac;
            uint[] ctr = _ctr;
            uint[] ks = _ks;
            while (count >= 16)
            {
                // A_i: the counter fills the last L (2..8) bytes; a message has fewer than 2^(8L) blocks, so the
                // increment never reaches the nonce bytes
                if (++ctr[3] == 0)
                {
                    ctr[2]++;
                }
                ks[0] = ctr[0];
                ks[1] = ctr[1];
                ks[2] = ctr[2];
                ks[3] = ctr[3];
                _aes.Encrypt(ks);
                for (int j = 0; j < 4; j++)
                {
                    uint v = ((uint)input[i] << 24) | ((uint)input[i + 1] << 16) | ((uint)input[i + 2] << 8) | input[i + 3];
                    uint c = v ^ ks[j];
                    mac[j] ^= sealing ? v : c;
                    output[o] = (byte)(c >> 24);
                    output[o + 1] = (byte)(c >> 16);
                    output[o + 2] = (byte)(c >> 8);
                    output[o + 3] = (byte)c;
                    i += 4;
                    o += 4;
                }
                _aes.Encrypt(mac);
                count -= 16;
            }
            if (count > 0)
            {
                if (++ctr[3] == 0)
                {
                    ctr[2]++;
                }
                Array.Copy(ctr, ks, 4);
                _aes.Encrypt(ks);
                for (int j = 0; j < count; j++)
                {
                    int shift = 24 - ((j & 3) << 3);
                    byte v = input[i + j];
                    byte c = (byte)(v ^ (ks[j >> 2] >> shift));
                    mac[j >> 2] ^= (uint)(sealing ? v : c) << shift; // the zero padding of the last block is implicit
                    output[o + j] = c;
                }
                _aes.Encrypt(mac);
            }
        }

        // RFC 3610 §2.2: B_0 = flags | nonce | l(m); then l(a) | a, zero-padded to whole blocks; CBC-MAC over them.
        private void StartMac(byte[] nonce, int nonceOffset, int nonceLength, byte[] aad, int aadOffset, int aadLength, int count)
        {
            byte[] b = _block;
            int l = 15 - nonceLength;
            b[0] = (byte)((aadLength > 0 ? 0x40 : 0) | (((_tagLength - 2) >> 1) << 3) | (l - 1));
            Array.Copy(nonce, nonceOffset, b, 1, nonceLength);
            int len = count;
            for (int j = 15; j > nonceLength; j--)
            {
                b[j] = (byte)len;
                len >>= 8;
            }
            uint[] mac = _mac;
            ToWords(mac, b);
            _aes.Encrypt(mac);

            if (aadLength <= 0)
            {
                return;
            }
            int pos;
            if (aadLength < 0xFF00)
            {
                mac[0] ^= (uint)(aadLength & 0xffff) << 16;
                pos = 2;
            }
            else
            {
                // 2^16 - 2^8 <= l(a) < 2^32: 0xff 0xfe followed by four length bytes.
                mac[0] ^= 0xfffe0000u | ((uint)aadLength >> 16);
                mac[1] ^= (uint)(aadLength & 0xffff) << 16;
                pos = 6;
            }
            int end = aadOffset + aadLength;
            for (int i = aadOffset; i < end; i++)
            {
                mac[pos >> 2] ^= (uint)aad[i] << (24 - ((pos & 3) << 3));
                if (++pos == 16)
                {
                    _aes.Encrypt(mac);
                    pos = 0;
                }
            }
            if (pos != 0)
            {
                _aes.Encrypt(mac); // the zero padding of the last block is implicit (x ^ 0 = x)
            }
        }

        // RFC 3610 §2.3: A_i = flags (L - 1) | nonce | i; S_0 = E(A_0) is kept for the tag.
        private void StartCounter(byte[] nonce, int nonceOffset, int nonceLength)
        {
            byte[] a = _block;
            a[0] = (byte)(14 - nonceLength);
            Array.Copy(nonce, nonceOffset, a, 1, nonceLength);
            for (int j = nonceLength + 1; j < 16; j++)
            {
                a[j] = 0;
            }
            ToWords(_ctr, a);
            Array.Copy(_ctr, _s0, 4);
            _aes.Encrypt(_s0);
        }

        // The first M bytes of T xor S_0.
        private void TagBytes(byte[] output, int offset)
        {
            for (int j = 0; j < _tagLength; j++)
            {
                int shift = 24 - ((j & 3) << 3);
                output[offset + j] = (byte)((_mac[j >> 2] ^ _s0[j >> 2]) >> shift);
            }
        }

        private static void ToWords(uint[] w, byte[] b)
        {
            for (int j = 0; j < 4; j++)
            {
                int k = 4 * j;
                w[j] = ((uint)b[k] << 24) | ((uint)b[k + 1] << 16) | ((uint)b[k + 2] << 8) | b[k + 3];
            }
        }

        private void Wipe()
        {
            Array.Clear(_mac, 0, 4);
            Array.Clear(_ks, 0, 4);
            Array.Clear(_s0, 0, 4);
            Array.Clear(_expected, 0, 16);
        }

        // Nonce 7..13 bytes (RFC 3610 §2: L = 2..8), and the message length must fit in L bytes.
        private static bool ValidNonce(byte[] nonce, int offset, int length, int messageLength)
        {
            if (length < 7 || length > 13 || !InRange(nonce, offset, length) || messageLength < 0)
            {
                return false;
            }
            int l = 15 - length;
            return l >= 4 || messageLength < (1 << (8 * l));
        }

        private static bool InRange(byte[] array, int offset, int length)
        {
            if (length == 0)
            {
                return offset >= 0 && (array == null || offset <= array.Length);
            }
            return array != null && offset >= 0 && length > 0 && offset <= array.Length - length;
        }
    }
}
