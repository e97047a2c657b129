using NfDtls.Net;

namespace NfDtls.Dtls
{
    /// <summary>
    /// A fixed-capacity hash index from a peer's address to its slot in a session table, so a server finds the
    /// session of each datagram without scanning every session. Open addressing with linear probing; removal shifts
    /// later entries of the same run back (no tombstones), so lookups stay short however many sessions come and go.
    /// The keys are the slot owners' own <see cref="PeerAddress"/> objects (<c>keys[slot]</c>): a slot must be
    /// removed before its key changes, and added again after. Allocated once: 2^k buckets, k the least with
    /// 2^k ≥ 2 × slots, each 8 bytes (slot + hash), e.g. 256 bytes for 16 sessions, 64 KB for 4,000.
    /// </summary>
    public sealed class SessionIndex
    {
        private const int Empty = -1;

        private readonly PeerAddress[] _keys;
        private readonly int[] _slots;
        private readonly int[] _hashes;
        private readonly int _mask;
        private readonly int _shift;
        private int _count;

        /// <param name="keys">keys[slot] is the address of the slot's owner (read at Add, Find and Remove).</param>
        public SessionIndex(PeerAddress[] keys)
        {
            _keys = keys;
            int buckets = 4;
            int bits = 2;
            while (buckets < 2 * keys.Length)
            {
                buckets <<= 1;
                bits++;
            }
            _mask = buckets - 1;
            _shift = 32 - bits;
            _slots = new int[buckets];
            _hashes = new int[buckets];
            for (int i = 0; i < buckets; i++)
            {
                _slots[i] = Empty;
            }
        }

        /// <summary>Entries in the index.</summary>
        public int Count { get { return _count; } }

        /// <summary>Number of buckets (a power of two, at least twice the slots).</summary>
        public int BucketCount { get { return _slots.Length; } }

        /// <summary>Where probing for this address starts (tests use it to build colliding keys).</summary>
        public int HomeBucket(PeerAddress peer)
        {
            return Home(peer.GetHashCode());
        }

        /// <summary>The slot indexed under this address, or -1.</summary>
        public int Find(PeerAddress peer)
        {
            if (peer == null)
            {
                return Empty;
            }
            int hash = peer.GetHashCode();
            int b = Home(hash);
            while (true)
            {
                int slot = _slots[b];
                if (slot == Empty)
                {
                    return Empty;
                }
                if (_hashes[b] == hash && _keys[slot].SameAs(peer))
                {
                    return slot;
                }
                b = (b + 1) & _mask;
            }
        }

        /// <summary>
        /// Indexes <paramref name="slot"/> under its current key. An entry already holding an equal key is taken over
        /// (one address, one session). False for a slot out of range.
        /// </summary>
        public bool Add(int slot)
        {
            if (slot < 0 || slot >= _keys.Length)
            {
                return false;
            }
            PeerAddress key = _keys[slot];
            int hash = key.GetHashCode();
            int b = Home(hash);
            while (true)
            {
                int at = _slots[b];
                if (at == Empty)
                {
                    _slots[b] = slot;
                    _hashes[b] = hash;
                    _count++;
                    return true;
                }
                if (_hashes[b] == hash && (at == slot || _keys[at].SameAs(key)))
                {
                    _slots[b] = slot;
                    return true;
                }
                // Never full: there are at least twice as many buckets as slots, and each key is held once.
                b = (b + 1) & _mask;
            }
        }

        /// <summary>Removes <paramref name="slot"/> (looked up under its current key); false when it was not indexed.</summary>
        public bool Remove(int slot)
        {
            if (slot < 0 || slot >= _keys.Length)
            {
                return false;
            }
            int hash = _keys[slot].GetHashCode();
            int b = Home(hash);
            while (true)
            {
                int at = _slots[b];
                if (at == Empty)
                {
                    return false;
                }
                if (at == slot)
                {
                    break;
                }
                b = (b + 1) & _mask;
            }
            // Backward shift: move each later entry of the run into the hole unless its home lies
            // cyclically in (hole, position], where it would then be unreachable.
            int hole = b;
            int j = b;
            while (true)
            {
                j = (j + 1) & _mask;
                if (_slots[j] == Empty)
                {
                    break;
                }
                int home = Home(_hashes[j]);
                bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
                if (stays)
                {
                    continue;
                }
                _slots[hole] = _slots[j];
                _hashes[hole] = _hashes[j];
                hole = j;
            }
            _slots[hole] = Empty;
            _count--;
            return true;
        }

        /// <summary>Fibonacci hashing: the top bits of hash × 2^32/φ spread PeerAddress's polynomial hash over the table.</summary>
        private int Home(int hash)
        {
            uint h = unchecked((uint)hash * 0x9E3779B1u);
            return (int)(h >> _shift);
        }
    }
}
