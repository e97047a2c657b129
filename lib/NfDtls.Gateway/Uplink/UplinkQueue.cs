namespace NfDtls.Uplink
{
    /// <summary>
    /// The messages waiting for the broker, oldest first, in slots allocated at construction (a topic and up to
    /// <see cref="MaxPayload"/> bytes each). When full, the oldest is dropped to make room and counted in
    /// <see cref="Dropped"/>: while the broker is away the newest readings are the ones worth keeping, and nothing is
    /// lost without a count. Not thread-safe by itself: <see cref="ReadingPublisher"/> guards it.
    /// </summary>
    public sealed class UplinkQueue
    {
        private readonly string[] _topics;
        private readonly byte[][] _payloads;
        private readonly int[] _lengths;
        private readonly long[] _serials;
        private long _nextSerial = 1;
        private int _head;
        private int _count;

        public UplinkQueue(int capacity, int maxPayload)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _topics = new string[capacity];
            _payloads = new byte[capacity][];
            _lengths = new int[capacity];
            _serials = new long[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _payloads[i] = new byte[maxPayload];
            }
            MaxPayload = maxPayload;
        }

        public int MaxPayload { get; private set; }
        public int Capacity { get { return _topics.Length; } }
        public int Count { get { return _count; } }
        /// <summary>Messages dropped (the oldest) because the queue was full.</summary>
        public long Dropped;

        /// <summary>The slot the next <see cref="Commit"/> fills: write the payload here first.</summary>
        public byte[] NextPayload
        {
            get
            {
                if (_count == _topics.Length)
                {
                    // Full: the oldest makes room (its slot is the tail's).
                    RemoveOldest();
                    Dropped++;
                }
                return _payloads[(_head + _count) % _topics.Length];
            }
        }

        /// <summary>Appends what was written into <see cref="NextPayload"/>.</summary>
        public void Commit(string topic, int length)
        {
            int i = (_head + _count) % _topics.Length;
            _topics[i] = topic;
            _lengths[i] = length;
            _serials[i] = _nextSerial++;
            _count++;
        }

        public string OldestTopic { get { return _topics[_head]; } }
        public byte[] OldestPayload { get { return _payloads[_head]; } }
        public int OldestLength { get { return _lengths[_head]; } }
        /// <summary>A number no other message of this queue had: tells whether the oldest is still the one sent.</summary>
        public long OldestSerial { get { return _count > 0 ? _serials[_head] : 0; } }

        public void RemoveOldest()
        {
            if (_count == 0)
            {
                return;
            }
            _topics[_head] = null;
            _head = (_head + 1) % _topics.Length;
            _count--;
        }
    }
}
