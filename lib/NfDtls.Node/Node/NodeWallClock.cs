using NfDtls.Pki;

namespace NfDtls.Node
{
    /// <summary>
    /// Calendar time for a node's certificate checks, kept from the node's monotonic milliseconds: once told what
    /// the time was at one clock value (SNTP on a board, the simulated world's start in the simulator), it counts on.
    /// Until then it reports 0 (1970), so an X.509 peer is refused (not yet valid) rather than checked blindly.
    /// </summary>
    public sealed class NodeWallClock : IWallClock
    {
        private long _baseSeconds;
        private long _baseMs;
        private bool _set;

        /// <summary>The node's latest clock value; the node updates it on every call.</summary>
        public long NowMs;

        /// <summary>True once <see cref="Set"/> was called.</summary>
        public bool IsSet { get { return _set; } }

        /// <summary>At clock value <paramref name="atMs"/> it was <paramref name="unixSeconds"/> since 1970-01-01Z.</summary>
        public void Set(long unixSeconds, long atMs)
        {
            _baseSeconds = unixSeconds;
            _baseMs = atMs;
            _set = true;
        }

        public long UnixSeconds
        {
            get { return _set ? _baseSeconds + (NowMs - _baseMs) / 1000 : 0; }
        }
    }
}
