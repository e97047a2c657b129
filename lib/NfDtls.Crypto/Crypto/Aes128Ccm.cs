using System;

namespace NfDtls.Crypto
{
    /// <summary>
    /// AES-128-CCM (RFC 3610, NIST SP 800-38C) over <see cref="Aes128"/>. Tag length M is fixed per instance (DTLS uses
    /// 8 for the _CCM_8 suites and 16 for _CCM; the other even lengths 4..16 of RFC 3610 §2 are accepted for completeness);
    /// the nonce may be 7..13 bytes (L = 15 - nonce length). One pass: each block is MACed and encrypted together, so
    /// in-place operation (output the same bytes as input) works. Open compares the tag in constant time and, when it
    /// fails, zeroes the plaintext it wrote. About 260 bytes per instance (AES round keys + four 16-byte blocks);
    /// nothing is allocated per call.
    /// </summary>
    public sealed class Aes128Ccm : IAesCcm
    {
        private readonly Aes128 _aes = new Aes128();
        private readonly byte[] _mac = new byte[16]; // CBC-MAC chaining value X_i
        private readonly byte[] _ctr = new byte[16]; // counter block A_i
        private readonly byte[] _ks = new byte[16];  // key stream block S_i
        private readonly byte[] _s0 = new byte[16];  // S_0, masks the tag
        private readonly byte[] _tag = new byte[16]; // received tag (copied out before in-place decryption)
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

            byte[] mac = _mac;
            byte[] ks = _ks;
            int counterLength = 15 - nonceLength; // L: A_i bytes 16-L .. 15 hold i
            int i = inputOffset;
            int o = outputOffset;
            int remaining = count;
            while (remaining > 0)
            {
                int n = remaining < 16 ? remaining : 16;
                IncrementCounter(counterLength);
                _aes.EncryptBlock(_ctr, 0, ks, 0);
                for (int j = 0; j < n; j++)
                {
                    byte p = input[i + j]; // read before writing: input and output may be the same bytes
                    mac[j] ^= p;
                    output[o + j] = (byte)(p ^ ks[j]);
                }
                _aes.EncryptBlock(mac, 0, mac, 0);
                i += n;
                o += n;
                remaining -= n;
            }

            // RFC 3610 §2.3: U = first M bytes of (T xor S_0), appended to the ciphertext.
            for (int j = 0; j < m; j++)
            {
                output[o + j] = (byte)(mac[j] ^ _s0[j]);
            }
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

            byte[] mac = _mac;
            byte[] ks = _ks;
            int counterLength = 15 - nonceLength;
            int i = inputOffset;
            int o = outputOffset;
            int remaining = plain;
            while (remaining > 0)
            {
                int n = remaining < 16 ? remaining : 16;
                IncrementCounter(counterLength);
                _aes.EncryptBlock(_ctr, 0, ks, 0);
                for (int j = 0; j < n; j++)
                {
                    byte p = (byte)(input[i + j] ^ ks[j]);
                    output[o + j] = p;
                    mac[j] ^= p;
                }
                _aes.EncryptBlock(mac, 0, mac, 0);
                i += n;
                o += n;
                remaining -= n;
            }

            // Expected tag into _ks, then one constant-time comparison over all M bytes.
            for (int j = 0; j < m; j++)
            {
                ks[j] = (byte)(mac[j] ^ _s0[j]);
            }
            bool ok = ConstantTime.Equals(ks, 0, _tag, 0, m);
            if (!ok && plain > 0)
            {
                Array.Clear(output, outputOffset, plain); // RFC 3610 §2.5: release nothing on a bad tag
            }
            Wipe();
            return ok;
        }

        // RFC 3610 §2.2: B_0 = flags | nonce | l(m); then l(a) | a, zero-padded to whole blocks; CBC-MAC over them.
        private void StartMac(byte[] nonce, int nonceOffset, int nonceLength, byte[] aad, int aadOffset, int aadLength, int count)
        {
            byte[] b = _mac;
            int l = 15 - nonceLength;
            b[0] = (byte)((aadLength > 0 ? 0x40 : 0) | (((_tagLength - 2) >> 1) << 3) | (l - 1));
            Array.Copy(nonce, nonceOffset, b, 1, nonceLength);
            int len = count;
            for (int j = 15; j > nonceLength; j--)
            {
                b[j] = (byte)len;
                len >>= 8;
            }
            _aes.EncryptBlock(b, 0, b, 0);

            if (aadLength <= 0)
            {
                return;
            }
            int pos;
            if (aadLength < 0xFF00)
            {
                b[0] ^= (byte)(aadLength >> 8);
                b[1] ^= (byte)aadLength;
                pos = 2;
            }
            else
            {
                // 2^16 - 2^8 <= l(a) < 2^32: 0xff 0xfe followed by four length bytes.
                b[0] ^= 0xff;
                b[1] ^= 0xfe;
                b[2] ^= (byte)(aadLength >> 24);
                b[3] ^= (byte)(aadLength >> 16);
                b[4] ^= (byte)(aadLength >> 8);
                b[5] ^= (byte)aadLength;
                pos = 6;
            }
            int i = aadOffset;
            int end = aadOffset + aadLength;
            while (i < end)
            {
                int n = 16 - pos;
                if (n > end - i)
                {
                    n = end - i;
                }
                for (int j = 0; j < n; j++)
                {
                    b[pos + j] ^= aad[i + j];
                }
                i += n;
                pos = 0;
                _aes.EncryptBlock(b, 0, b, 0); // the zero padding of the last block is implicit (x ^ 0 = x)
            }
        }

        // RFC 3610 §2.3: A_i = flags (L - 1) | nonce | i; S_0 = E(A_0) is kept for the tag.
        private void StartCounter(byte[] nonce, int nonceOffset, int nonceLength)
        {
            byte[] a = _ctr;
            a[0] = (byte)(14 - nonceLength);
            Array.Copy(nonce, nonceOffset, a, 1, nonceLength);
            for (int j = nonceLength + 1; j < 16; j++)
            {
                a[j] = 0;
            }
            _aes.EncryptBlock(a, 0, _s0, 0);
        }

        private void IncrementCounter(int counterLength)
        {
            byte[] a = _ctr;
            for (int j = 15; j >= 16 - counterLength; j--)
            {
                byte v = (byte)(a[j] + 1);
                a[j] = v;
                if (v != 0)
                {
                    return;
                }
            }
        }

        private void Wipe()
        {
            Array.Clear(_mac, 0, 16);
            Array.Clear(_ks, 0, 16);
            Array.Clear(_s0, 0, 16);
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
