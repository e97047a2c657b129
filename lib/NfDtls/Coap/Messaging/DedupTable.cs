using NfDtls.Net;

namespace NfDtls.Coap
{
    /// <summary>
    /// Duplicate detection (RFC 7252 §4.5): the (peer, message ID) pairs of CON and NON messages seen within
    /// EXCHANGE_LIFETIME / NON_LIFETIME, in a fixed table; when it is full the entry closest to expiry is reused.
    /// A few entries also keep the reply that was sent (piggybacked response, empty ACK or RST) so a duplicate CON
    /// gets the same reply again without executing the request twice. Entry ~48 bytes; cache slot MaxMessageSize.
    /// </summary>
    internal sealed class DedupTable
    {
        private readonly PeerAddress[] _peer;
        private readonly int[] _mid;
        private readonly long[] _expires;
        private readonly int[] _cache;
        private readonly int[] _cacheStamp;
        private readonly byte[][] _cacheBuffer;
        private readonly int[] _cacheLength;
        private readonly int[] _cacheOwnerStamp;
        private int _nextCache;
        private int _stamp;

        public int Evictions;

        public DedupTable(int capacity, int cacheCapacity, int messageSize)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _peer = new PeerAddress[capacity];
            _mid = new int[capacity];
            _expires = new long[capacity];
            _cache = new int[capacity];
            _cacheStamp = new int[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _peer[i] = new PeerAddress();
                _expires[i] = long.MinValue;
                _cache[i] = -1;
            }
            _cacheBuffer = new byte[cacheCapacity][];
            _cacheLength = new int[cacheCapacity];
            _cacheOwnerStamp = new int[cacheCapacity];
            for (int i = 0; i < cacheCapacity; i++)
            {
                _cacheBuffer[i] = new byte[messageSize];
            }
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

        public int Add(PeerAddress peer, int mid, long expiresMs, long nowMs)
        {
            int victim = 0;
            for (int i = 0; i < _mid.Length; i++)
            {
                if (_expires[i] <= nowMs)
                {
                    victim = i;
                    break;
                }
                if (_expires[i] < _expires[victim])
                {
                    victim = i;
                }
            }
            if (_expires[victim] > nowMs)
            {
                Evictions++;
            }
            _peer[victim].CopyFrom(peer);
            _mid[victim] = mid;
            _expires[victim] = expiresMs;
            _cache[victim] = -1;
            return victim;
        }

        /// <summary>Keeps a copy of the reply sent for entry <paramref name="entry"/> (round-robin over the cache slots).</summary>
        public void StoreReply(int entry, byte[] buffer, int offset, int length)
        {
            if (entry < 0 || _cacheBuffer.Length == 0 || length > _cacheBuffer[0].Length)
            {
                return;
            }
            int slot = _nextCache;
            _nextCache = (_nextCache + 1) % _cacheBuffer.Length;
            System.Array.Copy(buffer, offset, _cacheBuffer[slot], 0, length);
            _cacheLength[slot] = length;
            _stamp++;
            _cacheOwnerStamp[slot] = _stamp;
            _cache[entry] = slot;
            _cacheStamp[entry] = _stamp;
        }

        /// <summary>The stored reply of <paramref name="entry"/>, if its cache slot was not reused since.</summary>
        public bool TryGetReply(int entry, out byte[] buffer, out int length)
        {
            int slot = entry < 0 ? -1 : _cache[entry];
            if (slot < 0 || _cacheOwnerStamp[slot] != _cacheStamp[entry])
            {
                buffer = null;
                length = 0;
                return false;
            }
            buffer = _cacheBuffer[slot];
            length = _cacheLength[slot];
            return true;
        }
    }
}
