using NfDtls.Net;

namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// Duplicate detection (RFC 7252 §4.5): the (peer, message ID) pairs of CON and NON messages seen within
    /// EXCHANGE_LIFETIME / NON_LIFETIME, in a fixed table shared by all peers; when it is full an entry is reused
    /// before its time (counted in <see cref="Evictions"/>: size the table for the request rate × EXCHANGE_LIFETIME),
    /// chosen so that a flooding peer only displaces its own entries (<see cref="Add"/>).
    /// The replies sent (piggybacked response, empty ACK or RST) are kept in a byte ring shared by all entries, so
    /// a duplicate CON gets the same reply again without the request running twice; a reply overwritten by newer
    /// ones is simply gone. Entry ~48 bytes; the ring ResponseCacheBytes.
    /// </summary>
    internal sealed class DedupTable
    {
        private readonly PeerAddress[] _peer;
        private readonly int[] _mid;
        private readonly long[] _expires;
        private readonly long[] _replyAt;
        private readonly int[] _replyLength;
        private readonly byte[] _ring;
        private long _written;

        public int Evictions;

        public DedupTable(int capacity, int cacheBytes)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _peer = new PeerAddress[capacity];
            _mid = new int[capacity];
            _expires = new long[capacity];
            _replyAt = new long[capacity];
            _replyLength = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _peer[i] = new PeerAddress();
                _expires[i] = long.MinValue;
                _replyLength[i] = -1;
            }
            _ring = new byte[cacheBytes < 0 ? 0 : cacheBytes];
        }

        public int Find(PeerAddress peer, int mid, long nowMs)
        {
            for (int i = 0; i < _mid.Length; i++)
            {
                if (_expires[i] > nowMs && _mid[i] == mid && _peer[i].SameAs(peer))
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>
        /// Remembers (peer, mid) until <paramref name="expiresMs"/>. A free or expired entry is taken first. When the
        /// table is full the entry closest to expiry goes — unless its peer holds no more entries than the newcomer
        /// does, in which case the newcomer gives up its own oldest entry. So a peer alone may use the whole table,
        /// but one peer's flood only ever pushes out its own entries, never another's before their lifetime
        /// (RFC 7252 §4.5; issue 16, finding 11). No state besides the table itself.
        /// </summary>
        public int Add(PeerAddress peer, int mid, long expiresMs, long nowMs)
        {
            int free = -1;
            int oldest = -1;
            int ownOldest = -1;
            int own = 0;
            for (int i = 0; i < _mid.Length; i++)
            {
                if (_expires[i] <= nowMs)
                {
                    if (free < 0)
                    {
                        free = i;
                    }
                    continue;
                }
                if (oldest < 0 || _expires[i] < _expires[oldest])
                {
                    oldest = i;
                }
                if (_peer[i].SameAs(peer))
                {
                    own++;
                    if (ownOldest < 0 || _expires[i] < _expires[ownOldest])
                    {
                        ownOldest = i;
                    }
                }
            }
            int victim = free;
            if (victim < 0)
            {
                Evictions++;
                victim = oldest;
                if (ownOldest >= 0 && ownOldest != oldest && LiveEntriesOf(_peer[oldest], nowMs) <= own)
                {
                    victim = ownOldest;
                }
            }
            _peer[victim].CopyFrom(peer);
            _mid[victim] = mid;
            _expires[victim] = expiresMs;
            _replyLength[victim] = -1;
            return victim;
        }

        private int LiveEntriesOf(PeerAddress peer, long nowMs)
        {
            int n = 0;
            for (int i = 0; i < _mid.Length; i++)
            {
                if (_expires[i] > nowMs && _peer[i].SameAs(peer))
                {
                    n++;
                }
            }
            return n;
        }

        /// <summary>Keeps a copy of the reply sent for <paramref name="entry"/> in the ring.</summary>
        public void StoreReply(int entry, byte[] buffer, int offset, int length)
        {
            int size = _ring.Length;
            if (entry < 0 || length > size || length < 0)
            {
                return;
            }
            int at = (int)(_written % size);
            if (at + length > size)
            {
                _written += size - at; // wrap: replies are stored contiguously
                at = 0;
            }
            System.Array.Copy(buffer, offset, _ring, at, length);
            _replyAt[entry] = _written;
            _replyLength[entry] = length;
            _written += length;
        }

        /// <summary>The stored reply of <paramref name="entry"/> copied into <paramref name="output"/>, or -1 if none or overwritten since.</summary>
        public int CopyReply(int entry, byte[] output)
        {
            int length = entry < 0 ? -1 : _replyLength[entry];
            if (length < 0 || _written - _replyAt[entry] > _ring.Length || length > output.Length)
            {
                return -1;
            }
            System.Array.Copy(_ring, (int)(_replyAt[entry] % _ring.Length), output, 0, length);
            return length;
        }
    }
}
