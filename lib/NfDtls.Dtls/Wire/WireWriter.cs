namespace NfDtls.Wire
{
    /// <summary>
    /// Big-endian writer into a caller-owned <c>byte[]</c> window. Every bounds check lives in <see cref="Reserve"/>:
    /// writing past the window sets <see cref="Failed"/> (sticky) and writes nothing, so a serializer writes a whole
    /// structure and checks <see cref="Failed"/> once. Length prefixes are written as placeholders and patched.
    /// </summary>
    public struct WireWriter
    {
        private readonly byte[] _buffer;
        private readonly int _start;
        private readonly int _end;
        private int _position;
        private bool _failed;

        public WireWriter(byte[] buffer, int offset, int capacity)
        {
            _buffer = buffer;
            _start = offset;
            _position = offset;
            _end = offset + capacity;
            _failed = buffer == null || offset < 0 || capacity < 0 || offset + capacity > buffer.Length;
            if (_failed)
            {
                _end = offset;
            }
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Start { get { return _start; } }
        public int Position { get { return _position; } }
        /// <summary>Bytes written since the start of the window.</summary>
        public int Length { get { return _position - _start; } }
        public int Remaining { get { return _end - _position; } }
        public bool Failed { get { return _failed; } }

        /// <summary>The one bounds check: reserves <paramref name="count"/> bytes and returns where they start, or -1.</summary>
        public int Reserve(int count)
        {
            if (_failed || count < 0 || count > _end - _position)
            {
                _failed = true;
                return -1;
            }
            int at = _position;
            _position += count;
            return at;
        }

        public void Fail()
        {
            _failed = true;
        }

        public void WriteUInt8(int value)
        {
            int at = Reserve(1);
            if (at >= 0)
            {
                _buffer[at] = (byte)value;
            }
        }

        public void WriteUInt16(int value)
        {
            int at = Reserve(2);
            if (at >= 0)
            {
                WriteUInt16At(_buffer, at, value);
            }
        }

        public void WriteUInt24(int value)
        {
            int at = Reserve(3);
            if (at >= 0)
            {
                WriteUInt24At(_buffer, at, value);
            }
        }

        public void WriteUInt32(uint value)
        {
            int at = Reserve(4);
            if (at >= 0)
            {
                _buffer[at] = (byte)(value >> 24);
                _buffer[at + 1] = (byte)(value >> 16);
                _buffer[at + 2] = (byte)(value >> 8);
                _buffer[at + 3] = (byte)value;
            }
        }

        public void WriteUInt48(long value)
        {
            int at = Reserve(6);
            if (at >= 0)
            {
                WriteUInt48At(_buffer, at, value);
            }
        }

        public void WriteBytes(byte[] source, int offset, int count)
        {
            if (source == null || offset < 0 || count < 0 || offset + count > source.Length)
            {
                _failed = true;
                return;
            }
            int at = Reserve(count);
            if (at >= 0)
            {
                System.Array.Copy(source, offset, _buffer, at, count);
            }
        }

        public void WriteZeros(int count)
        {
            int at = Reserve(count);
            if (at >= 0)
            {
                System.Array.Clear(_buffer, at, count);
            }
        }

        /// <summary>Starts a length-prefixed vector of <paramref name="lengthBytes"/> (1, 2 or 3) bytes; returns a mark for <see cref="EndVector"/>.</summary>
        public int BeginVector(int lengthBytes)
        {
            int at = Reserve(lengthBytes);
            return at < 0 ? -1 : at;
        }

        /// <summary>Patches the length written since <see cref="BeginVector"/>.</summary>
        public void EndVector(int mark, int lengthBytes)
        {
            if (_failed || mark < 0)
            {
                _failed = true;
                return;
            }
            int length = _position - mark - lengthBytes;
            int max = lengthBytes == 1 ? 0xFF : lengthBytes == 2 ? 0xFFFF : 0xFFFFFF;
            if (length > max)
            {
                _failed = true;
                return;
            }
            if (lengthBytes == 1)
            {
                _buffer[mark] = (byte)length;
            }
            else if (lengthBytes == 2)
            {
                WriteUInt16At(_buffer, mark, length);
            }
            else
            {
                WriteUInt24At(_buffer, mark, length);
            }
        }

        public static void WriteUInt16At(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)(value >> 8);
            buffer[at + 1] = (byte)value;
        }

        public static void WriteUInt24At(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)(value >> 16);
            buffer[at + 1] = (byte)(value >> 8);
            buffer[at + 2] = (byte)value;
        }

        public static void WriteUInt48At(byte[] buffer, int at, long value)
        {
            for (int i = 5; i >= 0; i--)
            {
                buffer[at + i] = (byte)value;
                value >>= 8;
            }
        }
    }
}
