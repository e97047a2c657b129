namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// The server's session-ID cache (RFC 5246 §7.3, §F.1.4): a fixed number of entries allocated once, each a 32-byte
    /// session ID and a <see cref="ResumptionRecord"/>, with its creation and last-use times. Full: the least recently
    /// used entry is replaced. Entries older than the lifetime are refused and wiped; a replaced entry is wiped whole
    /// first, so no master secret outlives its entry. Lookup is a scan (the ID is random: the first byte differs at once).
    /// </summary>
    internal sealed class SessionCache
    {
        public const int SessionIdLength = 32;

        private readonly byte[] _entries;
        private readonly long[] _created;
        private readonly long[] _used;
        private readonly int _entryLength;
        private readonly int _recordMax;
        private readonly long _lifetimeMs;

        public SessionCache(int size, int recordMax, int lifetimeSeconds)
        {
            _recordMax = recordMax;
            _entryLength = SessionIdLength + 2 + recordMax;
            _entries = new byte[size * _entryLength];
            _created = new long[size];
            _used = new long[size];
            _lifetimeMs = (long)lifetimeSeconds * 1000;
            for (int i = 0; i < size; i++)
            {
                _created[i] = long.MinValue;
            }
        }

        public int Size { get { return _created.Length; } }

        /// <summary>Entries in use (tests, statistics).</summary>
        public int Count
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _created.Length; i++)
                {
                    if (_created[i] != long.MinValue)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>
        /// Copies the record stored under this session ID to <paramref name="record"/> and returns its length, or -1 when
        /// there is none or it expired (then it is wiped).
        /// </summary>
        public int Find(byte[] id, int offset, int length, long nowMs, byte[] record, int at)
        {
            if (length != SessionIdLength)
            {
                return -1;
            }
            int i = IndexOf(id, offset);
            if (i < 0)
            {
                return -1;
            }
            if (nowMs - _created[i] > _lifetimeMs || nowMs < _created[i])
            {
                Wipe(i);
                return -1;
            }
            _used[i] = nowMs;
            int e = i * _entryLength + SessionIdLength;
            int n = (_entries[e] << 8) | _entries[e + 1];
            System.Array.Copy(_entries, e + 2, record, at, n);
            return n;
        }

        /// <summary>Stores a record under a session ID: a free entry, the same ID's, or the least recently used one.</summary>
        public void Store(byte[] id, int offset, byte[] record, int at, int count, long nowMs)
        {
            if (count > _recordMax || _created.Length == 0)
            {
                return;
            }
            int i = IndexOf(id, offset);
            if (i < 0)
            {
                i = 0;
                for (int j = 0; j < _created.Length; j++)
                {
                    if (_created[j] == long.MinValue)
                    {
                        i = j;
                        break;
                    }
                    if (_used[j] < _used[i])
                    {
                        i = j;
                    }
                }
            }
            Wipe(i);
            int e = i * _entryLength;
            System.Array.Copy(id, offset, _entries, e, SessionIdLength);
            _entries[e + SessionIdLength] = (byte)(count >> 8);
            _entries[e + SessionIdLength + 1] = (byte)count;
            System.Array.Copy(record, at, _entries, e + SessionIdLength + 2, count);
            _created[i] = nowMs;
            _used[i] = nowMs;
        }

        /// <summary>Forgets every entry (secrets wiped).</summary>
        public void Clear()
        {
            for (int i = 0; i < _created.Length; i++)
            {
                Wipe(i);
            }
        }

        private int IndexOf(byte[] id, int offset)
        {
            for (int i = 0; i < _created.Length; i++)
            {
                if (_created[i] == long.MinValue)
                {
                    continue;
                }
                int e = i * _entryLength;
                int k = 0;
                while (k < SessionIdLength && _entries[e + k] == id[offset + k])
                {
                    k++;
                }
                if (k == SessionIdLength)
                {
                    return i;
                }
            }
            return -1;
        }

        private void Wipe(int i)
        {
            System.Array.Clear(_entries, i * _entryLength, _entryLength);
            _created[i] = long.MinValue;
            _used[i] = long.MinValue;
        }
    }
}
