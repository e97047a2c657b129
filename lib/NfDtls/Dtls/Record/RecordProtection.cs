using NfDtls.Crypto;
using NfDtls.Wire;

namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// AES-128-CCM-8 record protection for one direction of one epoch (RFC 6655 §3, RFC 7925 §3.3):
    /// nonce = 4-byte implicit IV from the key block + 8-byte explicit nonce, and the explicit nonce is the record's
    /// epoch and sequence number (RFC 6347 §4.1.2.1 uniqueness comes for free). The additional data is
    /// seq_num(epoch+seq) + type + version + plaintext length (RFC 5246 §6.2.3.3, DTLS seq_num per RFC 6347 §4.1.2.1).
    /// Owns the CCM key schedule and 4 + 12 + 13 bytes of scratch; nothing allocates per record.
    /// </summary>
    public sealed class RecordProtection
    {
        public const int ExplicitNonceLength = 8;
        public const int TagLength = 8;
        /// <summary>Bytes a protected record adds to its plaintext besides the header.</summary>
        public const int Overhead = ExplicitNonceLength + TagLength;

        private readonly IAesCcm _ccm;
        private readonly byte[] _iv = new byte[4];
        private readonly byte[] _nonce = new byte[12];
        private readonly byte[] _aad = new byte[13];
        private bool _hasKey;

        public RecordProtection(ICryptoProvider crypto)
        {
            _ccm = crypto.CreateAesCcm(TagLength);
        }

        public bool HasKey { get { return _hasKey; } }

        public void SetKey(byte[] key, int keyOffset, byte[] iv, int ivOffset)
        {
            _ccm.SetKey(key, keyOffset);
            System.Array.Copy(iv, ivOffset, _iv, 0, 4);
            _hasKey = true;
        }

        public void Clear()
        {
            System.Array.Clear(_iv, 0, 4);
            _hasKey = false;
        }

        /// <summary>
        /// Protects a record laid out at <paramref name="recordOffset"/>: 13-byte header (type, version, epoch, seq
        /// already written), 8 bytes for the explicit nonce, then <paramref name="plainLength"/> plaintext bytes.
        /// Encrypts in place, appends the tag, patches the header length. Returns the whole record's length, or -1.
        /// </summary>
        public int Seal(byte[] buffer, int recordOffset, int plainLength)
        {
            if (!_hasKey)
            {
                return -1;
            }
            // Explicit nonce = epoch(2) + sequence(6), already in the header at offset 3.
            System.Array.Copy(buffer, recordOffset + 3, buffer, recordOffset + RecordHeader.Length, ExplicitNonceLength);
            BuildNonce(buffer, recordOffset + 3);
            BuildAad(buffer[recordOffset], (buffer[recordOffset + 1] << 8) | buffer[recordOffset + 2], buffer, recordOffset + 3, plainLength);
            int plainAt = recordOffset + RecordHeader.Length + ExplicitNonceLength;
            if (!_ccm.Seal(_nonce, 0, 12, _aad, 0, 13, buffer, plainAt, plainLength, buffer, plainAt))
            {
                return -1;
            }
            int fragment = ExplicitNonceLength + plainLength + TagLength;
            RecordHeader.WriteLength(buffer, recordOffset, fragment);
            return RecordHeader.Length + fragment;
        }

        /// <summary>
        /// Authenticates and decrypts a record fragment (explicit nonce + ciphertext + tag) into
        /// <paramref name="output"/>. <paramref name="epochSeq"/> points at the header's epoch+sequence bytes.
        /// Returns the plaintext length, or -1 for anything that does not authenticate (the caller drops it silently).
        /// </summary>
        public int Open(int type, int version, byte[] header, int epochSeq,
                        byte[] fragment, int fragmentOffset, int fragmentLength,
                        byte[] output, int outputOffset)
        {
            if (!_hasKey || fragmentLength < Overhead)
            {
                return -1;
            }
            int plainLength = fragmentLength - Overhead;
            if (output == null || output.Length - outputOffset < plainLength)
            {
                return -1;
            }
            // The explicit nonce travels in the record; use it as sent (RFC 5288 §3), not our reconstruction.
            System.Array.Copy(_iv, 0, _nonce, 0, 4);
            System.Array.Copy(fragment, fragmentOffset, _nonce, 4, ExplicitNonceLength);
            BuildAad(type, version, header, epochSeq, plainLength);
            if (!_ccm.Open(_nonce, 0, 12, _aad, 0, 13, fragment, fragmentOffset + ExplicitNonceLength, plainLength + TagLength, output, outputOffset))
            {
                return -1;
            }
            return plainLength;
        }

        private void BuildNonce(byte[] explicitNonce, int at)
        {
            System.Array.Copy(_iv, 0, _nonce, 0, 4);
            System.Array.Copy(explicitNonce, at, _nonce, 4, ExplicitNonceLength);
        }

        private void BuildAad(int type, int version, byte[] epochSeq, int at, int plainLength)
        {
            System.Array.Copy(epochSeq, at, _aad, 0, 8);
            _aad[8] = (byte)type;
            WireWriter.WriteUInt16At(_aad, 9, version);
            WireWriter.WriteUInt16At(_aad, 11, plainLength);
        }
    }
}
