using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// The last flight we sent, kept whole so it can be sent again on timeout or when the peer's retransmission shows
    /// it was lost (RFC 6347 §4.2.4). Entries: kind(1) length(2) bytes, where a handshake entry is the complete
    /// message with its 12-byte header (fragment fields = unfragmented, as the transcript hashes it, §4.2.6) and is
    /// cut into MTU-sized fragments only when sent. One fixed buffer.
    /// </summary>
    public sealed class FlightBuffer
    {
        public const int KindHandshakeEpoch0 = 0;
        public const int KindHandshakeEpoch1 = 1;
        public const int KindChangeCipherSpec = 2;
        public const int EntryHeaderLength = 3;

        private readonly byte[] _buffer;
        private int _length;
        private int _openEntry = -1;

        public FlightBuffer(int size)
        {
            _buffer = new byte[size];
        }

        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Bytes of entries stored.</summary>
        public int Length { get { return _length; } }

        public bool IsEmpty { get { return _length == 0; } }

        public void Clear()
        {
            _length = 0;
            _openEntry = -1;
        }

        /// <summary>Opens a handshake message entry and returns a writer for its body (after the 12-byte header); -1 start on no room.</summary>
        public WireWriter BeginHandshake(int epoch, int type)
        {
            _openEntry = _length;
            WireWriter w = new WireWriter(_buffer, _length, _buffer.Length - _length);
            w.WriteUInt8(epoch == 0 ? KindHandshakeEpoch0 : KindHandshakeEpoch1);
            w.WriteUInt16(0);
            w.WriteUInt8(type);
            w.WriteZeros(HandshakeType.HeaderLength - 1);
            return w;
        }

        /// <summary>
        /// Closes the entry opened by <see cref="BeginHandshake"/>: fills in length, message_seq and the unfragmented
        /// fragment fields. Returns the offset of the message (header included) in <see cref="Buffer"/>, or -1 if it did not fit.
        /// </summary>
        public int EndHandshake(ref WireWriter w, int messageSequence)
        {
            int entry = _openEntry;
            _openEntry = -1;
            if (w.Failed || entry < 0)
            {
                return -1;
            }
            int message = entry + EntryHeaderLength;
            int total = w.Position - message;
            int body = total - HandshakeType.HeaderLength;
            WireWriter.WriteUInt16At(_buffer, entry + 1, total);
            WireWriter.WriteUInt24At(_buffer, message + 1, body);
            WireWriter.WriteUInt16At(_buffer, message + 4, messageSequence);
            WireWriter.WriteUInt24At(_buffer, message + 6, 0);
            WireWriter.WriteUInt24At(_buffer, message + 9, body);
            _length = w.Position;
            return message;
        }

        public bool AddChangeCipherSpec()
        {
            if (_buffer.Length - _length < EntryHeaderLength + 1)
            {
                return false;
            }
            _buffer[_length] = KindChangeCipherSpec;
            WireWriter.WriteUInt16At(_buffer, _length + 1, 1);
            _buffer[_length + 3] = 1;
            _length += EntryHeaderLength + 1;
            return true;
        }

        /// <summary>Offset of the first handshake message of the given type in the flight (header included), or -1.</summary>
        public int FindMessage(int type, out int messageLength)
        {
            int p = 0;
            while (p < _length)
            {
                int kind = _buffer[p];
                int len = (_buffer[p + 1] << 8) | _buffer[p + 2];
                if (kind != KindChangeCipherSpec && _buffer[p + EntryHeaderLength] == type)
                {
                    messageLength = len;
                    return p + EntryHeaderLength;
                }
                p += EntryHeaderLength + len;
            }
            messageLength = 0;
            return -1;
        }
    }
}
