namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// The anti-replay sliding window of RFC 6347 §4.1.2.6 for one epoch: the highest sequence number seen and a
    /// bitmap of the <see cref="Size"/> numbers below it. <see cref="IsFresh"/> is checked before decryption,
    /// <see cref="Accept"/> only after the record authenticated, so forged records cannot move the window.
    /// 8 + 8 + 4 bytes of state.
    /// </summary>
    public sealed class ReplayWindow
    {
        /// <summary>The bitmap is one ulong, so at most 64 records.</summary>
        public const int MaxSize = 64;

        private readonly int _size;
        private long _highest = -1;
        private ulong _bits;

        public ReplayWindow(int size)
        {
            _size = size < 1 ? 1 : size > MaxSize ? MaxSize : size;
        }

        public int Size { get { return _size; } }

        /// <summary>The highest authenticated sequence number, -1 before the first.</summary>
        public long Highest { get { return _highest; } }

        public void Reset()
        {
            _highest = -1;
            _bits = 0;
        }

        /// <summary>False for a duplicate or for a number that fell off the left edge of the window (too old).</summary>
        public bool IsFresh(long sequence)
        {
            if (sequence < 0)
            {
                return false;
            }
            if (sequence > _highest)
            {
                return true;
            }
            long back = _highest - sequence;
            if (back >= _size)
            {
                return false;
            }
            return (_bits & (1UL << (int)back)) == 0;
        }

        /// <summary>Marks an authenticated record's number as seen, sliding the window right when it is new.</summary>
        public void Accept(long sequence)
        {
            if (sequence > _highest)
            {
                long shift = sequence - _highest;
                _bits = shift >= 64 ? 0 : _bits << (int)shift;
                _bits |= 1UL;
                _highest = sequence;
                return;
            }
            long back = _highest - sequence;
            if (back < _size)
            {
                _bits |= 1UL << (int)back;
            }
        }
    }
}
