namespace NfDtls.Wire
{
    /// <summary>
    /// Big-endian reader over <c>byte[]</c> + offset + count. Every bounds check lives in <see cref="Take"/>:
    /// reading past the end sets <see cref="Failed"/> (sticky) and yields zeros, so a parser reads a whole
    /// structure and checks <see cref="Failed"/> once, and malformed input can never throw.
    /// A struct so nested readers (<see cref="ReadVector8"/> …) cost no allocation; pass it by <c>ref</c>.
    /// </summary>
    public struct WireReader
    {
        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;
        private bool _failed;

        public WireReader(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + count;
            _failed = buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length;
            if (_failed)
            {
                _end = offset;
            }
        }

        public byte[] Buffer { get { return _buffer; } }
        public int Position { get { return _position; } }
        public int End { get { return _end; } }
        public int Remaining { get { return _end - _position; } }
        public bool Failed { get { return _failed; } }
        public bool IsEmpty { get { return _position >= _end; } }

        /// <summary>The one bounds check: reserves <paramref name="count"/> bytes and returns where they start, or -1.</summary>
        public int Take(int count)
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

        public byte ReadUInt8()
        {
            int at = Take(1);
            return at < 0 ? (byte)0 : _buffer[at];
        }

        public int ReadUInt16()
        {
            int at = Take(2);
            return at < 0 ? 0 : (_buffer[at] << 8) | _buffer[at + 1];
        }

        public int ReadUInt24()
        {
            int at = Take(3);
            return at < 0 ? 0 : (_buffer[at] << 16) | (_buffer[at + 1] << 8) | _buffer[at + 2];
        }

        public uint ReadUInt32()
        {
            int at = Take(4);
            if (at < 0)
            {
                return 0;
            }
            return ((uint)_buffer[at] << 24) | ((uint)_buffer[at + 1] << 16) | ((uint)_buffer[at + 2] << 8) | _buffer[at + 3];
        }

        public long ReadUInt48()
        {
            int at = Take(6);
            if (at < 0)
            {
                return 0;
            }
            long v = 0;
            for (int i = 0; i < 6; i++)
            {
                v = (v << 8) | _buffer[at + i];
            }
            return v;
        }

        /// <summary>Skips <paramref name="count"/> bytes and returns their offset in <see cref="Buffer"/> (-1 on failure).</summary>
        public int ReadBytes(int count)
        {
            return Take(count);
        }

        /// <summary>Copies <paramref name="count"/> bytes out; false (and <see cref="Failed"/>) if they are not there.</summary>
        public bool CopyTo(byte[] destination, int destinationOffset, int count)
        {
            int at = Take(count);
            if (at < 0 || destination == null || destinationOffset < 0 || destinationOffset + count > destination.Length)
            {
                _failed = true;
                return false;
            }
            System.Array.Copy(_buffer, at, destination, destinationOffset, count);
            return true;
        }

        /// <summary>A reader over the next <paramref name="count"/> bytes; this reader moves past them.</summary>
        public WireReader Slice(int count)
        {
            int at = Take(count);
            if (at < 0)
            {
                WireReader failed = new WireReader(_buffer, _position, 0);
                failed._failed = true;
                return failed;
            }
            return new WireReader(_buffer, at, count);
        }

        /// <summary>TLS opaque&lt;0..2^8-1&gt;: a one-byte length then the bytes.</summary>
        public WireReader ReadVector8()
        {
            return Slice(ReadUInt8());
        }

        /// <summary>TLS opaque&lt;0..2^16-1&gt;: a two-byte length then the bytes.</summary>
        public WireReader ReadVector16()
        {
            int length = ReadUInt16();
            return _failed ? Slice(-1) : Slice(length);
        }

        /// <summary>TLS opaque&lt;0..2^24-1&gt;: a three-byte length then the bytes.</summary>
        public WireReader ReadVector24()
        {
            int length = ReadUInt24();
            return _failed ? Slice(-1) : Slice(length);
        }
    }
}
