namespace NfDtls.Dtls
{
    /// <summary>Server-side pre-shared keys by identity (RFC 4279 §2). Implementations may hold many identities.</summary>
    public interface IPskStore
    {
        /// <summary>Copies the key for the identity into <paramref name="keyOut"/> (room for 64 bytes); false when unknown.</summary>
        bool TryGetKey(byte[] identity, int offset, int count, byte[] keyOut, out int keyLength);
    }

    /// <summary>A fixed table of identities and keys (built at start-up; lookups do not allocate).</summary>
    public sealed class PskTable : IPskStore
    {
        private readonly byte[][] _identities;
        private readonly byte[][] _keys;
        private int _count;

        public PskTable(int capacity)
        {
            _identities = new byte[capacity][];
            _keys = new byte[capacity][];
        }

        public int Count { get { return _count; } }

        /// <summary>Adds (or replaces) an identity; false when the table is full or the key is longer than 64 bytes.</summary>
        public bool Add(byte[] identity, byte[] key)
        {
            if (identity == null || key == null || key.Length > 64)
            {
                return false;
            }
            for (int i = 0; i < _count; i++)
            {
                if (Same(_identities[i], identity, 0, identity.Length))
                {
                    _keys[i] = Copy(key);
                    return true;
                }
            }
            if (_count == _identities.Length)
            {
                return false;
            }
            _identities[_count] = Copy(identity);
            _keys[_count] = Copy(key);
            _count++;
            return true;
        }

        public bool TryGetKey(byte[] identity, int offset, int count, byte[] keyOut, out int keyLength)
        {
            for (int i = 0; i < _count; i++)
            {
                if (Same(_identities[i], identity, offset, count))
                {
                    byte[] key = _keys[i];
                    System.Array.Copy(key, 0, keyOut, 0, key.Length);
                    keyLength = key.Length;
                    return true;
                }
            }
            keyLength = 0;
            return false;
        }

        private static bool Same(byte[] a, byte[] b, int offset, int count)
        {
            if (a.Length != count)
            {
                return false;
            }
            for (int i = 0; i < count; i++)
            {
                if (a[i] != b[offset + i])
                {
                    return false;
                }
            }
            return true;
        }

        private static byte[] Copy(byte[] source)
        {
            byte[] b = new byte[source.Length];
            System.Array.Copy(source, 0, b, 0, source.Length);
            return b;
        }
    }
}
