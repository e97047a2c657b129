using System;
using NfDtls.Crypto.P256;

namespace NfDtls.Pki
{
    /// <summary>
    /// Raw public keys (RFC 7250) a peer may present: P-256 SubjectPublicKeyInfo, kept as their 65-byte points.
    /// Fixed capacity, 65 bytes per key.
    /// </summary>
    public sealed class RpkAllowList
    {
        private readonly byte[] _points;
        private int _count;

        public RpkAllowList(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }
            _points = new byte[capacity * 65];
        }

        public int Count { get { return _count; } }

        /// <summary>Adds a DER SPKI; false if it is not a P-256 SPKI or the list is full.</summary>
        public bool AddSpki(byte[] spki, int offset, int count)
        {
            int point;
            if (_count * 65 == _points.Length || !P256Spki.TryFindPoint(spki, offset, count, out point))
            {
                return false;
            }
            Array.Copy(spki, point, _points, _count * 65, 65);
            _count++;
            return true;
        }

        /// <summary>True when the DER SPKI is a P-256 key on the list.</summary>
        public bool ContainsSpki(byte[] spki, int offset, int count)
        {
            int point;
            return P256Spki.TryFindPoint(spki, offset, count, out point) && ContainsPoint(spki, point);
        }

        /// <summary>True when the 65-byte point is on the list.</summary>
        public bool ContainsPoint(byte[] point, int offset)
        {
            bool found = false;
            for (int i = 0; i < _count; i++)
            {
                found |= Crypto.ConstantTime.Equals(_points, i * 65, point, offset, 65);
            }
            return found;
        }
    }
}
