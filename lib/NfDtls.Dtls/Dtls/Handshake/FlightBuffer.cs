using NfDtls.Crypto;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// The last flight we sent, kept so it can be sent again on timeout or when the peer's retransmission shows it was
    /// lost (RFC 6347 §4.2.4). Entries: kind(1) length(2) bytes, where a handshake entry is the complete message with
    /// its 12-byte header (fragment fields = unfragmented, as the transcript hashes it, §4.2.6) and is cut into
    /// MTU-sized fragments only when sent. An X.509 Certificate message is kept by reference: only its header is
    /// stored and its body (RFC 5246 §7.4.2: uint24 list of uint24-prefixed certificates) is read from the credentials'
    /// chain when sent, so a chain of any size costs the buffer 15 bytes. One fixed buffer.
    /// </summary>
    public sealed class FlightBuffer
    {
        public const int KindHandshakeEpoch0 = 0;
        public const int KindHandshakeEpoch1 = 1;
        public const int KindChangeCipherSpec = 2;
        /// <summary>A Certificate message whose body is <see cref="Chain"/> (epoch 0).</summary>
        public const int KindCertificateChain = 3;
        public const int EntryHeaderLength = 3;

        private readonly byte[] _buffer;
        private int _length;
        private int _openEntry = -1;
        private readonly byte[] _three = new byte[3];
        private byte[][] _chain;
        private bool _chainPending;

        public FlightBuffer(int size)
        {
            _buffer = new byte[size];
        }

        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Bytes of entries stored.</summary>
        public int Length { get { return _length; } }

        public bool IsEmpty { get { return _length == 0; } }

        /// <summary>The certificate chain a <see cref="KindCertificateChain"/> entry sends (end entity first, DER).</summary>
        public byte[][] Chain { get { return _chain; } }

        public void Clear()
        {
            _length = 0;
            _openEntry = -1;
            _chain = null;
            _chainPending = false;
        }

        /// <summary>Opens a handshake message entry and returns a writer for its body (after the 12-byte header).</summary>
        public WireWriter BeginHandshake(int epoch, int type)
        {
            _openEntry = _length;
            _chainPending = false;
            WireWriter w = new WireWriter(_buffer, _length, _buffer.Length - _length);
            w.WriteUInt8(epoch == 0 ? KindHandshakeEpoch0 : KindHandshakeEpoch1);
            w.WriteUInt16(0);
            w.WriteUInt8(type);
            w.WriteZeros(HandshakeType.HeaderLength - 1);
            return w;
        }

        /// <summary>
        /// Makes the open entry (a Certificate message, nothing written to its body) a reference to
        /// <paramref name="chain"/>: its body is the chain's certificate_list, read from the chain when sent.
        /// </summary>
        public void ReferToChain(byte[][] chain)
        {
            _chain = chain;
            _chainPending = true;
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
            if (_chainPending)
            {
                _chainPending = false;
                body = ChainBodyLength(_chain);
                _buffer[entry] = KindCertificateChain;
            }
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

        /// <summary>Adds the message at <paramref name="message"/> (as <see cref="EndHandshake"/> returned it) to a transcript in its unfragmented form.</summary>
        public void Hash(ISha256 transcript, int message)
        {
            int entry = message - EntryHeaderLength;
            int stored = (_buffer[entry + 1] << 8) | _buffer[entry + 2];
            transcript.Update(_buffer, message, stored);
            if (_buffer[entry] == KindCertificateChain)
            {
                byte[][] chain = _chain;
                // the body as sent: uint24 list length, then each certificate with its uint24 length
                int list = ChainBodyLength(chain) - 3;
                HashUInt24(transcript, list);
                for (int i = 0; i < chain.Length; i++)
                {
                    HashUInt24(transcript, chain[i].Length);
                    transcript.Update(chain[i], 0, chain[i].Length);
                }
            }
        }

        private void HashUInt24(ISha256 transcript, int value)
        {
            WireWriter.WriteUInt24At(_three, 0, value);
            transcript.Update(_three, 0, 3);
        }

        /// <summary>
        /// Copies <paramref name="count"/> bytes of a stored message's body, from body offset <paramref name="from"/>, to
        /// <paramref name="destination"/> (for fragments, RFC 6347 §4.2.3).
        /// </summary>
        public void CopyBody(int message, int from, byte[] destination, int offset, int count)
        {
            if (_buffer[message - EntryHeaderLength] != KindCertificateChain)
            {
                System.Array.Copy(_buffer, message + HandshakeType.HeaderLength + from, destination, offset, count);
                return;
            }
            byte[][] chain = _chain;
            int end = from + count;
            // segment 0: the list length; then per certificate its length and its DER
            int at = CopyNumber(ChainBodyLength(chain) - 3, 0, from, end, destination, offset);
            for (int i = 0; i < chain.Length && at < end; i++)
            {
                at = CopyNumber(chain[i].Length, at, from, end, destination, offset);
                int start = at;
                int stop = at + chain[i].Length;
                int a = from > start ? from : start;
                int b = end < stop ? end : stop;
                if (a < b)
                {
                    System.Array.Copy(chain[i], a - start, destination, offset + a - from, b - a);
                }
                at = stop;
            }
        }

        // The 3 bytes of a uint24 at body position segment, clipped to [from, end); returns the position after it.
        private static int CopyNumber(int value, int segment, int from, int end, byte[] destination, int offset)
        {
            for (int i = 0; i < 3; i++)
            {
                int p = segment + i;
                if (p >= from && p < end)
                {
                    destination[offset + p - from] = (byte)(value >> (8 * (2 - i)));
                }
            }
            return segment + 3;
        }

        /// <summary>Length of a Certificate body holding <paramref name="chain"/> (RFC 5246 §7.4.2).</summary>
        public static int ChainBodyLength(byte[][] chain)
        {
            int n = 3;
            for (int i = 0; i < chain.Length; i++)
            {
                n += 3 + chain[i].Length;
            }
            return n;
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
