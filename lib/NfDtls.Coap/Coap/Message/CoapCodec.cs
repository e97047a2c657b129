using NfDtls.Wire;

namespace NfDtls.Coap.Message
{
    /// <summary>
    /// The RFC 7252 §3 wire format: 4-byte header, token, options as delta/length nibbles with the 13/14 extended
    /// forms (§3.1), the 0xFF payload marker. Decoding never throws: it returns a verdict saying whether the header
    /// could be read (so a Confirmable message can be rejected with a Reset, §4.2) or must be ignored silently.
    /// Decoding reads in place (option values and payload stay in the caller's buffer); writing goes straight into
    /// the space a connector lends (<see cref="WriteHeader"/>, <see cref="WriteOption"/> in ascending option order,
    /// <see cref="WritePayload"/>), so no message is built twice.
    /// </summary>
    public static class CoapCodec
    {
        public const int HeaderLength = 4;

        /// <summary>Decoded; the message is valid.</summary>
        public const int Ok = 0;
        /// <summary>Not even a header (or version ≠ 1, §3): drop silently.</summary>
        public const int Ignore = 1;
        /// <summary>Header read, the rest malformed (§3, §4.2): reject (Reset for CON) or drop.</summary>
        public const int FormatError = 2;

        public static int Decode(byte[] buffer, int offset, int count, CoapMessage message)
        {
            message.Reset();
            WireReader r = new WireReader(buffer, offset, count);
            int b0 = r.ReadUInt8();
            int code = r.ReadUInt8();
            int mid = r.ReadUInt16();
            if (r.Failed)
            {
                return Ignore;
            }
            if ((b0 >> 6) != 1)
            {
                return Ignore; // §3: unknown version numbers are silently ignored
            }
            message.Type = (b0 >> 4) & 0x3;
            message.Code = code;
            message.MessageId = mid;
            int tkl = b0 & 0xF;
            if (tkl > 8)
            {
                return FormatError; // §3: lengths 9-15 are reserved, a message format error
            }
            if (code == CoapCode.Empty)
            {
                // §4.1: an empty message has nothing after the header.
                return tkl == 0 && count == HeaderLength ? Ok : FormatError;
            }
            int cls = CoapCode.Class(code);
            if (cls == 1 || cls == 6 || cls == 7)
            {
                return FormatError; // §12.1: reserved classes
            }
            int tokenAt = r.ReadBytes(tkl);
            if (r.Failed)
            {
                return FormatError;
            }
            message.SetToken(buffer, tokenAt, tkl);
            message.BeginDecode(buffer);
            int number = 0;
            while (!r.IsEmpty)
            {
                int head = r.ReadUInt8();
                if (head == 0xFF)
                {
                    if (r.IsEmpty)
                    {
                        return FormatError; // §3: a marker followed by a zero-length payload
                    }
                    int at = r.Position;
                    message.SetPayload(buffer, at, r.Remaining);
                    return Ok;
                }
                int delta = ReadExtended(ref r, head >> 4);
                int length = ReadExtended(ref r, head & 0xF);
                if (delta < 0 || length < 0 || r.Failed)
                {
                    return FormatError;
                }
                number += delta;
                if (number > 0xFFFF)
                {
                    return FormatError;
                }
                int valueAt = r.ReadBytes(length);
                if (r.Failed)
                {
                    return FormatError;
                }
                if (!message.AddDecodedOption(number, valueAt, length))
                {
                    return FormatError; // more options than our tables hold: treated as unprocessable
                }
            }
            return Ok;
        }

        /// <summary>§3.1: nibble 13 → one extra byte + 13, 14 → two extra bytes + 269, 15 → reserved (-1).</summary>
        private static int ReadExtended(ref WireReader r, int nibble)
        {
            if (nibble < 13)
            {
                return nibble;
            }
            if (nibble == 13)
            {
                return r.ReadUInt8() + 13;
            }
            if (nibble == 14)
            {
                return r.ReadUInt16() + 269;
            }
            return -1;
        }

        /// <summary>Encodes <paramref name="message"/>; returns its length or -1 if it does not fit <paramref name="capacity"/>.</summary>
        public static int Encode(CoapMessage message, byte[] buffer, int offset, int capacity)
        {
            WireWriter w = new WireWriter(buffer, offset, capacity);
            WriteHeader(ref w, message.Type, message.Code, message.MessageId, message.Token, message.TokenLength);
            int previous = 0;
            WriteOptions(ref w, ref previous, message, -1, -1, -1, -1);
            WritePayload(ref w, message.PayloadBuffer, message.PayloadOffset, message.PayloadLength);
            return w.Failed ? -1 : w.Length;
        }

        /// <summary>The 4-byte header and the token (§3).</summary>
        public static void WriteHeader(ref WireWriter w, int type, int code, int messageId, byte[] token, int tokenLength)
        {
            WriteHeader(ref w, type, code, messageId, token, 0, tokenLength);
        }

        /// <summary>The 4-byte header and the token found at <paramref name="tokenOffset"/> (§3).</summary>
        public static void WriteHeader(ref WireWriter w, int type, int code, int messageId, byte[] token, int tokenOffset, int tokenLength)
        {
            w.WriteUInt8(0x40 | ((type & 3) << 4) | tokenLength);
            w.WriteUInt8(code);
            w.WriteUInt16(messageId);
            w.WriteBytes(token, tokenOffset, tokenLength);
        }

        /// <summary>
        /// Writes <paramref name="message"/>'s options except <paramref name="skip"/>, merging in Block2, Block1 and Size1
        /// values (≥ 0; -1 for none, and then the message's own are written) at their places in the ascending order (§3.1).
        /// </summary>
        public static void WriteOptions(ref WireWriter w, ref int previous, CoapMessage message, int skip, long block2, long block1, long size1)
        {
            int count = message.OptionCount;
            for (int i = 0; i < count; i++)
            {
                int number = message.OptionNumber(i);
                if (number > CoapOption.Block2 && block2 >= 0)
                {
                    WriteOptionUInt(ref w, ref previous, CoapOption.Block2, (uint)block2);
                    block2 = -1;
                }
                if (number > CoapOption.Block1 && block1 >= 0)
                {
                    WriteOptionUInt(ref w, ref previous, CoapOption.Block1, (uint)block1);
                    block1 = -1;
                }
                if (number > CoapOption.Size1 && size1 >= 0)
                {
                    WriteOptionUInt(ref w, ref previous, CoapOption.Size1, (uint)size1);
                    size1 = -1;
                }
                if (number == skip || (number == CoapOption.Block2 && block2 >= 0) || (number == CoapOption.Block1 && block1 >= 0)
                    || (number == CoapOption.Size1 && size1 >= 0))
                {
                    continue;
                }
                WriteOption(ref w, ref previous, number, message.OptionBuffer(i), message.OptionOffset(i), message.OptionLength(i));
            }
            if (block2 >= 0)
            {
                WriteOptionUInt(ref w, ref previous, CoapOption.Block2, (uint)block2);
            }
            if (block1 >= 0)
            {
                WriteOptionUInt(ref w, ref previous, CoapOption.Block1, (uint)block1);
            }
            if (size1 >= 0)
            {
                WriteOptionUInt(ref w, ref previous, CoapOption.Size1, (uint)size1);
            }
        }

        /// <summary>One option after <paramref name="previous"/> (options must come in ascending order: §3.1 deltas).</summary>
        public static void WriteOption(ref WireWriter w, ref int previous, int number, byte[] value, int offset, int length)
        {
            int delta = number - previous;
            if (delta < 0)
            {
                w.Fail();
                return;
            }
            previous = number;
            int head = w.Reserve(1);
            int dn = WriteExtended(ref w, delta);
            int ln = WriteExtended(ref w, length);
            if (head >= 0)
            {
                w.Buffer[head] = (byte)((dn << 4) | ln);
            }
            w.WriteBytes(value, offset, length);
        }

        /// <summary>A uint option in its shortest form (§3.2).</summary>
        public static void WriteOptionUInt(ref WireWriter w, ref int previous, int number, uint value)
        {
            int n = CoapMessage.UIntLength(value);
            int delta = number - previous;
            if (delta < 0)
            {
                w.Fail();
                return;
            }
            previous = number;
            int head = w.Reserve(1);
            int dn = WriteExtended(ref w, delta);
            if (head >= 0)
            {
                w.Buffer[head] = (byte)((dn << 4) | n);
            }
            for (int i = n - 1; i >= 0; i--)
            {
                w.WriteUInt8((int)(value >> (8 * i)) & 0xFF);
            }
        }

        /// <summary>The payload marker and the payload, when there is one (§3: no marker for an empty payload).</summary>
        public static void WritePayload(ref WireWriter w, byte[] payload, int offset, int length)
        {
            if (length > 0 && payload != null)
            {
                w.WriteUInt8(0xFF);
                w.WriteBytes(payload, offset, length);
            }
        }

        private static int WriteExtended(ref WireWriter w, int value)
        {
            if (value < 13)
            {
                return value;
            }
            if (value < 269)
            {
                w.WriteUInt8(value - 13);
                return 13;
            }
            w.WriteUInt16(value - 269);
            return 14;
        }

        /// <summary>An empty ACK or RST (§4.1): 4 bytes.</summary>
        public static int EncodeEmpty(int type, int messageId, byte[] buffer, int offset)
        {
            buffer[offset] = (byte)(0x40 | (type << 4));
            buffer[offset + 1] = 0;
            buffer[offset + 2] = (byte)(messageId >> 8);
            buffer[offset + 3] = (byte)messageId;
            return HeaderLength;
        }

        /// <summary>Reads type and message ID from a header without a full decode; false if shorter than a header.</summary>
        public static bool PeekHeader(byte[] buffer, int offset, int count, out int type, out int messageId)
        {
            if (buffer == null || offset < 0 || count < HeaderLength || offset + count > buffer.Length)
            {
                type = 0;
                messageId = 0;
                return false;
            }
            type = (buffer[offset] >> 4) & 3;
            messageId = (buffer[offset + 2] << 8) | buffer[offset + 3];
            return true;
        }
    }
}
