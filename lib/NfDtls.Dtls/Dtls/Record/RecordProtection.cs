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
        /// <summary>Longest CID this stack sends or receives (RFC 9146 allows 255; short CIDs suit constrained links).</summary>
        public const int MaxCidLength = 32;

        private const int CidAadFixedLength = 23;
        private readonly byte[] _aad;
        private bool _hasKey;

        public RecordProtection(ICryptoProvider crypto) : this(crypto, 0)
        {
        }

        /// <param name="maxCidLength">Longest CID of tls12_cid records this instance handles (0: none; sizes the AAD scratch).</param>
        public RecordProtection(ICryptoProvider crypto, int maxCidLength)
        {
            _ccm = crypto.CreateAesCcm(TagLength);
            _aad = new byte[maxCidLength > 0 ? CidAadFixedLength + maxCidLength : 13];
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

        /// <summary>
        /// tls12_cid record (RFC 9146 §4): the header with CID is already written at <paramref name="recordOffset"/>
        /// (<see cref="RecordHeader.WriteWithCid"/>), followed by 8 bytes for the explicit nonce and
        /// <paramref name="innerLength"/> bytes of DTLSInnerPlaintext (content ‖ real type ‖ zeros). Encrypts in place,
        /// appends the tag, patches the length. Returns the record's length, or -1.
        /// </summary>
        public int SealWithCid(byte[] buffer, int recordOffset, int cidLength, int innerLength)
        {
            if (!_hasKey || cidLength < 1 || CidAadFixedLength + cidLength > _aad.Length)
            {
                return -1;
            }
            int headerLength = RecordHeader.Length + cidLength;
            System.Array.Copy(buffer, recordOffset + 3, buffer, recordOffset + headerLength, ExplicitNonceLength);
            BuildNonce(buffer, recordOffset + 3);
            int aadLength = BuildCidAad((buffer[recordOffset + 1] << 8) | buffer[recordOffset + 2], buffer, recordOffset + 3,
                                        buffer, recordOffset + 11, cidLength, innerLength);
            int plainAt = recordOffset + headerLength + ExplicitNonceLength;
            if (!_ccm.Seal(_nonce, 0, 12, _aad, 0, aadLength, buffer, plainAt, innerLength, buffer, plainAt))
            {
                return -1;
            }
            int fragment = ExplicitNonceLength + innerLength + TagLength;
            WireWriter.WriteUInt16At(buffer, recordOffset + 11 + cidLength, fragment);
            return headerLength + fragment;
        }

        /// <summary>
        /// Authenticates and decrypts a tls12_cid record's fragment into <paramref name="output"/>; the CID read from
        /// the header enters the additional data (RFC 9146 §5), so a changed CID fails. Returns the DTLSInnerPlaintext
        /// length (content, real type, padding), or -1.
        /// </summary>
        public int OpenWithCid(int version, byte[] header, int epochSeq, byte[] cid, int cidOffset, int cidLength,
                               byte[] fragment, int fragmentOffset, int fragmentLength, byte[] output, int outputOffset)
        {
            if (!_hasKey || fragmentLength < Overhead + 1 || cidLength < 1 || CidAadFixedLength + cidLength > _aad.Length)
            {
                return -1;
            }
            int innerLength = fragmentLength - Overhead;
            if (output == null || output.Length - outputOffset < innerLength)
            {
                return -1;
            }
            System.Array.Copy(_iv, 0, _nonce, 0, 4);
            System.Array.Copy(fragment, fragmentOffset, _nonce, 4, ExplicitNonceLength);
            int aadLength = BuildCidAad(version, header, epochSeq, cid, cidOffset, cidLength, innerLength);
            if (!_ccm.Open(_nonce, 0, 12, _aad, 0, aadLength, fragment, fragmentOffset + ExplicitNonceLength, innerLength + TagLength, output, outputOffset))
            {
                return -1;
            }
            return innerLength;
        }

        /// <summary>
        /// RFC 9146 §5 (AEAD): seq_num_placeholder (8 × 0xff) ‖ tls12_cid ‖ cid_length ‖ tls12_cid ‖ version ‖ epoch ‖
        /// sequence_number ‖ cid ‖ length_of_DTLSInnerPlaintext. Returns its length.
        /// </summary>
        private int BuildCidAad(int version, byte[] epochSeq, int at, byte[] cid, int cidOffset, int cidLength, int innerLength)
        {
            for (int i = 0; i < 8; i++)
            {
                _aad[i] = 0xff;
            }
            _aad[8] = (byte)ContentType.Tls12Cid;
            _aad[9] = (byte)cidLength;
            _aad[10] = (byte)ContentType.Tls12Cid;
            WireWriter.WriteUInt16At(_aad, 11, version);
            System.Array.Copy(epochSeq, at, _aad, 13, 8);
            System.Array.Copy(cid, cidOffset, _aad, 21, cidLength);
            WireWriter.WriteUInt16At(_aad, 21 + cidLength, innerLength);
            return CidAadFixedLength + cidLength;
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
