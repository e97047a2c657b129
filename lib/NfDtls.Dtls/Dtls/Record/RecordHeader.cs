using NfDtls.Wire;

namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// The 13-byte DTLS record header (RFC 6347 §4.1): type, version, epoch, 48-bit sequence number, length.
    /// Several records may share a datagram, so parsing advances a reader past one record at a time.
    /// </summary>
    public struct RecordHeader
    {
        public const int Length = 13;

        /// <summary>Largest record fragment a peer may send (RFC 6347 §4.1 / RFC 5246 §6.2.3: 2^14 + 2048).</summary>
        public const int MaxFragmentLength = 16384 + 2048;

        public int Type;
        public int Version;
        public int Epoch;
        public long Sequence;
        /// <summary>Where the record (its type byte) starts in the datagram buffer.</summary>
        public int RecordOffset;
        /// <summary>tls12_cid records (RFC 9146 §4): where the CID starts and its length; 0 length otherwise.</summary>
        public int CidOffset;
        public int CidLength;
        /// <summary>Where the record's fragment starts in the datagram buffer.</summary>
        public int FragmentOffset;
        public int FragmentLength;

        /// <summary>
        /// Reads one record; false when the rest of the datagram is not a whole record (then the rest is dropped:
        /// RFC 6347 §4.1.2.7, invalid records are discarded silently).
        /// </summary>
        public static bool TryRead(ref WireReader reader, out RecordHeader header)
        {
            return TryRead(ref reader, out header, 0);
        }

        /// <summary>
        /// As <see cref="TryRead(ref WireReader, out RecordHeader)"/>; a tls12_cid record (RFC 9146 §4) carries a CID of
        /// <paramref name="cidLength"/> bytes (the length we issued: the format has no length field) between sequence
        /// number and length. With <paramref name="cidLength"/> 0 such a record cannot be parsed and ends the datagram.
        /// </summary>
        public static bool TryRead(ref WireReader reader, out RecordHeader header, int cidLength)
        {
            header = new RecordHeader();
            if (reader.Remaining < Length)
            {
                reader.Fail();
                return false;
            }
            header.RecordOffset = reader.Position;
            header.Type = reader.ReadUInt8();
            header.Version = reader.ReadUInt16();
            header.Epoch = reader.ReadUInt16();
            header.Sequence = reader.ReadUInt48();
            if (header.Type == ContentType.Tls12Cid)
            {
                if (cidLength <= 0)
                {
                    reader.Fail();
                    return false;
                }
                header.CidLength = cidLength;
                header.CidOffset = reader.Take(cidLength);
            }
            header.FragmentLength = reader.ReadUInt16();
            header.FragmentOffset = reader.Take(header.FragmentLength);
            if (reader.Failed || !ProtocolVersion.IsDtls(header.Version) || header.FragmentLength > MaxFragmentLength)
            {
                reader.Fail();
                return false;
            }
            return true;
        }

        /// <summary>Writes a header at <paramref name="at"/>; the length is patched later with <see cref="WriteLength"/>.</summary>
        public static void Write(byte[] buffer, int at, int type, int version, int epoch, long sequence, int length)
        {
            buffer[at] = (byte)type;
            WireWriter.WriteUInt16At(buffer, at + 1, version);
            WireWriter.WriteUInt16At(buffer, at + 3, epoch);
            WireWriter.WriteUInt48At(buffer, at + 5, sequence);
            WireWriter.WriteUInt16At(buffer, at + 11, length);
        }

        /// <summary>Writes a tls12_cid header (RFC 9146 §4): CID after the sequence number; returns the header length.</summary>
        public static int WriteWithCid(byte[] buffer, int at, int version, int epoch, long sequence, byte[] cid, int cidLength, int length)
        {
            return WriteWithCid(buffer, at, version, epoch, sequence, cid, 0, cidLength, length);
        }

        /// <summary>As above, with the CID at <paramref name="cidOffset"/> in <paramref name="cid"/>.</summary>
        public static int WriteWithCid(byte[] buffer, int at, int version, int epoch, long sequence, byte[] cid, int cidOffset, int cidLength, int length)
        {
            buffer[at] = (byte)ContentType.Tls12Cid;
            WireWriter.WriteUInt16At(buffer, at + 1, version);
            WireWriter.WriteUInt16At(buffer, at + 3, epoch);
            WireWriter.WriteUInt48At(buffer, at + 5, sequence);
            System.Array.Copy(cid, cidOffset, buffer, at + 11, cidLength);
            WireWriter.WriteUInt16At(buffer, at + 11 + cidLength, length);
            return Length + cidLength;
        }

        public static void WriteLength(byte[] buffer, int recordOffset, int length)
        {
            WireWriter.WriteUInt16At(buffer, recordOffset + 11, length);
        }
    }
}
