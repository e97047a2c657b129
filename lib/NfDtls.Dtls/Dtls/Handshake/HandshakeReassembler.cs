namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Puts handshake messages back together from fragments (RFC 6347 §4.2.3) and hands them out strictly in
    /// message_seq order (§4.2.2), whatever order, duplication or overlap the fragments arrived in.
    /// Bounded: message bodies share one buffer of fixed size (bump-allocated, reset whenever no message is
    /// pending), a byte-granular bitmap tracks which bytes arrived, and only <see cref="MaxPending"/> messages
    /// ahead of the next expected one are kept. Anything that does not fit is dropped; the peer's retransmission
    /// brings it again. Memory: buffer + buffer/8 bitmap + one int[30] for the 6 slots (message_seq, type, length,
    /// start, bytes received; message_seq -1 = free), packed in one array as nanoCLR prices each array and field.
    /// </summary>
    public sealed class HandshakeReassembler
    {
        /// <summary>Messages at or beyond NextSequence we buffer at once (a flight has at most ~6).</summary>
        public const int MaxPending = 6;

        public const int Accepted = 0;
        /// <summary>The fragment belongs to a message already delivered: the peer is retransmitting (§4.2.4).</summary>
        public const int Old = 1;
        /// <summary>Too far ahead, no room, or inconsistent with fragments already held: dropped.</summary>
        public const int Dropped = 2;

        // slot i: _slots[5i] message_seq (-1 free), +1 type, +2 length, +3 start in _buffer, +4 bytes received
        private const int Seq = 0;
        private const int Type = 1;
        private const int Len = 2;
        private const int Start = 3;
        private const int Received = 4;
        private const int SlotInts = 5;

        private readonly byte[] _buffer;
        private readonly byte[] _bitmap;
        private readonly int[] _slots = new int[MaxPending * SlotInts];
        private int _free;
        private int _nextSequence;

        public HandshakeReassembler(int bufferSize)
        {
            _buffer = new byte[bufferSize];
            _bitmap = new byte[(bufferSize + 7) / 8];
            Reset(0);
        }

        /// <summary>The buffer complete messages are read from (see <see cref="TryPeek"/>).</summary>
        public byte[] Buffer { get { return _buffer; } }

        public int Capacity { get { return _buffer.Length; } }

        /// <summary>The message_seq expected next.</summary>
        public int NextSequence { get { return _nextSequence; } }

        /// <summary>Forgets everything and expects <paramref name="nextSequence"/> next.</summary>
        public void Reset(int nextSequence)
        {
            for (int i = 0; i < MaxPending; i++)
            {
                _slots[i * SlotInts + Seq] = -1;
            }
            _free = 0;
            _nextSequence = nextSequence;
        }

        /// <summary>Adds one fragment (body bytes at source[offset .. offset+fragmentLength)).</summary>
        public int Add(int type, int length, int sequence, int fragmentOffset, int fragmentLength, byte[] source, int offset)
        {
            if (sequence < _nextSequence)
            {
                return Old;
            }
            if (sequence >= _nextSequence + MaxPending || length < 0 || fragmentOffset < 0 || fragmentLength < 0
                || fragmentOffset + fragmentLength > length || length > _buffer.Length)
            {
                return Dropped;
            }
            int slot = Find(sequence);
            if (slot < 0)
            {
                slot = Allocate(sequence, type, length);
                if (slot < 0)
                {
                    return Dropped;
                }
            }
            else if (_slots[slot + Type] != type || _slots[slot + Len] != length)
            {
                return Dropped;
            }
            int start = _slots[slot + Start];
            int added = 0;
            for (int i = 0; i < fragmentLength; i++)
            {
                int at = start + fragmentOffset + i;
                int mask = 1 << (at & 7);
                if ((_bitmap[at >> 3] & mask) == 0)
                {
                    _bitmap[at >> 3] = (byte)(_bitmap[at >> 3] | mask);
                    _buffer[at] = source[offset + i];
                    added++;
                }
            }
            _slots[slot + Received] += added;
            return Accepted;
        }

        /// <summary>The next in-order message if it is complete: its type and where its body sits in <see cref="Buffer"/>.</summary>
        public bool TryPeek(out int type, out int bodyOffset, out int length)
        {
            int slot = Find(_nextSequence);
            if (slot < 0 || _slots[slot + Received] < _slots[slot + Len])
            {
                type = 0;
                bodyOffset = 0;
                length = 0;
                return false;
            }
            type = _slots[slot + Type];
            bodyOffset = _slots[slot + Start];
            length = _slots[slot + Len];
            return true;
        }

        /// <summary>Done with the message <see cref="TryPeek"/> returned: move on to the next sequence number.</summary>
        public void Release()
        {
            int slot = Find(_nextSequence);
            if (slot >= 0)
            {
                _slots[slot + Seq] = -1;
            }
            _nextSequence++;
            bool any = false;
            for (int i = 0; i < MaxPending; i++)
            {
                any |= _slots[i * SlotInts + Seq] >= 0;
            }
            if (!any)
            {
                _free = 0;
            }
        }

        /// <summary>Index in <see cref="_slots"/> of the slot holding <paramref name="sequence"/>, or -1.</summary>
        private int Find(int sequence)
        {
            for (int i = 0; i < MaxPending * SlotInts; i += SlotInts)
            {
                if (_slots[i + Seq] == sequence)
                {
                    return i;
                }
            }
            return -1;
        }

        private int Allocate(int sequence, int type, int length)
        {
            if (_free + length > _buffer.Length)
            {
                // The message we are waiting for must never starve behind ones that came early: make room for it.
                if (sequence != _nextSequence)
                {
                    return -1;
                }
                Reset(_nextSequence);
                if (length > _buffer.Length)
                {
                    return -1;
                }
            }
            for (int i = 0; i < MaxPending * SlotInts; i += SlotInts)
            {
                if (_slots[i + Seq] < 0)
                {
                    _slots[i + Seq] = sequence;
                    _slots[i + Type] = type;
                    _slots[i + Len] = length;
                    _slots[i + Start] = _free;
                    _slots[i + Received] = 0;
                    for (int b = _free; b < _free + length; b++)
                    {
                        _bitmap[b >> 3] = (byte)(_bitmap[b >> 3] & ~(1 << (b & 7)));
                    }
                    _free += length;
                    return i;
                }
            }
            return -1;
        }
    }
}
