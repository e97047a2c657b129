namespace NfDtls.Coap.Message
{
    /// <summary>
    /// One CoAP message, reusable: header fields, a token of up to 8 bytes, options kept sorted by number (repeated
    /// options keep their order, RFC 7252 §5.4.5) in fixed tables sized at construction, and the payload as a
    /// reference (buffer, offset, length) to bytes owned by someone else, so decoding and encoding copy nothing.
    /// Costs 12 bytes per option slot plus the option data buffer.
    /// </summary>
    public sealed class CoapMessage
    {
        public const int MaxTokenLength = 8;

        private readonly int[] _number;
        private readonly int[] _offset;
        private readonly int[] _length;
        private readonly byte[] _data;
        private int _count;
        private int _dataUsed;
        private bool _overflow;

        public int Type;
        public int Code;
        public int MessageId;
        public readonly byte[] Token = new byte[MaxTokenLength];
        public int TokenLength;
        public byte[] PayloadBuffer;
        public int PayloadOffset;
        public int PayloadLength;
        /// <summary>Room to build one option value (≤ 255 bytes) before adding it.</summary>
        public readonly byte[] OptionScratch = new byte[258];

        public CoapMessage(int maxOptions, int optionBytes)
        {
            _number = new int[maxOptions];
            _offset = new int[maxOptions];
            _length = new int[maxOptions];
            _data = new byte[optionBytes];
        }

        public int OptionCount { get { return _count; } }
        public byte[] OptionData { get { return _data; } }
        /// <summary>An option did not fit the tables since the last <see cref="Reset"/>.</summary>
        public bool OptionsOverflowed { get { return _overflow; } }

        public int OptionNumber(int index) { return _number[index]; }
        public int OptionOffset(int index) { return _offset[index]; }
        public int OptionLength(int index) { return _length[index]; }

        public void Reset()
        {
            Type = CoapType.Confirmable;
            Code = CoapCode.Empty;
            MessageId = 0;
            TokenLength = 0;
            PayloadBuffer = null;
            PayloadOffset = 0;
            PayloadLength = 0;
            _count = 0;
            _dataUsed = 0;
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

        /// <summary>Adds an option after any with the same number; false (and <see cref="OptionsOverflowed"/>) if it does not fit.</summary>
        public bool AddOption(int number, byte[] value, int offset, int length)
        {
            if (_count >= _number.Length || length < 0 || _dataUsed + length > _data.Length || number < 0 || number > 0xFFFF)
            {
                _overflow = true;
                return false;
            }
            int at = _count;
            while (at > 0 && _number[at - 1] > number)
            {
                _number[at] = _number[at - 1];
                _offset[at] = _offset[at - 1];
                _length[at] = _length[at - 1];
                at--;
            }
            _number[at] = number;
            _offset[at] = _dataUsed;
            _length[at] = length;
            if (length > 0)
            {
                System.Array.Copy(value, offset, _data, _dataUsed, length);
            }
            _dataUsed += length;
            _count++;
            return true;
        }

        /// <summary>Adds a uint option in its shortest form (§3.2: leading zero bytes are not sent; 0 is empty).</summary>
        public bool AddOptionUInt(int number, uint value)
        {
            if (_count >= _number.Length || _dataUsed + 4 > _data.Length)
            {
                _overflow = true;
                return false;
            }
            int n = value == 0 ? 0 : value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
            // Write the bytes at the end of the data area, then add them as a value (AddOption copies in place safely).
            int start = _dataUsed;
            for (int i = 0; i < n; i++)
            {
                _data[start + i] = (byte)(value >> (8 * (n - 1 - i)));
            }
            return AddOption(number, _data, start, n);
        }

        /// <summary>Adds a string option encoded as UTF-8 (no allocation).</summary>
        public bool AddOptionString(int number, string value)
        {
            int length = NfDtls.Text.Utf8Bytes.Count(value);
            if (_count >= _number.Length || _dataUsed + length > _data.Length)
            {
                _overflow = true;
                return false;
            }
            int start = _dataUsed;
            NfDtls.Text.Utf8Bytes.Write(value, _data, start);
            return AddOption(number, _data, start, length);
        }

        /// <summary>Index of the first option <paramref name="number"/> at or after <paramref name="from"/>, or -1.</summary>
        public int FindOption(int number, int from)
        {
            for (int i = from; i < _count; i++)
            {
                if (_number[i] == number)
                {
                    return i;
                }
                if (_number[i] > number)
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
            int len = _length[index];
            if (len > 4)
            {
                len = 4;
            }
            for (int i = 0; i < len; i++)
            {
                v = (v << 8) | _data[_offset[index] + i];
            }
            return v;
        }

        /// <summary>The uint value of option <paramref name="number"/>, or <paramref name="missing"/> when absent.</summary>
        public long GetUInt(int number, long missing)
        {
            int i = FindOption(number, 0);
            return i < 0 ? missing : OptionUInt(i);
        }

        /// <summary>Removes every option <paramref name="number"/> (their data bytes stay used until <see cref="Reset"/>).</summary>
        public void RemoveOption(int number)
        {
            int w = 0;
            for (int r = 0; r < _count; r++)
            {
                if (_number[r] != number)
                {
                    _number[w] = _number[r];
                    _offset[w] = _offset[r];
                    _length[w] = _length[r];
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

        /// <summary>Copies header, token and options of <paramref name="other"/> (payload reference too).</summary>
        public bool CopyFrom(CoapMessage other)
        {
            Reset();
            Type = other.Type;
            Code = other.Code;
            MessageId = other.MessageId;
            SetToken(other.Token, 0, other.TokenLength);
            for (int i = 0; i < other._count; i++)
            {
                if (!AddOption(other._number[i], other._data, other._offset[i], other._length[i]))
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
                if (!AddOption(number, other._data, other._offset[i], other._length[i]))
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
                if (_length[a] != other._length[b])
                {
                    return false;
                }
                for (int k = 0; k < _length[a]; k++)
                {
                    if (_data[_offset[a] + k] != other._data[other._offset[b] + k])
                    {
                        return false;
                    }
                }
                a = FindOption(number, a + 1);
                b = other.FindOption(number, b + 1);
            }
            return a < 0 && b < 0;
        }

        /// <summary>True if option <paramref name="index"/> equals the ASCII/UTF-8 of <paramref name="text"/>.</summary>
        public bool OptionEquals(int index, string text)
        {
            return NfDtls.Text.Utf8Bytes.Equals(text, _data, _offset[index], _length[index]);
        }
    }
}
