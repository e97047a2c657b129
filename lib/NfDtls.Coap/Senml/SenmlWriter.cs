using NfDtls.Text;

namespace NfDtls.Senml
{
    /// <summary>
    /// Writes a SenML pack (RFC 8428) as JSON (§5, Content-Format 110) or CBOR (§6, 112) straight into a caller
    /// buffer, with no allocation: a node encodes readings each period without touching the heap.
    /// <code>
    /// w.Begin(SenmlFormat.Json, buf, 0, buf.Length);
    /// w.BeginRecord(); w.BaseName("urn:dev:mac:0024befffe804ff1/"); w.BaseTime(1.276020076e9); w.Name("temp"); w.Unit("Cel"); w.Value(23.1); w.EndRecord();
    /// w.BeginRecord(); w.Name("hum"); w.Unit("%RH"); w.Value(41); w.EndRecord();
    /// int length = w.End();   // -1 if it did not fit
    /// </code>
    /// Fields are written in the order called; JSON numbers carry up to 15 significant digits; CBOR numbers are
    /// integers when integral, otherwise float64. A pack holds at most 65535 records, a record at most 23 fields.
    /// </summary>
    public sealed class SenmlWriter
    {
        private byte[] _buffer;
        private int _start;
        private int _end;
        private int _at;
        private bool _failed;
        private bool _cbor;
        private int _records;
        private int _fields;
        private int _recordHead;

        public void Begin(int format, byte[] buffer, int offset, int capacity)
        {
            _buffer = buffer;
            _start = offset;
            _at = offset;
            _end = offset + capacity;
            _failed = buffer == null || offset < 0 || capacity < 3 || offset + capacity > buffer.Length;
            _cbor = format == SenmlFormat.Cbor;
            _records = 0;
            _fields = 0;
            if (_failed)
            {
                return;
            }
            // CBOR: the array head is patched in End(); 3 bytes reserved (0x99 + 16-bit count), compacted there.
            if (_cbor)
            {
                _at += 3;
            }
            else
            {
                Byte('[');
            }
        }

        public bool Failed { get { return _failed; } }

        public void BeginRecord()
        {
            if (_cbor)
            {
                _recordHead = _at;
                Byte(0xA0); // map head, count patched in EndRecord (≤ 23 fields: one byte)
            }
            else
            {
                if (_records > 0)
                {
                    Byte(',');
                }
                Byte('{');
            }
            _fields = 0;
        }

        public void EndRecord()
        {
            if (_cbor)
            {
                if (!_failed)
                {
                    if (_fields > 23)
                    {
                        _failed = true;
                        return;
                    }
                    _buffer[_recordHead] = (byte)(0xA0 | _fields);
                }
            }
            else
            {
                Byte('}');
            }
            _records++;
        }

        /// <summary>Finishes the pack; returns its length in bytes, or -1 if anything did not fit.</summary>
        public int End()
        {
            if (_cbor)
            {
                if (_failed || _records > 0xFFFF)
                {
                    return -1;
                }
                // Shortest array head, then close the gap left by the reservation.
                int head = _records < 24 ? 1 : _records < 256 ? 2 : 3;
                int content = _at - (_start + 3);
                int to = _start + head;
                for (int i = 0; i < content; i++)
                {
                    _buffer[to + i] = _buffer[_start + 3 + i];
                }
                if (head == 1)
                {
                    _buffer[_start] = (byte)(0x80 | _records);
                }
                else if (head == 2)
                {
                    _buffer[_start] = 0x98;
                    _buffer[_start + 1] = (byte)_records;
                }
                else
                {
                    _buffer[_start] = 0x99;
                    _buffer[_start + 1] = (byte)(_records >> 8);
                    _buffer[_start + 2] = (byte)_records;
                }
                _at = to + content;
                return _at - _start;
            }
            Byte(']');
            return _failed ? -1 : _at - _start;
        }

        public void BaseName(string value) { StringField(SenmlLabel.BaseName, value); }
        public void BaseUnit(string value) { StringField(SenmlLabel.BaseUnit, value); }
        public void BaseTime(double value) { NumberField(SenmlLabel.BaseTime, value); }
        public void BaseValue(double value) { NumberField(SenmlLabel.BaseValue, value); }
        public void BaseVersion(int value) { NumberField(SenmlLabel.BaseVersion, value); }
        public void Name(string value) { StringField(SenmlLabel.Name, value); }
        public void Unit(string value) { StringField(SenmlLabel.Unit, value); }
        public void Value(double value) { NumberField(SenmlLabel.Value, value); }
        public void StringValue(string value) { StringField(SenmlLabel.StringValue, value); }
        public void Sum(double value) { NumberField(SenmlLabel.Sum, value); }
        public void Time(double value) { NumberField(SenmlLabel.Time, value); }
        public void UpdateTime(double value) { NumberField(SenmlLabel.UpdateTime, value); }

        public void BoolValue(bool value)
        {
            Key(SenmlLabel.BoolValue);
            if (_cbor)
            {
                Byte(value ? 0xF5 : 0xF4);
            }
            else
            {
                Ascii(value ? "true" : "false");
            }
        }

        /// <summary>vd (§4.2): JSON carries base64url without padding (§5), CBOR a byte string.</summary>
        public void DataValue(byte[] data, int offset, int count)
        {
            Key(SenmlLabel.DataValue);
            if (_cbor)
            {
                Head(2, (ulong)count);
                if (Room(count))
                {
                    System.Array.Copy(data, offset, _buffer, _at, count);
                    _at += count;
                }
                return;
            }
            Byte('"');
            const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            for (int i = 0; i < count; i += 3)
            {
                int b0 = data[offset + i];
                int b1 = i + 1 < count ? data[offset + i + 1] : 0;
                int b2 = i + 2 < count ? data[offset + i + 2] : 0;
                Byte(Alphabet[b0 >> 2]);
                Byte(Alphabet[((b0 & 3) << 4) | (b1 >> 4)]);
                if (i + 1 < count)
                {
                    Byte(Alphabet[((b1 & 15) << 2) | (b2 >> 6)]);
                }
                if (i + 2 < count)
                {
                    Byte(Alphabet[b2 & 63]);
                }
            }
            Byte('"');
        }

        private void Key(int label)
        {
            if (_cbor)
            {
                if (label < 0)
                {
                    Head(1, (ulong)(-1 - label));
                }
                else
                {
                    Head(0, (ulong)label);
                }
            }
            else
            {
                if (_fields > 0)
                {
                    Byte(',');
                }
                Byte('"');
                Ascii(SenmlLabel.Json(label));
                Byte('"');
                Byte(':');
            }
            _fields++;
        }

        private void StringField(int label, string value)
        {
            Key(label);
            int n = Utf8Bytes.Count(value);
            if (_cbor)
            {
                Head(3, (ulong)n);
                if (Room(n))
                {
                    _at += Utf8Bytes.Write(value, _buffer, _at);
                }
                return;
            }
            Byte('"');
            // RFC 8259 §7: escape quote, backslash and control characters.
            for (int i = 0; value != null && i < value.Length; i++)
            {
                char c = value[i];
                if (c == '"' || c == '\\')
                {
                    Byte('\\');
                    Byte(c);
                }
                else if (c < 0x20)
                {
                    Ascii("\\u00");
                    Byte("0123456789abcdef"[c >> 4]);
                    Byte("0123456789abcdef"[c & 15]);
                }
                else if (c < 0x80)
                {
                    Byte(c);
                }
                else
                {
                    int end = i + 1;
                    if (c >= 0xD800 && c <= 0xDBFF && end < value.Length && value[end] >= 0xDC00 && value[end] <= 0xDFFF)
                    {
                        end++;
                    }
                    int need = (c < 0x800) ? 2 : (end - i == 2 ? 4 : 3);
                    if (Room(need))
                    {
                        _at += WriteChar(value, i, end, _buffer, _at);
                    }
                    i = end - 1;
                }
            }
            Byte('"');
        }

        private static int WriteChar(string s, int from, int to, byte[] buffer, int at)
        {
            int c = s[from];
            if (c < 0x800)
            {
                buffer[at] = (byte)(0xC0 | (c >> 6));
                buffer[at + 1] = (byte)(0x80 | (c & 0x3F));
                return 2;
            }
            if (to - from == 2 && s[from + 1] >= 0xDC00 && s[from + 1] <= 0xDFFF)
            {
                int cp = 0x10000 + ((c - 0xD800) << 10) + (s[from + 1] - 0xDC00);
                buffer[at] = (byte)(0xF0 | (cp >> 18));
                buffer[at + 1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                buffer[at + 2] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                buffer[at + 3] = (byte)(0x80 | (cp & 0x3F));
                return 4;
            }
            if (c >= 0xD800 && c <= 0xDFFF)
            {
                c = 0xFFFD;
            }
            buffer[at] = (byte)(0xE0 | (c >> 12));
            buffer[at + 1] = (byte)(0x80 | ((c >> 6) & 0x3F));
            buffer[at + 2] = (byte)(0x80 | (c & 0x3F));
            return 3;
        }

        private void NumberField(int label, double value)
        {
            Key(label);
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                _failed = true; // not representable in SenML JSON (§5); refused in CBOR too for symmetry
                return;
            }
            if (_cbor)
            {
                if (value == (double)(long)value && value > -9.2e18 && value < 9.2e18)
                {
                    long v = (long)value;
                    if (v >= 0)
                    {
                        Head(0, (ulong)v);
                    }
                    else
                    {
                        Head(1, (ulong)(-1 - v));
                    }
                    return;
                }
                if (Room(9))
                {
                    long bits = IeeeDouble.ToBits(value);
                    _buffer[_at++] = 0xFB;
                    for (int i = 7; i >= 0; i--)
                    {
                        _buffer[_at++] = (byte)(bits >> (8 * i));
                    }
                }
                return;
            }
            if (Room(32))
            {
                _at += DecimalText.WriteDouble(value, _buffer, _at, 15);
            }
        }

        /// <summary>CBOR head (RFC 8949 §3): major type and argument in the shortest form.</summary>
        private void Head(int major, ulong argument)
        {
            int m = major << 5;
            if (argument < 24)
            {
                Byte(m | (int)argument);
            }
            else if (argument < 0x100)
            {
                Byte(m | 24);
                Byte((int)argument);
            }
            else if (argument < 0x10000)
            {
                Byte(m | 25);
                Byte((int)(argument >> 8));
                Byte((int)argument);
            }
            else if (argument < 0x100000000UL)
            {
                Byte(m | 26);
                for (int i = 3; i >= 0; i--)
                {
                    Byte((int)(argument >> (8 * i)) & 0xFF);
                }
            }
            else
            {
                Byte(m | 27);
                for (int i = 7; i >= 0; i--)
                {
                    Byte((int)(argument >> (8 * i)) & 0xFF);
                }
            }
        }

        private bool Room(int n)
        {
            if (_failed || n > _end - _at)
            {
                _failed = true;
                return false;
            }
            return true;
        }

        private void Byte(int b)
        {
            if (Room(1))
            {
                _buffer[_at++] = (byte)b;
            }
        }

        private void Ascii(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                Byte(s[i]);
            }
        }
    }
}
