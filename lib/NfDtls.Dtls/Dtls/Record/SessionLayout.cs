namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// Where an established session keeps what its records need, in one <c>byte[]</c> (on nanoCLR every field costs a
    /// 12-byte block, an array's bytes are packed): the epoch-1 keys and implicit IVs (RFC 5246 §6.3, RFC 6655 §3), the
    /// epoch-0 record number the final flight continues from, what regenerating our final flight takes (RFC 6347
    /// §4.2.4: our Finished's verify_data and message_seq), the last time a flight was resent (rate limit), the PSK
    /// identity, and with Connection IDs both CIDs (RFC 9146). The hot per-record numbers (epoch-1 write sequence,
    /// replay window) are fields of <see cref="DtlsSession"/>.
    /// </summary>
    internal static class SessionLayout
    {
        public const int ReadKey = 0;
        public const int ReadIv = 16;
        public const int WriteKey = 20;
        public const int WriteIv = 36;
        /// <summary>Next epoch-0 record sequence number (48 bits).</summary>
        public const int WriteSequence0 = 40;
        /// <summary>message_seq of our Finished (2 bytes) and of the peer's (2 bytes).</summary>
        public const int OwnFinishedSequence = 46;
        public const int PeerFinishedSequence = 48;
        /// <summary>verify_data of our Finished (12 bytes), to send the final flight again.</summary>
        public const int OwnVerifyData = 50;
        /// <summary>When we last sent a flight (8 bytes, ms) and in which received datagram (4 bytes).</summary>
        public const int FlightSentAt = 62;
        public const int FlightSentDatagram = 70;
        /// <summary>
        /// Server: the first 8 bytes of the client random of the hello this association started from, so a delayed copy
        /// of that hello (RFC 6347 §4.2.8) is told from a new connection once the handshake state is gone.
        /// </summary>
        public const int ClientRandomTag = 74;
        public const int ClientRandomTagLength = 8;
        /// <summary>PSK identity length (2 bytes), then the identity (MaxPskIdentityLength bytes).</summary>
        public const int IdentityLength = 82;
        public const int Identity = 84;

        /// <summary>With Connection IDs, after the identity: own CID length (1), own CID (32), peer CID length (1), peer CID (32).</summary>
        public const int CidAreaLength = 2 + 2 * RecordProtection.MaxCidLength;

        public static int CidArea(DtlsConfig c)
        {
            return Identity + c.MaxPskIdentityLength;
        }

        /// <summary>
        /// Server with session tickets, after the CIDs: the ticket of a full handshake's final flight (length 2, then
        /// the ticket), kept so a lost final flight goes out again byte for byte (the Finished covers it, RFC 5077 §3.3).
        /// </summary>
        public static int TicketArea(DtlsConfig c)
        {
            return CidArea(c) + (c.ConnectionIdLength != 0 ? CidAreaLength : 0);
        }

        /// <summary>Longest ticket this server seals.</summary>
        public static int MaxTicketLength(DtlsConfig c)
        {
            return Resumption.TicketKeyRing.Overhead + Resumption.ResumptionRecord.MaxLength(c);
        }

        public static int Length(DtlsConfig c, bool isClient)
        {
            return TicketArea(c) + (!isClient && c.SessionTickets ? 2 + MaxTicketLength(c) : 0);
        }

        public static long ReadLong(byte[] b, int at, int count)
        {
            long v = 0;
            for (int i = 0; i < count; i++)
            {
                v = (v << 8) | b[at + i];
            }
            return v;
        }

        public static void WriteLong(byte[] b, int at, int count, long value)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                b[at + i] = (byte)value;
                value >>= 8;
            }
        }
    }
}
