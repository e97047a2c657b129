namespace NfDtls.Node
{
    /// <summary>
    /// Samples taken but not yet acknowledged by the gateway, oldest first, in a fixed ring (capacity × readings per
    /// sample, all allocated here). When the ring is full the oldest sample is dropped and counted: a node that cannot
    /// reach its gateway keeps its newest data rather than running out of memory.
    /// </summary>
    public sealed class ReadingBacklog
    {
        private readonly SensorReading[][] _slots;
        private readonly int[] _counts;
        private readonly long[] _takenAt;
        private readonly long[] _sequence;
        private int _head;
        private int _length;

        public ReadingBacklog(int capacity, int readingsPerSample)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _slots = new SensorReading[capacity][];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new SensorReading[readingsPerSample];
                for (int j = 0; j < readingsPerSample; j++)
                {
                    _slots[i][j] = new SensorReading();
                }
            }
            _counts = new int[capacity];
            _takenAt = new long[capacity];
            _sequence = new long[capacity];
        }

        public int Count { get { return _length; } }
        public int Capacity { get { return _slots.Length; } }
        /// <summary>Samples dropped because the ring was full.</summary>
        public long Dropped { get; private set; }

        /// <summary>Stores a copy of <paramref name="count"/> readings; drops the oldest sample if full.</summary>
        public void Add(SensorReading[] readings, int count, long sequence, long takenAtMs)
        {
            if (_length == _slots.Length)
            {
                RemoveOldest();
                Dropped++;
            }
            int slot = (_head + _length) % _slots.Length;
            SensorReading[] into = _slots[slot];
            if (count > into.Length)
            {
                count = into.Length;
            }
            for (int i = 0; i < count; i++)
            {
                into[i].CopyFrom(readings[i]);
            }
            _counts[slot] = count;
            _takenAt[slot] = takenAtMs;
            _sequence[slot] = sequence;
            _length++;
        }

        public SensorReading[] OldestReadings { get { return _slots[_head]; } }
        public int OldestCount { get { return _length == 0 ? 0 : _counts[_head]; } }
        public long OldestTakenAt { get { return _takenAt[_head]; } }
        public long OldestSequence { get { return _sequence[_head]; } }

        public void RemoveOldest()
        {
            if (_length == 0)
            {
                return;
            }
            _head = (_head + 1) % _slots.Length;
            _length--;
        }

        public void Clear()
        {
            _head = 0;
            _length = 0;
        }
    }
}
