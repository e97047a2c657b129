namespace NfDtls.Coap.Message
{
    /// <summary>
    /// One CoAP message, reusable: header fields, a token of up to 8 bytes, options kept sorted by number (repeated
    /// options keep their order, RFC 7252 §5.4.5) and the payload as a reference (buffer, offset, length) to bytes owned
    /// by someone else. A decoded message reads in place: its option values stay where the datagram or DTLS record
    /// was received (<see cref="OptionBuffer"/>), nothing is copied; options added by the application live in the
    /// message's own option storage. Costs 8 bytes per option slot plus the own option storage.
    /// </summary>
    public sealed class CoapMessage
    {
        public const int MaxTokenLength = 8;

        // An option's offset with this bit set is in the own storage; without it, in the buffer the message was decoded from.
        private const int OwnFlag = 0x40000000;

        // Two ints per option: number << 16 | length, then the offset (OwnFlag: in _own).
        private readonly int[] _options;
        private readonly byte[] _own;
        private byte[] _source;
        private int _count;
        private int _ownUsed;
        private bool _overflow;

        public int Type;
        public int Code;
        public int MessageId;
        public readonly byte[] Token = new byte[MaxTokenLength];
        public int TokenLength;
        public byte[] PayloadBuffer;
        public int PayloadOffset;
        public int PayloadLength;

        /// <param name="maxOptions">Options the message can hold.</param>
        /// <param name="optionBytes">Own storage for option values the application adds (decoded values stay in place).</param>
        public CoapMessage(int maxOptions, int optionBytes)
        {
            _options = new int[2 * (maxOptions < 0 ? 0 : maxOptions)];
            _own = new byte[optionBytes < 0 ? 0 : optionBytes];
        }

        public int OptionCount { get { return _count; } }
        /// <summary>An option did not fit the tables since the last <see cref="Reset"/>.</summary>
        public bool OptionsOverflowed { get { return _overflow; } }

        public int OptionNumber(int index) { return (int)((uint)_options[2 * index] >> 16); }
        public int OptionLength(int index) { return _options[2 * index] & 0xFFFF; }
        /// <summary>Where option <paramref name="index"/>'s value starts in <see cref="OptionBuffer"/>.</summary>
        public int OptionOffset(int index) { return _options[2 * index + 1] & ~OwnFlag; }
        /// <summary>The buffer holding option <paramref name="index"/>'s value: the received datagram or the own storage.</summary>
        public byte[] OptionBuffer(int index) { return (_options[2 * index + 1] & OwnFlag) != 0 ? _own : _source; }

        /// <summary>Byte <paramref name="k"/> of option <paramref name="index"/>'s value.</summary>
        public byte OptionByte(int index, int k)
        {
            return OptionBuffer(index)[OptionOffset(index) + k];
        }

        public void Reset()
        {
            Type = CoapType.Confirmable;
            Code = CoapCode.Empty;
            MessageId = 0;
            TokenLength = 0;
            PayloadBuffer = null;
            PayloadOffset = 0;
            PayloadLength = 0;
            _source = null;
            _count = 0;
            _ownUsed = 0;
            _overflow = false;
        }

        public void SetToken(byte[] token, int offset, int length)
        {
            if (length > MaxTokenLength)
            {
                length = MaxTokenLength;
            }
            System.Array.Copy(token, offset, Token, 0, length);
            TokenLength = length;
        }

        public bool TokenEquals(byte[] token, int length)
        {
            if (length != TokenLength)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (Token[i] != token[i])
                {
                    return false;
                }
            }
            return true;
        }

        public void SetPayload(byte[] buffer, int offset, int length)
        {
            PayloadBuffer = buffer;
            PayloadOffset = offset;
            PayloadLength = buffer == null ? 0 : length;
        }

        /// <summary>Decoding in place: option values that follow are in <paramref name="source"/>.</summary>
        internal void BeginDecode(byte[] source)
        {
            _source = source;
        }

        /// <summary>Decoding in place: appends an option whose value sits in the source buffer (numbers arrive in order, §3.1).</summary>
        internal bool AddDecodedOption(int number, int offset, int length)
        {
            if (2 * _count >= _options.Length || length > 0xFFFF)
            {
                _overflow = true;
                return false;
            }
            _options[2 * _count] = (int)(((uint)number << 16) | (uint)length);
            _options[2 * _count + 1] = offset;
            _count++;
            return true;
        }

        /// <summary>Adds an option after any with the same number; false (and <see cref="OptionsOverflowed"/>) if it does not fit.</summary>
        public bool AddOption(int number, byte[] value, int offset, int length)
        {
            if (2 * _count >= _options.Length || length < 0 || length > 0xFFFF || _ownUsed + length > _own.Length || number < 0 || number > 0xFFFF)
            {
                _overflow = true;
                return false;
            }
            int at = _count;
            while (at > 0 && OptionNumber(at - 1) > number)
            {
                _options[2 * at] = _options[2 * at - 2];
                _options[2 * at + 1] = _options[2 * at - 1];
                at--;
            }
            _options[2 * at] = (int)(((uint)number << 16) | (uint)length);
            _options[2 * at + 1] = _ownUsed | OwnFlag;
            if (length > 0)
            {
                System.Array.Copy(value, offset, _own, _ownUsed, length);
            }
            _ownUsed += length;
            _count++;
            return true;
        }

        /// <summary>
        /// Room at the end of the own storage to build one option value in place, then <see cref="AddOption"/> it from
        /// there (<c>AddOption(n, OwnStorage, at, length)</c> copies onto itself). -1 when the storage is full.
        /// </summary>
        internal int OwnFree(out byte[] storage, out int at)
        {
            storage = _own;
            at = _ownUsed;
            return _own.Length - _ownUsed;
        }

        /// <summary>Adds a uint option in its shortest form (§3.2: leading zero bytes are not sent; 0 is empty).</summary>
        public bool AddOptionUInt(int number, uint value)
        {
            if (2 * _count >= _options.Length || _ownUsed + 4 > _own.Length)
            {
                _overflow = true;
                return false;
            }
            int n = UIntLength(value);
            // Write the bytes at the end of the own storage, then add them as a value (AddOption copies in place safely).
            int start = _ownUsed;
            for (int i = 0; i < n; i++)
            {
                _own[start + i] = (byte)(value >> (8 * (n - 1 - i)));
            }
            return AddOption(number, _own, start, n);
        }

        /// <summary>Bytes of a uint option value in its shortest form (§3.2).</summary>
        public static int UIntLength(uint value)
        {
            return value == 0 ? 0 : value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
        }

        /// <summary>Adds a string option encoded as UTF-8 (no allocation).</summary>
        public bool AddOptionString(int number, string value)
        {
            int length = NfDtls.Text.Utf8Bytes.Count(value);
            if (2 * _count >= _options.Length || _ownUsed + length > _own.Length)
            {
                _overflow = true;
                return false;
            }
            int start = _ownUsed;
            NfDtls.Text.Utf8Bytes.Write(value, _own, start);
            return AddOption(number, _own, start, length);
        }

        /// <summary>Index of the first option <paramref name="number"/> at or after <paramref name="from"/>, or -1.</summary>
        public int FindOption(int number, int from)
        {
            for (int i = from; i < _count; i++)
            {
                int n = OptionNumber(i);
                if (n == number)
                {
                    return i;
                }
                if (n > number)
                {
                    return -1;
                }
            }
            return -1;
        }

        public int FindOption(int number)
        {
            return FindOption(number, 0);
        }

        public bool HasOption(int number)
        {
            return FindOption(number, 0) >= 0;
        }

        public uint OptionUInt(int index)
        {
            uint v = 0;
            int len = OptionLength(index);
            if (len > 4)
            {
                len = 4;
            }
            byte[] b = OptionBuffer(index);
            int at = OptionOffset(index);
            for (int i = 0; i < len; i++)
            {
                v = (v << 8) | b[at + i];
            }
            return v;
        }

        /// <summary>The uint value of option <paramref name="number"/>, or <paramref name="missing"/> when absent.</summary>
        public long GetUInt(int number, long missing)
        {
            int i = FindOption(number, 0);
            return i < 0 ? missing : OptionUInt(i);
        }

        /// <summary>Removes every option <paramref name="number"/> (their own storage bytes stay used until <see cref="Reset"/>).</summary>
        public void RemoveOption(int number)
        {
            int w = 0;
            for (int r = 0; r < _count; r++)
            {
                if (OptionNumber(r) != number)
                {
                    _options[2 * w] = _options[2 * r];
                    _options[2 * w + 1] = _options[2 * r + 1];
                    w++;
                }
            }
            _count = w;
        }

        /// <summary>Sets a uint option, replacing any present.</summary>
        public bool SetOptionUInt(int number, uint value)
        {
            RemoveOption(number);
            return AddOptionUInt(number, value);
        }

        /// <summary>Copies header, token and options of <paramref name="other"/> into this message's own storage (payload reference too).</summary>
        public bool CopyFrom(CoapMessage other)
        {
            Reset();
            Type = other.Type;
            Code = other.Code;
            MessageId = other.MessageId;
            SetToken(other.Token, 0, other.TokenLength);
            for (int i = 0; i < other._count; i++)
            {
                if (!AddOption(other.OptionNumber(i), other.OptionBuffer(i), other.OptionOffset(i), other.OptionLength(i)))
                {
                    return false;
                }
            }
            SetPayload(other.PayloadBuffer, other.PayloadOffset, other.PayloadLength);
            return true;
        }

        /// <summary>Copies every option <paramref name="number"/> from <paramref name="other"/>.</summary>
        public bool CopyOptions(CoapMessage other, int number)
        {
            for (int i = other.FindOption(number, 0); i >= 0; i = other.FindOption(number, i + 1))
            {
                if (!AddOption(number, other.OptionBuffer(i), other.OptionOffset(i), other.OptionLength(i)))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>True if option values <paramref name="number"/> of both messages are equal in order.</summary>
        public bool SameOptions(CoapMessage other, int number)
        {
            int a = FindOption(number, 0);
            int b = other.FindOption(number, 0);
            while (a >= 0 && b >= 0)
            {
                if (!other.OptionValueEquals(b, OptionBuffer(a), OptionOffset(a), OptionLength(a)))
                {
                    return false;
                }
                a = FindOption(number, a + 1);
                b = other.FindOption(number, b + 1);
            }
            return a < 0 && b < 0;
        }

        /// <summary>True if option <paramref name="index"/>'s value equals the given bytes.</summary>
        public bool OptionValueEquals(int index, byte[] value, int offset, int length)
        {
            if (OptionLength(index) != length)
            {
                return false;
            }
            byte[] b = OptionBuffer(index);
            int at = OptionOffset(index);
            for (int k = 0; k < length; k++)
            {
                if (b[at + k] != value[offset + k])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>True if option <paramref name="index"/> equals the ASCII/UTF-8 of <paramref name="text"/>.</summary>
        public bool OptionEquals(int index, string text)
        {
            return NfDtls.Text.Utf8Bytes.Equals(text, OptionBuffer(index), OptionOffset(index), OptionLength(index));
        }
    }
}
