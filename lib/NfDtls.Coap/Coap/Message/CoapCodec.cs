using NfDtls.Wire;

namespace NfDtls.Coap.Message
{
    /// <summary>
    /// The RFC 7252 §3 wire format: 4-byte header, token, options as delta/length nibbles with the 13/14 extended
    /// forms (§3.1), the 0xFF payload marker. Decoding never throws: it returns a verdict saying whether the header
    /// could be read (so a Confirmable message can be rejected with a Reset, §4.2) or must be ignored silently.
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
                if (!message.AddOption(number, buffer, valueAt, length))
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
            int tkl = message.TokenLength;
            w.WriteUInt8(0x40 | ((message.Type & 3) << 4) | tkl);
            w.WriteUInt8(message.Code);
            w.WriteUInt16(message.MessageId);
            w.WriteBytes(message.Token, 0, tkl);
            int previous = 0;
            byte[] data = message.OptionData;
            for (int i = 0; i < message.OptionCount; i++)
            {
                int number = message.OptionNumber(i);
                int length = message.OptionLength(i);
                int delta = number - previous;
                previous = number;
                int head = w.Reserve(1);
                int dn = WriteExtended(ref w, delta);
                int ln = WriteExtended(ref w, length);
                if (head >= 0)
                {
                    buffer[head] = (byte)((dn << 4) | ln);
                }
                w.WriteBytes(data, message.OptionOffset(i), length);
            }
            if (message.PayloadLength > 0)
            {
                w.WriteUInt8(0xFF);
                w.WriteBytes(message.PayloadBuffer, message.PayloadOffset, message.PayloadLength);
            }
            return w.Failed ? -1 : w.Length;
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
