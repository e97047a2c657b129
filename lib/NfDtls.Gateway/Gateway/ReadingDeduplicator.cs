namespace NfDtls.Gateway
{
    /// <summary>
    /// Makes delivery to the uplink at-most-once per reading. CoAP de-duplicates retransmissions of one message
    /// (RFC 7252 §4.5), but a node that never got the ACK resends the reading in a new message after it reconnects, and a
    /// restarted gateway has forgotten every Message ID; so readings carry a sequence number ("seq") and the gateway
    /// keeps, per node, the highest one seen and a 64-bit window below it (the shape of the DTLS replay window, RFC 6347
    /// §4.1.2.6). A number far below the window means the node started counting again (a reboot without persistent
    /// state): accepted, and the window restarts there. Sized at construction (one entry per node); when a new node
    /// finds the table full, the entry used longest ago is reused.
    /// </summary>
    public sealed class ReadingDeduplicator
    {
        private const int Window = 64;
        private readonly string[] _nodes;
        private readonly long[] _highest;
        private readonly ulong[] _seen;
        private readonly long[] _lastUse;
        private long _uses;

        public ReadingDeduplicator(int capacity)
        {
            if (capacity < 1)
            {
                capacity = 1;
            }
            _nodes = new string[capacity];
            _highest = new long[capacity];
            _seen = new ulong[capacity];
            _lastUse = new long[capacity];
        }

        /// <summary>Readings refused as seen before.</summary>
        public long Suppressed;

        public int Capacity { get { return _nodes.Length; } }

        /// <summary>True the first time (<paramref name="node"/>, <paramref name="sequence"/>) is seen (within the window).</summary>
        public bool FirstTime(string node, long sequence)
        {
            int i = Find(node);
            _uses++;
            if (i < 0)
            {
                i = Oldest();
                _nodes[i] = node;
                _highest[i] = sequence;
                _seen[i] = 1;
                _lastUse[i] = _uses;
                return true;
            }
            _lastUse[i] = _uses;
            long highest = _highest[i];
            if (sequence > highest)
            {
                long shift = sequence - highest;
                _seen[i] = shift >= Window ? 1UL : (_seen[i] << (int)shift) | 1UL;
                _highest[i] = sequence;
                return true;
            }
            long back = highest - sequence;
            if (back >= Window * 16)
            {
                // Far behind: the node restarted its count.
                _highest[i] = sequence;
                _seen[i] = 1;
                return true;
            }
            if (back >= Window)
            {
                Suppressed++;
                return false; // too old to tell: treat as a replay
            }
            ulong bit = 1UL << (int)back;
            if ((_seen[i] & bit) != 0)
            {
                Suppressed++;
                return false;
            }
            _seen[i] |= bit;
            return true;
        }

        public void Forget(string node)
        {
            int i = Find(node);
            if (i >= 0)
            {
                _nodes[i] = null;
                _lastUse[i] = 0;
            }
        }

        private int Find(string node)
        {
            for (int i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i] != null && _nodes[i] == node)
                {
                    return i;
                }
            }
            return -1;
        }

        private int Oldest()
        {
            int best = 0;
            for (int i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i] == null)
                {
                    return i;
                }
                if (_lastUse[i] < _lastUse[best])
                {
                    best = i;
                }
            }
            return best;
        }
    }
}
