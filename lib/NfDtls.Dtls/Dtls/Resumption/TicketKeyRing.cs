using NfDtls.Crypto;

namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// The server's session-ticket keys (RFC 5077 §4, §5.5): a current key that seals new tickets and the previous one,
    /// still accepted for one more rotation period, so a ticket lives at most two periods whatever its lifetime. A ticket
    /// is key_name (4) ‖ nonce (12) ‖ AES-128-CCM(age (4) ‖ <see cref="ResumptionRecord"/>) ‖ tag (16), the key name as
    /// additional data; age is the key's age in seconds when it sealed the ticket, so the ticket's own age needs no wall
    /// clock, survives a restart that keeps the keys (<see cref="Save"/>/<see cref="Load"/> carry each key's age), and is
    /// checked against the lifetime. Keys come from the engine's DRBG; times are the engine's milliseconds.
    /// </summary>
    internal sealed class TicketKeyRing
    {
        public const int NameLength = 4;
        public const int NonceLength = 12;
        public const int TagLength = 16;
        private const int KeyLength = 16;
        private const int AgeLength = 4;
        /// <summary>Bytes a ticket adds to its record.</summary>
        public const int Overhead = NameLength + NonceLength + AgeLength + TagLength;
        /// <summary><see cref="Save"/>'s format: version, key count, then per key name (4), key (16), age in seconds (4).</summary>
        public const int SavedLength = 2 + 2 * (NameLength + KeyLength + AgeLength);
        private const int SavedVersion = 1;

        private const long Unset = long.MinValue;
        /// <summary>The largest age <see cref="Save"/> records: 2^31 - 1 seconds.</summary>
        private const long MaxAgeMs = 0x7FFFFFFFL * 1000;

        private readonly IAesCcm _ccm;
        private readonly IRandom _random;
        /// <summary>Current key then previous key: name (4) and key (16) each.</summary>
        private readonly byte[] _keys = new byte[2 * (NameLength + KeyLength)];
        private readonly byte[] _nonce = new byte[NonceLength];
        private readonly long _periodMs;
        private readonly long _lifetimeMs;
        /// <summary>When each key was made (engine ms); <see cref="Unset"/> before the first time arrives.</summary>
        private long _createdCurrent = Unset;
        private long _createdPrevious = Unset;
        /// <summary>Ages (ms) loaded by <see cref="Load"/>, turned into creation times with the next time given.</summary>
        private long _pendingAgeCurrent;
        private long _pendingAgePrevious = -1;
        private bool _hasPrevious;
        private long _lastNowMs;
        private int _rotations;

        public TicketKeyRing(ICryptoProvider crypto, IRandom random, int rotationSeconds, int lifetimeSeconds)
        {
            _ccm = crypto.CreateAesCcm(TagLength);
            _random = random;
            _periodMs = (long)rotationSeconds * 1000;
            _lifetimeMs = (long)lifetimeSeconds * 1000;
            random.GetBytes(_keys, 0, NameLength + KeyLength);
        }

        /// <summary>Sets the time: a key made before it started counting starts now; a key a period old is replaced.</summary>
        public void Advance(long nowMs)
        {
            _lastNowMs = nowMs;
            if (_createdCurrent == Unset)
            {
                _createdCurrent = nowMs - _pendingAgeCurrent;
                _createdPrevious = _hasPrevious ? nowMs - _pendingAgePrevious : Unset;
            }
            if (nowMs - _createdCurrent < _periodMs)
            {
                return;
            }
            // RFC 5077 §5.5: keys are changed regularly; the previous one is kept for tickets it already sealed.
            bool keepPrevious = nowMs - _createdCurrent < 2 * _periodMs;
            if (keepPrevious)
            {
                System.Array.Copy(_keys, 0, _keys, NameLength + KeyLength, NameLength + KeyLength);
                _createdPrevious = _createdCurrent;
            }
            else
            {
                System.Array.Clear(_keys, NameLength + KeyLength, NameLength + KeyLength);
                _createdPrevious = Unset;
            }
            _hasPrevious = keepPrevious;
            _random.GetBytes(_keys, 0, NameLength + KeyLength);
            _createdCurrent = nowMs;
            _rotations++;
        }

        /// <summary>Times a new current key replaced the old one (rotation happens when a time is given: sealing, opening, saving).</summary>
        public int Rotations { get { return _rotations; } }

        /// <summary>Seals <paramref name="count"/> record bytes into a ticket at <paramref name="output"/>; returns its length.</summary>
        public int Seal(byte[] record, int at, int count, byte[] output, int offset, long nowMs)
        {
            Advance(nowMs);
            System.Array.Copy(_keys, 0, output, offset, NameLength);
            _random.GetBytes(output, offset + NameLength, NonceLength);
            int body = offset + NameLength + NonceLength;
            long age = (nowMs - _createdCurrent) / 1000;
            output[body] = (byte)(age >> 24);
            output[body + 1] = (byte)(age >> 16);
            output[body + 2] = (byte)(age >> 8);
            output[body + 3] = (byte)age;
            System.Array.Copy(record, at, output, body + AgeLength, count);
            _ccm.SetKey(_keys, NameLength);
            // in place: the age and record become ciphertext, the tag follows
            _ccm.Seal(output, offset + NameLength, NonceLength, output, offset, NameLength,
                      output, body, AgeLength + count, output, body);
            return Overhead + count;
        }

        /// <summary>
        /// Opens a ticket into <paramref name="record"/> (room for count - <see cref="Overhead"/> + 4 bytes) and returns the
        /// record's length; -1 for an unknown key, a forged or damaged ticket, or one older than the lifetime (nothing is
        /// released then). <paramref name="ticket"/> is not changed.
        /// </summary>
        public int Open(byte[] ticket, int offset, int count, byte[] record, int at, long nowMs)
        {
            Advance(nowMs);
            if (count <= Overhead || count - TagLength - NameLength - NonceLength > record.Length - at)
            {
                return -1;
            }
            int key = -1;
            long created = Unset;
            if (SameName(ticket, offset, 0))
            {
                key = 0;
                created = _createdCurrent;
            }
            else if (_hasPrevious && SameName(ticket, offset, NameLength + KeyLength))
            {
                key = NameLength + KeyLength;
                created = _createdPrevious;
            }
            if (key < 0)
            {
                return -1;
            }
            System.Array.Copy(ticket, offset + NameLength, _nonce, 0, NonceLength);
            _ccm.SetKey(_keys, key + NameLength);
            int sealedLength = count - NameLength - NonceLength;
            if (!_ccm.Open(_nonce, 0, NonceLength, ticket, offset, NameLength,
                           ticket, offset + NameLength + NonceLength, sealedLength, record, at))
            {
                return -1;
            }
            int plain = sealedLength - TagLength;
            long sealedAt = ((long)record[at] << 24) | ((long)record[at + 1] << 16) | ((long)record[at + 2] << 8) | record[at + 3];
            long ageMs = nowMs - created - sealedAt * 1000;
            int n = plain - AgeLength;
            System.Array.Copy(record, at + AgeLength, record, at, n);
            System.Array.Clear(record, at + n, AgeLength);
            if (ageMs < 0 || ageMs > _lifetimeMs || ResumptionRecord.LengthOf(record, at, n) != n)
            {
                System.Array.Clear(record, at, n);
                return -1;
            }
            return n;
        }

        private bool SameName(byte[] ticket, int offset, int key)
        {
            for (int i = 0; i < NameLength; i++)
            {
                if (ticket[offset + i] != _keys[key + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Writes the keys and their ages (at the last time given) for a restart; returns <see cref="SavedLength"/> or 0.</summary>
        public int Save(byte[] buffer, int offset)
        {
            if (buffer == null || offset < 0 || offset + SavedLength > buffer.Length)
            {
                return 0;
            }
            long now = _lastNowMs;
            long ageCurrent = _createdCurrent == Unset ? _pendingAgeCurrent : now - _createdCurrent;
            long agePrevious = !_hasPrevious ? 0 : (_createdPrevious == Unset ? _pendingAgePrevious : now - _createdPrevious);
            buffer[offset] = SavedVersion;
            buffer[offset + 1] = (byte)(_hasPrevious ? 2 : 1);
            WriteKey(buffer, offset + 2, 0, ageCurrent);
            if (_hasPrevious)
            {
                WriteKey(buffer, offset + 2 + NameLength + KeyLength + AgeLength, NameLength + KeyLength, agePrevious);
            }
            else
            {
                System.Array.Clear(buffer, offset + 2 + NameLength + KeyLength + AgeLength, NameLength + KeyLength + AgeLength);
            }
            return SavedLength;
        }

        /// <summary>
        /// Takes keys written by <see cref="Save"/>; false (and nothing changed) when malformed. <paramref name="offlineMs"/>
        /// (0 or more) is how long passed since they were saved, added to both keys' ages so a server that was stopped does
        /// not stretch its tickets' lifetime or its keys' rotation period by its downtime (RFC 5077 §5.5).
        /// </summary>
        public bool Load(byte[] buffer, int offset, int count, long offlineMs)
        {
            if (buffer == null || offset < 0 || count < SavedLength || offset + count > buffer.Length
                || buffer[offset] != SavedVersion || buffer[offset + 1] < 1 || buffer[offset + 1] > 2)
            {
                return false;
            }
            bool previous = buffer[offset + 1] == 2;
            long ageCurrent = ReadAge(buffer, offset + 2 + NameLength + KeyLength);
            long agePrevious = previous ? ReadAge(buffer, offset + 2 + 2 * (NameLength + KeyLength) + AgeLength) : 0;
            if (previous && agePrevious < ageCurrent)
            {
                return false;
            }
            if (offlineMs > 0)
            {
                // ages stay far below long's range: each is at most 2^31 s, the downtime is capped at the same
                long offline = offlineMs > MaxAgeMs ? MaxAgeMs : offlineMs;
                ageCurrent += offline;
                agePrevious = previous ? agePrevious + offline : 0;
            }
            System.Array.Copy(buffer, offset + 2, _keys, 0, NameLength + KeyLength);
            if (previous)
            {
                System.Array.Copy(buffer, offset + 2 + NameLength + KeyLength + AgeLength, _keys, NameLength + KeyLength, NameLength + KeyLength);
            }
            else
            {
                System.Array.Clear(_keys, NameLength + KeyLength, NameLength + KeyLength);
            }
            _hasPrevious = previous;
            _pendingAgeCurrent = ageCurrent;
            _pendingAgePrevious = agePrevious;
            _createdCurrent = Unset; // the next time given places the ages
            _createdPrevious = Unset;
            return true;
        }

        private void WriteKey(byte[] buffer, int at, int key, long ageMs)
        {
            System.Array.Copy(_keys, key, buffer, at, NameLength + KeyLength);
            long seconds = ageMs / 1000;
            if (seconds > 0x7FFFFFFF)
            {
                seconds = 0x7FFFFFFF;
            }
            if (seconds < 0)
            {
                seconds = 0;
            }
            int p = at + NameLength + KeyLength;
            buffer[p] = (byte)(seconds >> 24);
            buffer[p + 1] = (byte)(seconds >> 16);
            buffer[p + 2] = (byte)(seconds >> 8);
            buffer[p + 3] = (byte)seconds;
        }

        private static long ReadAge(byte[] b, int at)
        {
            long seconds = ((long)(b[at] & 0x7F) << 24) | ((long)b[at + 1] << 16) | ((long)b[at + 2] << 8) | b[at + 3];
            return seconds * 1000;
        }
    }
}
