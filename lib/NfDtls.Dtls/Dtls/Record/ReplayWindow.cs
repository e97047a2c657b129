namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// The anti-replay sliding window of RFC 6347 §4.1.2.6 for one epoch: the highest sequence number seen and a
    /// bitmap of the <see cref="Size"/> numbers below it. <see cref="IsFresh"/> is checked before decryption,
    /// <see cref="Accept"/> only after the record authenticated, so forged records cannot move the window.
    /// 8 + 8 + 4 bytes of state. Sessions keep the two numbers in their own fields and use the static forms.
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
            return IsFresh(_highest, _bits, _size, sequence);
        }

        /// <summary>Marks an authenticated record's number as seen, sliding the window right when it is new.</summary>
        public void Accept(long sequence)
        {
            Accept(ref _highest, ref _bits, _size, sequence);
        }

        /// <summary><see cref="IsFresh(long)"/> over a window held elsewhere (<paramref name="size"/> 1..64).</summary>
        public static bool IsFresh(long highest, ulong bits, int size, long sequence)
        {
            if (sequence < 0)
            {
                return false;
            }
            if (sequence > highest)
            {
                return true;
            }
            long back = highest - sequence;
            if (back >= size || back >= MaxSize)
            {
                return false;
            }
            return (bits & (1UL << (int)back)) == 0;
        }

        /// <summary><see cref="Accept(long)"/> over a window held elsewhere.</summary>
        public static void Accept(ref long highest, ref ulong bits, int size, long sequence)
        {
            if (sequence > highest)
            {
                long shift = sequence - highest;
                bits = shift >= 64 ? 0 : bits << (int)shift;
                bits |= 1UL;
                highest = sequence;
                return;
            }
            long back = highest - sequence;
            if (back < size && back < MaxSize)
            {
                bits |= 1UL << (int)back;
            }
        }
    }
}
