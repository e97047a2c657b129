using NfDtls.Net;

namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// Duplicate detection (RFC 7252 §4.5): the (peer, message ID) pairs of CON and NON messages seen within
    /// EXCHANGE_LIFETIME / NON_LIFETIME, in a fixed table shared by all peers; when it is full an entry is reused
    /// before its time (counted in <see cref="Evictions"/>: size the table for the request rate × EXCHANGE_LIFETIME),
    /// chosen so that a flooding peer only displaces its own entries (<see cref="Add"/>).
    /// §4.5 asks that a duplicate CON get the same ACK or RST again and its request not run twice; the table keeps
    /// only what that needs. An empty ACK or a RST is a kind (it is written again from the message ID). A piggybacked
    /// response is kept only for a request that must not run again (POST and other non-idempotent methods, and a
    /// Block1 block, whose repeat would not find the upload where it was): its code, options and payload, without
    /// header and token (written again from the duplicate), in a byte ring shared by all entries, where newer replies
    /// overwrite older ones. A GET, PUT or DELETE keeps nothing: its duplicate is served again (§4.5 allows it).
    /// An entry is a 24-byte row (address, message ID, reply kind and length), a ring position and an expiry (40 bytes).
    /// </summary>
    internal sealed class DedupTable
    {
        /// <summary>Nothing kept (not answered yet, a NON, or an idempotent request: serve the duplicate again).</summary>
        public const int ReplyNone = 0;
        public const int ReplyAck = 1;
        public const int ReplyReset = 2;
        /// <summary>A piggybacked response, in the ring (see <see cref="CopyResponse"/>).</summary>
        public const int ReplyResponse = 3;

        // Row: address (PeerTable.AddressLength), message ID (2), reply kind (1), reply length (2).
        private const int MidAt = PeerTable.AddressLength;
        private const int KindAt = MidAt + 2;
        private const int LengthAt = KindAt + 1;
        private const int RowLength = LengthAt + 2;

        private readonly byte[] _rows;
        private readonly long[] _expires;
        /// <summary>Where an entry's reply starts, counted in bytes ever written to the ring.</summary>
        private readonly long[] _replyAt;
        private readonly byte[] _ring;
        private long _written;

        public int Evictions;

        public DedupTable(int capacity, int cacheBytes)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _rows = new byte[capacity * RowLength];
            _expires = new long[capacity];
            _replyAt = new long[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _expires[i] = long.MinValue;
            }
            _ring = new byte[cacheBytes < 0 ? 0 : cacheBytes > 0xFFFF ? 0xFFFF : cacheBytes];
        }

        private int Mid(int i)
        {
            return (_rows[i * RowLength + MidAt] << 8) | _rows[i * RowLength + MidAt + 1];
        }

        public int Find(PeerAddress peer, int mid, long nowMs)
        {
            for (int i = 0; i < _expires.Length; i++)
            {
                if (_expires[i] > nowMs && Mid(i) == mid && PeerTable.Same(_rows, i * RowLength, peer))
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
            for (int i = 0; i < _expires.Length; i++)
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
                if (PeerTable.Same(_rows, i * RowLength, peer))
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
                if (ownOldest >= 0 && ownOldest != oldest && LiveEntriesLike(oldest, nowMs) <= own)
                {
                    victim = ownOldest;
                }
            }
            int at = victim * RowLength;
            PeerTable.Write(_rows, at, peer);
            _rows[at + MidAt] = (byte)(mid >> 8);
            _rows[at + MidAt + 1] = (byte)mid;
            _rows[at + KindAt] = ReplyNone;
            _expires[victim] = expiresMs;
            return victim;
        }

        /// <summary>Live entries whose peer is entry <paramref name="entry"/>'s.</summary>
        private int LiveEntriesLike(int entry, long nowMs)
        {
            int n = 0;
            for (int i = 0; i < _expires.Length; i++)
            {
                if (_expires[i] > nowMs && PeerTable.Same(_rows, i * RowLength, entry * RowLength))
                {
                    n++;
                }
            }
            return n;
        }

        /// <summary>An empty ACK or RST was the reply to <paramref name="entry"/> (nothing to store: written again from the ID).</summary>
        public void StoreEmpty(int entry, bool reset)
        {
            if (entry >= 0)
            {
                _rows[entry * RowLength + KindAt] = reset ? (byte)ReplyReset : (byte)ReplyAck;
            }
        }

        /// <summary>
        /// Keeps the piggybacked response written at <paramref name="buffer"/>[<paramref name="offset"/>, +
        /// <paramref name="length"/>) for <paramref name="entry"/>: its code, and what follows the token.
        /// </summary>
        public void StoreResponse(int entry, byte[] buffer, int offset, int length, int tokenLength)
        {
            int rest = length - 4 - tokenLength;
            int size = _ring.Length;
            if (entry < 0 || rest < 0 || rest + 1 > size)
            {
                return;
            }
            int at = (int)(_written % size);
            if (at + rest + 1 > size)
            {
                _written += size - at; // wrap: replies are stored contiguously
                at = 0;
            }
            _ring[at] = buffer[offset + 1];
            System.Array.Copy(buffer, offset + 4 + tokenLength, _ring, at + 1, rest);
            int row = entry * RowLength;
            _rows[row + KindAt] = ReplyResponse;
            _rows[row + LengthAt] = (byte)((rest + 1) >> 8);
            _rows[row + LengthAt + 1] = (byte)(rest + 1);
            _replyAt[entry] = _written;
            _written += rest + 1;
        }

        /// <summary>What was kept for <paramref name="entry"/>: a Reply* kind (a response overwritten since: <see cref="ReplyNone"/>).</summary>
        public int ReplyKind(int entry)
        {
            int kind = _rows[entry * RowLength + KindAt];
            if (kind == ReplyResponse && _written - _replyAt[entry] > _ring.Length)
            {
                return ReplyNone;
            }
            return kind;
        }

        /// <summary>Bytes <see cref="CopyResponse"/> writes: the reply's code, options and payload (without its 4-byte header and token).</summary>
        public int ResponseLength(int entry)
        {
            int row = entry * RowLength;
            return ((_rows[row + LengthAt] << 8) | _rows[row + LengthAt + 1]) - 1;
        }

        /// <summary>The kept response's code; its options and payload copied to <paramref name="output"/> at <paramref name="offset"/>.</summary>
        public int CopyResponse(int entry, byte[] output, int offset)
        {
            int at = (int)(_replyAt[entry] % _ring.Length);
            System.Array.Copy(_ring, at + 1, output, offset, ResponseLength(entry));
            return _ring[at];
        }

        /// <summary>The peer at <paramref name="from"/> now speaks from <paramref name="to"/> (RFC 9146 §6): its entries follow.</summary>
        public void Move(PeerAddress from, PeerAddress to)
        {
            for (int i = 0; i < _expires.Length; i++)
            {
                if (PeerTable.Same(_rows, i * RowLength, from))
                {
                    PeerTable.Write(_rows, i * RowLength, to);
                }
            }
        }
    }
}
