using NfDtls.Text;

namespace NfDtls.Senml
{
    /// <summary>
    /// Reads a SenML pack (RFC 8428) in JSON (§5) or CBOR (§6) into resolved records (§4.6): base name, time,
    /// unit, value and sum folded in. For the gateway: names and strings become .NET strings (allocation), but
    /// nothing else is needed beyond the record table sized at construction. Never throws on bad input: a pack
    /// that is malformed, has too many records or a must-understand label it does not know (§4.4, names ending
    /// in '_') yields -1.
    /// </summary>
    public sealed class SenmlReader
    {
        private const int MaxDepth = 8;
        private readonly SenmlRecord[] _records;
        private int _count;
        // Base fields (§4.1) carry over to the following records.
        private string _baseName;
        private double _baseTime;
        private string _baseUnit;
        private double _baseValue;
        private bool _hasBaseValue;
        private double _baseSum;
        // Fields of the record being read.
        private string _name;
        private string _unit;
        private bool _hasValue;
        private double _value;
        private bool _hasSum;
        private double _sum;
        private double _time;
        private double _updateTime;
        private string _stringValue;
        private bool _hasBool;
        private bool _bool;
        private byte[] _data;
        // Input.
        private byte[] _in;
        private int _at;
        private int _end;
        private bool _failed;

        public SenmlReader(int capacity)
        {
            _records = new SenmlRecord[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _records[i] = new SenmlRecord();
            }
        }

        public int Count { get { return _count; } }

        public SenmlRecord Record(int index)
        {
            return _records[index];
        }

        /// <summary>Reads a pack in <paramref name="format"/> (<see cref="SenmlFormat"/>); returns the record count or -1.</summary>
        public int Read(int format, byte[] buffer, int offset, int count)
        {
            _count = 0;
            _baseName = null;
            _baseTime = 0;
            _baseUnit = null;
            _baseValue = 0;
            _hasBaseValue = false;
            _baseSum = 0;
            _in = buffer;
            _at = offset;
            _end = offset + count;
            _failed = buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length;
            if (_failed)
            {
                return -1;
            }
            bool ok = format == SenmlFormat.Cbor ? ReadCborPack() : ReadJsonPack();
            if (!ok || _failed)
            {
                _count = 0;
                return -1;
            }
            return _count;
        }

        private void StartRecord()
        {
            _name = null;
            _unit = null;
            _hasValue = false;
            _value = 0;
            _hasSum = false;
            _sum = 0;
            _time = 0;
            _updateTime = 0;
            _stringValue = null;
            _hasBool = false;
            _bool = false;
            _data = null;
        }

        /// <summary>§4.6: resolve against the base fields and store.</summary>
        private bool FinishRecord()
        {
            if (_count >= _records.Length)
            {
                return false;
            }
            SenmlRecord r = _records[_count];
            r.Clear();
            r.Name = _baseName == null ? (_name == null ? "" : _name) : (_name == null ? _baseName : string.Concat(_baseName, _name));
            r.BaseName = _baseName;
            r.Unit = _unit != null ? _unit : _baseUnit;
            if (_hasValue)
            {
                r.HasValue = true;
                r.Value = _value + _baseValue;
            }
            else if (_hasBaseValue && _stringValue == null && !_hasBool && _data == null)
            {
                r.HasValue = true;
                r.Value = _baseValue;
            }
            r.StringValue = _stringValue;
            r.HasBoolValue = _hasBool;
            r.BoolValue = _bool;
            r.DataValue = _data;
            r.HasSum = _hasSum;
            r.Sum = _hasSum ? _sum + _baseSum : 0;
            r.Time = _baseTime + _time;
            r.UpdateTime = _updateTime;
            if (r.Name.Length == 0)
            {
                return false; // §4.5.1: a resolved record needs a name
            }
            _count++;
            return true;
        }

        private void SetNumber(int label, double v)
        {
            switch (label)
            {
                case SenmlLabel.BaseTime: _baseTime = v; break;
                case SenmlLabel.BaseValue: _baseValue = v; _hasBaseValue = true; break;
                case SenmlLabel.BaseSum: _baseSum = v; break;
                case SenmlLabel.BaseVersion: break;
                case SenmlLabel.Value: _value = v; _hasValue = true; break;
                case SenmlLabel.Sum: _sum = v; _hasSum = true; break;
                case SenmlLabel.Time: _time = v; break;
                case SenmlLabel.UpdateTime: _updateTime = v; break;
                default: _failed = true; break; // a number where a string or bool belongs
            }
        }

        private void SetString(int label, string s)
        {
            switch (label)
            {
                case SenmlLabel.BaseName: _baseName = s; break;
                case SenmlLabel.BaseUnit: _baseUnit = s; break;
                case SenmlLabel.Name: _name = s; break;
                case SenmlLabel.Unit: _unit = s; break;
                case SenmlLabel.StringValue: _stringValue = s; break;
                default: _failed = true; break;
            }
        }

        // ---------------------------------------------------------------- JSON (RFC 8428 §5, RFC 8259)

        private bool ReadJsonPack()
        {
            SkipSpace();
            if (!Expect('['))
            {
                return false;
            }
            SkipSpace();
            if (Peek() == ']')
            {
                _at++;
                return TrailingSpaceOnly();
            }
            while (!_failed)
            {
                SkipSpace();
                if (!ReadJsonRecord())
                {
                    return false;
                }
                SkipSpace();
                int c = Next();
                if (c == ']')
                {
                    return TrailingSpaceOnly();
                }
                if (c != ',')
                {
                    return false;
                }
            }
            return false;
        }

        private bool TrailingSpaceOnly()
        {
            SkipSpace();
            return _at == _end;
        }

        private bool ReadJsonRecord()
        {
            if (!Expect('{'))
            {
                return false;
            }
            StartRecord();
            SkipSpace();
            if (Peek() == '}')
            {
                _at++;
                return FinishRecord();
            }
            while (!_failed)
            {
                SkipSpace();
                if (!Expect('"'))
                {
                    return false;
                }
                int keyAt = _at;
                while (_at < _end && _in[_at] != '"' && _in[_at] != '\\')
                {
                    _at++;
                }
                if (!Expect('"'))
                {
                    return false; // keys with escapes are not SenML labels
                }
                int keyLength = _at - 1 - keyAt;
                int label = SenmlLabel.FromJson(_in, keyAt, keyLength);
                if (label == SenmlLabel.Unknown && keyLength > 0 && _in[keyAt + keyLength - 1] == '_')
                {
                    return false; // §4.4: must-understand
                }
                SkipSpace();
                if (!Expect(':'))
                {
                    return false;
                }
                SkipSpace();
                if (!ReadJsonValue(label, 0))
                {
                    return false;
                }
                SkipSpace();
                int c = Next();
                if (c == '}')
                {
                    return !_failed && FinishRecord();
                }
                if (c != ',')
                {
                    return false;
                }
            }
            return false;
        }

        private bool ReadJsonValue(int label, int depth)
        {
            int c = Peek();
            if (c == '"')
            {
                string s = ReadJsonString();
                if (s == null)
                {
                    return false;
                }
                if (label == SenmlLabel.DataValue)
                {
                    _data = Base64Url(s);
                    return _data != null;
                }
                if (label != SenmlLabel.Unknown)
                {
                    SetString(label, s);
                }
                return !_failed;
            }
            if (c == 't' || c == 'f')
            {
                bool v = c == 't';
                if (!Literal(v ? "true" : "false"))
                {
                    return false;
                }
                if (label == SenmlLabel.BoolValue)
                {
                    _hasBool = true;
                    _bool = v;
                }
                else if (label != SenmlLabel.Unknown)
                {
                    return false;
                }
                return true;
            }
            if (c == 'n')
            {
                return Literal("null") && label == SenmlLabel.Unknown;
            }
            if (c == '[' || c == '{')
            {
                return label == SenmlLabel.Unknown && SkipJsonContainer(depth + 1);
            }
            int start = _at;
            while (_at < _end && (_in[_at] == '-' || _in[_at] == '+' || _in[_at] == '.' || _in[_at] == 'e' || _in[_at] == 'E' || (_in[_at] >= '0' && _in[_at] <= '9')))
            {
                _at++;
            }
            double d;
            if (!DecimalText.TryParseDouble(_in, start, _at - start, out d))
            {
                return false;
            }
            if (label != SenmlLabel.Unknown)
            {
                SetNumber(label, d);
            }
            return !_failed;
        }

        private bool SkipJsonContainer(int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }
            int open = Next();
            int close = open == '[' ? ']' : '}';
            SkipSpace();
            if (Peek() == close)
            {
                _at++;
                return true;
            }
            while (_at < _end)
            {
                SkipSpace();
                if (open == '{')
                {
                    if (Peek() != '"' || ReadJsonString() == null)
                    {
                        return false;
                    }
                    SkipSpace();
                    if (!Expect(':'))
                    {
                        return false;
                    }
                    SkipSpace();
                }
                if (!ReadJsonValue(SenmlLabel.Unknown, depth))
                {
                    return false;
                }
                SkipSpace();
                int c = Next();
                if (c == close)
                {
                    return true;
                }
                if (c != ',')
                {
                    return false;
                }
            }
            return false;
        }

        /// <summary>A JSON string with its escapes (RFC 8259 §7) decoded; null when malformed.</summary>
        private string ReadJsonString()
        {
            if (!Expect('"'))
            {
                return null;
            }
            int start = _at;
            bool escaped = false;
            while (_at < _end && _in[_at] != '"')
            {
                if (_in[_at] < 0x20)
                {
                    return null;
                }
                if (_in[_at] == '\\')
                {
                    escaped = true;
                    _at++;
                }
                _at++;
            }
            if (_at >= _end)
            {
                return null;
            }
            int stop = _at;
            _at++;
            if (!escaped)
            {
                return Utf8Bytes.ToText(_in, start, stop - start);
            }
            // Unescape into bytes (UTF-8), then decode once.
            byte[] raw = new byte[(stop - start) * 2];
            int n = 0;
            for (int i = start; i < stop; i++)
            {
                int b = _in[i];
                if (b != '\\')
                {
                    raw[n++] = (byte)b;
                    continue;
                }
                i++;
                if (i >= stop)
                {
                    return null;
                }
                switch (_in[i])
                {
                    case (byte)'"': raw[n++] = (byte)'"'; break;
                    case (byte)'\\': raw[n++] = (byte)'\\'; break;
                    case (byte)'/': raw[n++] = (byte)'/'; break;
                    case (byte)'b': raw[n++] = 8; break;
                    case (byte)'f': raw[n++] = 12; break;
                    case (byte)'n': raw[n++] = 10; break;
                    case (byte)'r': raw[n++] = 13; break;
                    case (byte)'t': raw[n++] = 9; break;
                    case (byte)'u':
                        int cp = Hex4(i + 1, stop);
                        if (cp < 0)
                        {
                            return null;
                        }
                        i += 4;
                        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < stop && _in[i + 1] == '\\' && _in[i + 2] == 'u')
                        {
                            int low = Hex4(i + 3, stop);
                            if (low >= 0xDC00 && low <= 0xDFFF)
                            {
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                                i += 6;
                            }
                        }
                        n += PutCodePoint(cp, raw, n);
                        break;
                    default:
                        return null;
                }
            }
            return Utf8Bytes.ToText(raw, 0, n);
        }

        private int Hex4(int at, int stop)
        {
            if (at + 4 > stop)
            {
                return -1;
            }
            int v = 0;
            for (int k = 0; k < 4; k++)
            {
                int c = _in[at + k];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0)
                {
                    return -1;
                }
                v = (v << 4) | d;
            }
            return v;
        }

        private static int PutCodePoint(int cp, byte[] b, int at)
        {
            if (cp >= 0xD800 && cp <= 0xDFFF)
            {
                cp = 0xFFFD;
            }
            if (cp < 0x80)
            {
                b[at] = (byte)cp;
                return 1;
            }
            if (cp < 0x800)
            {
                b[at] = (byte)(0xC0 | (cp >> 6));
                b[at + 1] = (byte)(0x80 | (cp & 0x3F));
                return 2;
            }
            if (cp < 0x10000)
            {
                b[at] = (byte)(0xE0 | (cp >> 12));
                b[at + 1] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                b[at + 2] = (byte)(0x80 | (cp & 0x3F));
                return 3;
            }
            b[at] = (byte)(0xF0 | (cp >> 18));
            b[at + 1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
            b[at + 2] = (byte)(0x80 | ((cp >> 6) & 0x3F));
            b[at + 3] = (byte)(0x80 | (cp & 0x3F));
            return 4;
        }

        private static byte[] Base64Url(string s)
        {
            int n = s.Length;
            if (n % 4 == 1)
            {
                return null;
            }
            byte[] result = new byte[n * 3 / 4];
            int bits = 0;
            int acc = 0;
            int o = 0;
            for (int i = 0; i < n; i++)
            {
                int c = s[i];
                int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52 : c == '-' ? 62 : c == '_' ? 63 : -1;
                if (v < 0)
                {
                    return null;
                }
                acc = (acc << 6) | v;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    result[o++] = (byte)(acc >> bits);
                }
            }
            if (o == result.Length)
            {
                return result;
            }
            byte[] exact = new byte[o];
            System.Array.Copy(result, 0, exact, 0, o);
            return exact;
        }

        private bool Literal(string text)
        {
            if (_end - _at < text.Length)
            {
                return false;
            }
            for (int i = 0; i < text.Length; i++)
            {
                if (_in[_at + i] != text[i])
                {
                    return false;
                }
            }
            _at += text.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_at < _end && (_in[_at] == ' ' || _in[_at] == '\t' || _in[_at] == '\n' || _in[_at] == '\r'))
            {
                _at++;
            }
        }

        private int Peek()
        {
            return _at < _end ? _in[_at] : -1;
        }

        private int Next()
        {
            return _at < _end ? _in[_at++] : -1;
        }

        private bool Expect(int c)
        {
            if (_at < _end && _in[_at] == c)
            {
                _at++;
                return true;
            }
            return false;
        }

        // ---------------------------------------------------------------- CBOR (RFC 8428 §6, RFC 8949)

        private const ulong Indefinite = ulong.MaxValue;

        /// <summary>Reads a head: major type (or -1) and its argument (Indefinite for length 31).</summary>
        private int Head(out ulong argument)
        {
            argument = 0;
            if (_at >= _end)
            {
                return -1;
            }
            int b = _in[_at++];
            int major = b >> 5;
            int info = b & 31;
            if (info < 24)
            {
                argument = (ulong)info;
                return major;
            }
            int n = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : info == 31 ? 0 : -1;
            if (n < 0 || _end - _at < n)
            {
                return -1;
            }
            if (info == 31)
            {
                argument = Indefinite;
                return major;
            }
            for (int i = 0; i < n; i++)
            {
                argument = (argument << 8) | _in[_at++];
            }
            return major;
        }

        private bool ReadCborPack()
        {
            ulong length;
            if (Head(out length) != 4)
            {
                return false;
            }
            for (ulong i = 0; length == Indefinite || i < length; i++)
            {
                if (length == Indefinite && _at < _end && _in[_at] == 0xFF)
                {
                    _at++;
                    break;
                }
                if (!ReadCborRecord())
                {
                    return false;
                }
            }
            return _at == _end;
        }

        private bool ReadCborRecord()
        {
            ulong fields;
            if (Head(out fields) != 5)
            {
                return false;
            }
            StartRecord();
            for (ulong i = 0; fields == Indefinite || i < fields; i++)
            {
                if (fields == Indefinite && _at < _end && _in[_at] == 0xFF)
                {
                    _at++;
                    break;
                }
                ulong key;
                int major = Head(out key);
                int label;
                if (major == 0 && key <= 8)
                {
                    label = (int)key;
                }
                else if (major == 1 && key < 6)
                {
                    label = -1 - (int)key;
                }
                else if (major == 0 || major == 1)
                {
                    label = SenmlLabel.Unknown;
                }
                else if (major == 3 && key != Indefinite && key <= (ulong)(_end - _at))
                {
                    // Text keys are not SenML CBOR labels; one ending in '_' is must-understand (§4.4).
                    bool mustUnderstand = key > 0 && _in[_at + (int)key - 1] == '_';
                    _at += (int)key;
                    if (mustUnderstand)
                    {
                        return false;
                    }
                    label = SenmlLabel.Unknown;
                }
                else
                {
                    return false;
                }
                if (!ReadCborValue(label, 0))
                {
                    return false;
                }
            }
            return !_failed && FinishRecord();
        }

        private bool ReadCborValue(int label, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }
            ulong arg;
            int start = _at;
            int major = Head(out arg);
            switch (major)
            {
                case 0:
                case 1:
                    if (label != SenmlLabel.Unknown)
                    {
                        // -1 - arg rounded once (RFC 8949 §3.1): -1.0 - (double)arg rounds twice and can miss the nearest
                        // double, so a value read, written and read again changed (senml-cbor fuzz finding).
                        double v = major == 0 ? (double)arg
                            : arg == ulong.MaxValue ? -18446744073709551616.0 : -(double)(arg + 1);
                        SetNumber(label, v);
                    }
                    return !_failed;
                case 2:
                case 3:
                    if (arg == Indefinite || arg > (ulong)(_end - _at))
                    {
                        return false;
                    }
                    int n = (int)arg;
                    if (label != SenmlLabel.Unknown)
                    {
                        if (major == 2)
                        {
                            if (label != SenmlLabel.DataValue)
                            {
                                return false;
                            }
                            _data = new byte[n];
                            System.Array.Copy(_in, _at, _data, 0, n);
                        }
                        else
                        {
                            SetString(label, Utf8Bytes.ToText(_in, _at, n));
                        }
                    }
                    _at += n;
                    return !_failed;
                case 4:
                case 5:
                    if (label != SenmlLabel.Unknown)
                    {
                        return false;
                    }
                    for (ulong i = 0; arg == Indefinite || i < arg; i++)
                    {
                        if (arg == Indefinite && _at < _end && _in[_at] == 0xFF)
                        {
                            _at++;
                            return true;
                        }
                        if (_at >= _end || !ReadCborValue(SenmlLabel.Unknown, depth + 1) || (major == 5 && !ReadCborValue(SenmlLabel.Unknown, depth + 1)))
                        {
                            return false;
                        }
                    }
                    return true;
                case 6:
                    return ReadCborValue(label, depth + 1); // a tag: read what it tags
                case 7:
                    int info = _in[start] & 31;
                    if (info == 20 || info == 21)
                    {
                        if (label == SenmlLabel.BoolValue)
                        {
                            _hasBool = true;
                            _bool = info == 21;
                            return true;
                        }
                        return label == SenmlLabel.Unknown;
                    }
                    double d;
                    if (info == 25)
                    {
                        d = IeeeDouble.FromHalfBits((int)arg);
                    }
                    else if (info == 26)
                    {
                        d = IeeeDouble.FromSingleBits((uint)arg);
                    }
                    else if (info == 27)
                    {
                        d = IeeeDouble.FromBits((long)arg);
                    }
                    else
                    {
                        return label == SenmlLabel.Unknown && info != 31;
                    }
                    if (label != SenmlLabel.Unknown)
                    {
                        if (double.IsNaN(d) || double.IsInfinity(d))
                        {
                            return false;
                        }
                        SetNumber(label, d);
                    }
                    return !_failed;
                default:
                    return false;
            }
        }
    }
}
