using System;

namespace NfDtls.Pki
{
    /// <summary>
    /// The configured trust anchors (RFC 5280 §6.1.1 d): for each, the subject name hash and the P-256 key, taken from a
    /// CA certificate at configuration time. Fixed capacity, 97 bytes per anchor.
    /// </summary>
    public sealed class TrustAnchorStore
    {
        private readonly byte[] _subjects;
        private readonly byte[] _keys;
        private int _count;

        public TrustAnchorStore(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }
            _subjects = new byte[capacity * 32];
            _keys = new byte[capacity * 65];
        }

        public int Count { get { return _count; } }

        public int Capacity { get { return _subjects.Length / 32; } }

        /// <summary>Adds a DER certificate as an anchor. Returns a <see cref="CertificateError"/> code (None when added).</summary>
        public int AddCertificate(byte[] der, int offset, int count)
        {
            var parser = new CertificateParser();
            parser.Feed(der, offset, count);
            if (parser.Error != CertificateError.None)
            {
                return parser.Error;
            }
            if (!parser.IsComplete)
            {
                return CertificateError.Malformed;
            }
            if (!parser.Info.HasP256Key)
            {
                return CertificateError.Unsupported;
            }
            return Add(parser.Info.SubjectHash, 0, parser.Info.PublicKey, 0);
        }

        /// <summary>Adds an anchor from its subject name hash (SHA-256 of the DER Name) and 65-byte key.</summary>
        public int Add(byte[] subjectHash, int subjectOffset, byte[] publicKey, int keyOffset)
        {
            if (_count == Capacity)
            {
                return CertificateError.TooLarge;
            }
            Array.Copy(subjectHash, subjectOffset, _subjects, _count * 32, 32);
            Array.Copy(publicKey, keyOffset, _keys, _count * 65, 65);
            _count++;
            return CertificateError.None;
        }

        /// <summary>The index of the next anchor from <paramref name="start"/> with this subject hash, or -1.</summary>
        public int FindSubject(byte[] nameHash, int offset, int start)
        {
            for (int i = start; i < _count; i++)
            {
                if (Crypto.ConstantTime.Equals(_subjects, i * 32, nameHash, offset, 32))
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>True when anchor <paramref name="index"/> has exactly this key.</summary>
        public bool KeyEquals(int index, byte[] publicKey, int offset)
        {
            return Crypto.ConstantTime.Equals(_keys, index * 65, publicKey, offset, 65);
        }

        /// <summary>The anchor keys, 65 bytes each at index * 65.</summary>
        public byte[] Keys { get { return _keys; } }
    }
}
