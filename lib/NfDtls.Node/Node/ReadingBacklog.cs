namespace NfDtls.Node
{
    /// <summary>
    /// Samples taken but not yet acknowledged by the gateway, oldest first, in a fixed ring; when the ring is full
    /// the oldest sample is dropped and counted: a node that cannot reach its gateway keeps its newest data rather
    /// than running out of memory. The newest sample stays readable after it was acknowledged (the node's /readings).
    /// A reading is stored as compact decimal fixed point, not as an object: a 32-bit mantissa and one byte naming its
    /// channel (name and unit, kept once in a small table of the sensor's strings) and its decimal scale, so
    /// value = mantissa × 10^-scale. A value with up to 7 decimals (what sensors report: 21.37 °C, 1013.25 hPa) comes
    /// back as the same double; others keep about 9 significant digits. On nanoCLR 16 samples of 8 readings take
    /// about 1.3 KB (as objects they took 8.7 KB).
    /// </summary>
    public sealed class ReadingBacklog
    {
        /// <summary>Channels (distinct name and unit pairs) the table holds: 4 bits of a reading's shape byte.</summary>
        public const int MaxChannels = 16;

        // A NaN (or infinite) value: SenML cannot carry it, the pack writer refuses it as before.
        private const int NotANumber = int.MinValue;

        private readonly int _perSample;
        // Per sample: how many readings, the sequence number.
        private readonly byte[] _counts;
        private readonly long[] _sequence;
        // Per reading (sample × perSample + i): channel << 4 | scale (signed 4 bits), and the mantissa.
        private readonly byte[] _shape;
        private readonly int[] _mantissa;
        private readonly string[] _names;
        private readonly string[] _units;
        private int _channels;
        private int _head;
        private int _length;
        private int _newest = -1;
        private long _dropped;

        public ReadingBacklog(int capacity, int readingsPerSample)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            if (readingsPerSample < 1)
            {
                readingsPerSample = 1;
            }
            _perSample = readingsPerSample;
            _counts = new byte[capacity];
            _sequence = new long[capacity];
            _shape = new byte[capacity * readingsPerSample];
            _mantissa = new int[capacity * readingsPerSample];
            int channels = 2 * readingsPerSample < MaxChannels ? 2 * readingsPerSample : MaxChannels;
            _names = new string[channels];
            _units = new string[channels];
        }

        public int Count { get { return _length; } }
        public int Capacity { get { return _counts.Length; } }
        /// <summary>Samples dropped because the ring was full.</summary>
        public long Dropped { get { return _dropped; } }

        /// <summary>Stores <paramref name="count"/> readings as one sample; drops the oldest sample if full.</summary>
        public void Add(SensorReading[] readings, int count, long sequence, long takenAtMs)
        {
            if (_length == _counts.Length)
            {
                RemoveOldest();
                _dropped++;
            }
            int slot = (_head + _length) % _counts.Length;
            // The slot is being rewritten: it no longer pins its channels.
            _counts[slot] = 0;
            if (_newest == slot)
            {
                _newest = -1;
            }
            if (count > _perSample)
            {
                count = _perSample;
            }
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                SensorReading r = readings[i];
                int channel = Channel(r.Name, r.Unit);
                if (channel < 0)
                {
                    continue; // more distinct names than the table holds, all in use: the reading is left out
                }
                int at = slot * _perSample + n;
                int scale;
                _mantissa[at] = Encode(r.Value, out scale);
                _shape[at] = (byte)((channel << 4) | (scale & 0xF));
                n++;
                _counts[slot] = (byte)n; // pins its channels while the rest of the sample is added
            }
            _sequence[slot] = sequence;
            _newest = slot;
            _length++;
        }

        /// <summary>The ring slot of the oldest waiting sample, -1 when none waits.</summary>
        public int OldestSlot { get { return _length == 0 ? -1 : _head; } }

        /// <summary>The ring slot of the latest sample taken (waiting or acknowledged), -1 before the first.</summary>
        public int NewestSlot { get { return _newest; } }

        public int OldestCount { get { return _length == 0 ? 0 : _counts[_head]; } }
        public long OldestSequence { get { return _sequence[_head]; } }

        /// <summary>Readings in sample <paramref name="slot"/>.</summary>
        public int CountAt(int slot) { return _counts[slot]; }
        public long SequenceAt(int slot) { return _sequence[slot]; }
        public string NameAt(int slot, int i) { return _names[_shape[slot * _perSample + i] >> 4]; }
        public string UnitAt(int slot, int i) { return _units[_shape[slot * _perSample + i] >> 4]; }

        /// <summary>Reading <paramref name="i"/> of sample <paramref name="slot"/> as a double.</summary>
        public double ValueAt(int slot, int i)
        {
            int at = slot * _perSample + i;
            int m = _mantissa[at];
            if (m == NotANumber)
            {
                return double.NaN;
            }
            int scale = _shape[at] & 0xF;
            if (scale >= 8)
            {
                scale -= 16;
            }
            return scale >= 0 ? m / Pow10(scale) : m * Pow10(-scale);
        }

        public void RemoveOldest()
        {
            if (_length == 0)
            {
                return;
            }
            _head = (_head + 1) % _counts.Length;
            _length--;
        }

        public void Clear()
        {
            _head = 0;
            _length = 0;
            _newest = -1;
        }

        /// <summary>
        /// value ≈ mantissa × 10^-scale: the smallest scale in 0..7 that gives the same double back, else the finest
        /// that fits 32 bits (scale down to -8 for values beyond ±2^31).
        /// </summary>
        private static int Encode(double value, out int scale)
        {
            scale = 0;
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return NotANumber;
            }
            int best = NotANumber;
            for (int s = 0; s <= 7; s++)
            {
                double x = value * Pow10(s);
                if (x > 2147483647.0 || x < -2147483647.0)
                {
                    break;
                }
                int m = Round(x);
                best = m;
                scale = s;
                if (m / Pow10(s) == value)
                {
                    return m;
                }
            }
            if (best != NotANumber)
            {
                return best;
            }
            for (int s = 1; s <= 8; s++)
            {
                double x = value / Pow10(s);
                if (x < 2147483647.0 && x > -2147483647.0)
                {
                    scale = -s;
                    return Round(x);
                }
            }
            scale = -8;
            return value > 0 ? int.MaxValue : -int.MaxValue;
        }

        private static int Round(double x)
        {
            return (int)(x >= 0 ? x + 0.5 : x - 0.5);
        }

        private static double Pow10(int n)
        {
            double p = 1;
            for (int i = 0; i < n; i++)
            {
                p *= 10;
            }
            return p;
        }

        /// <summary>The channel of (name, unit), added when new; a full table reuses one no stored sample uses. -1 if none is free.</summary>
        private int Channel(string name, string unit)
        {
            for (int c = 0; c < _channels; c++)
            {
                if (Same(_names[c], name) && Same(_units[c], unit))
                {
                    return c;
                }
            }
            int free = _channels < _names.Length ? _channels++ : Unused();
            if (free >= 0)
            {
                _names[free] = name;
                _units[free] = unit;
            }
            return free;
        }

        /// <summary>A channel that no waiting sample, the newest one or the one being added uses; -1 if none.</summary>
        private int Unused()
        {
            for (int c = 0; c < _names.Length; c++)
            {
                bool used = Uses(_newest, c);
                for (int k = 0; k <= _length && !used; k++)
                {
                    used = Uses((_head + k) % _counts.Length, c);
                }
                if (!used)
                {
                    return c;
                }
            }
            return -1;
        }

        private bool Uses(int slot, int channel)
        {
            for (int i = 0; slot >= 0 && i < _counts[slot]; i++)
            {
                if ((_shape[slot * _perSample + i] >> 4) == channel)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool Same(string a, string b)
        {
            return string.Equals(a, b);
        }
    }
}
