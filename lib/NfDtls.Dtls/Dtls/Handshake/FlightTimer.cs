namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// The retransmission timer of RFC 6347 §4.2.4.1: starts at the initial value when a flight is sent, doubles on
    /// every timeout up to the cap, and gives up after a fixed number of retransmissions. The initial value
    /// defaults to RFC 7925 §11's 9 s for constrained networks. 4 ints + 1 long of state.
    /// </summary>
    public sealed class FlightTimer
    {
        private readonly int _initialMs;
        private readonly int _maxMs;
        private readonly int _maxRetransmissions;
        private int _currentMs;
        private int _retransmissions;
        private long _deadline = long.MaxValue;

        public FlightTimer(int initialMs, int maxMs, int maxRetransmissions)
        {
            _initialMs = initialMs < 1 ? 1 : initialMs;
            _maxMs = maxMs < _initialMs ? _initialMs : maxMs;
            _maxRetransmissions = maxRetransmissions < 0 ? 0 : maxRetransmissions;
        }

        /// <summary>When the flight should be resent; <see cref="long.MaxValue"/> when stopped.</summary>
        public long Deadline { get { return _deadline; } }

        public bool Running { get { return _deadline != long.MaxValue; } }

        public int Retransmissions { get { return _retransmissions; } }

        public int CurrentMs { get { return _currentMs; } }

        /// <summary>A new flight went out: back to the initial value.</summary>
        public void Start(long nowMs)
        {
            _currentMs = _initialMs;
            _retransmissions = 0;
            _deadline = nowMs + _currentMs;
        }

        public void Stop()
        {
            _deadline = long.MaxValue;
        }

        public bool Expired(long nowMs)
        {
            return nowMs >= _deadline;
        }

        /// <summary>The timer fired: doubles the wait (RFC 6347 §4.2.4.1) and returns true, or false when retransmissions are used up.</summary>
        public bool Backoff(long nowMs)
        {
            if (_retransmissions >= _maxRetransmissions)
            {
                _deadline = long.MaxValue;
                return false;
            }
            _retransmissions++;
            int next = _currentMs * 2;
            _currentMs = next > _maxMs || next < 0 ? _maxMs : next;
            _deadline = nowMs + _currentMs;
            return true;
        }
    }
}
