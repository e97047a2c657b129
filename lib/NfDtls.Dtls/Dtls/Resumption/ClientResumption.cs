namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// What a client keeps of its last session to resume it (RFC 5246 §7.3, RFC 5077 §3.4), in one buffer allocated with
    /// the client: state (1: 1 = resumable), then a <see cref="ResumptionRecord"/> of fixed room, the server's session ID
    /// (length 1, 32 bytes) and the server's ticket (length 2, at most <see cref="DtlsConfig.MaxTicketLength"/> bytes, the
    /// room allocated; at most <see cref="MaxTicketLength"/>). The same
    /// bytes are what <see cref="DtlsClient.SaveResumption"/> writes, so a host keeps them as they are. Only sessions
    /// with the extended master secret are kept (RFC 7627 §5.3).
    /// </summary>
    internal sealed class ClientResumption
    {
        /// <summary>Longest ticket kept (OpenSSL's and GnuTLS's TLS 1.2 tickets without client certificates are a few hundred bytes).</summary>
        public const int MaxTicketLength = 1024;
        /// <summary>A client's peer identity: the PSK fingerprint (32) or the ECDHE key (67).</summary>
        public const int PeerMax = ResumptionRecord.EcdhePeerLength;

        private const int State = 0;
        private const int Record = 1;
        private const int SessionIdLength = Record + ResumptionRecord.Peer + PeerMax;
        private const int SessionId = SessionIdLength + 1;
        private const int TicketLength = SessionId + SessionCache.SessionIdLength;
        private const int Ticket = TicketLength + 2;
        /// <summary>Bytes of a saved state at most (the largest ticket room).</summary>
        public const int Length = Ticket + MaxTicketLength;

        /// <param name="ticketRoom">
        /// The ticket room of this client (<see cref="DtlsConfig.MaxTicketLength"/>): a board sizes it to its server's
        /// tickets. After the ticket: not saved, the session ID our ClientHello offers (length 1, 32 bytes), the same in
        /// both hellos of a cookie exchange. The offsets follow from the buffer's length (no fields: on nanoCLR each
        /// costs 12 bytes).
        /// </param>
        public ClientResumption(int ticketRoom)
        {
            ticketRoom = ticketRoom < 0 ? 0 : ticketRoom > MaxTicketLength ? MaxTicketLength : ticketRoom;
            Bytes = new byte[Ticket + ticketRoom + 1 + SessionCache.SessionIdLength];
        }

        private int OfferedLengthAt { get { return Bytes.Length - 1 - SessionCache.SessionIdLength; } }

        private int TicketRoom { get { return OfferedLengthAt - Ticket; } }

        private const byte Resumable = 1;
        private const byte Empty = 0;

        public readonly byte[] Bytes;

        public bool IsResumable { get { return Bytes[State] == Resumable; } }

        public int Suite { get { return (Bytes[Record + ResumptionRecord.Suite] << 8) | Bytes[Record + ResumptionRecord.Suite + 1]; } }

        public bool HasExtendedMasterSecret { get { return (Bytes[Record + ResumptionRecord.Flags] & ResumptionRecord.FlagExtendedMasterSecret) != 0; } }

        public int RecordOffset { get { return Record; } }

        public int MasterSecretOffset { get { return Record + ResumptionRecord.MasterSecret; } }

        public int PeerOffset { get { return Record + ResumptionRecord.Peer; } }

        public int PeerLength { get { return (Bytes[Record + ResumptionRecord.PeerLength] << 8) | Bytes[Record + ResumptionRecord.PeerLength + 1]; } }

        public int SessionIdOffset { get { return SessionId; } }

        public int SessionIdLengthValue { get { return Bytes[SessionIdLength]; } }

        public int TicketOffset { get { return Ticket; } }

        public int TicketLengthValue { get { return (Bytes[TicketLength] << 8) | Bytes[TicketLength + 1]; } }

        /// <summary>Wipes everything (master secret included).</summary>
        public void Forget()
        {
            System.Array.Clear(Bytes, 0, Bytes.Length);
        }

        /// <summary>Length of the session ID offered in the ClientHello (0: none), at <see cref="OfferedOffset"/>.</summary>
        public int OfferedIdLength
        {
            get { return Bytes[OfferedLengthAt]; }
            set { Bytes[OfferedLengthAt] = (byte)value; }
        }

        public int OfferedOffset { get { return OfferedLengthAt + 1; } }

        /// <summary>
        /// A full handshake began (the server did not resume): what we held is gone; the server's new session ID (maybe
        /// none) is kept for the state <see cref="SetSession"/> completes.
        /// </summary>
        public void StartOver(byte[] sessionId, int offset, int count)
        {
            Forget();
            Bytes[SessionIdLength] = (byte)count;
            System.Array.Copy(sessionId, offset, Bytes, SessionId, count);
        }

        /// <summary>
        /// The session of a full handshake: its record fields (the session ID and the ticket came earlier). Not
        /// resumable until <see cref="Commit"/>.
        /// </summary>
        public void SetSession(int suite, bool extendedMasterSecret, byte[] master, int masterOffset)
        {
            Bytes[State] = Empty;
            System.Array.Clear(Bytes, Record, SessionIdLength - Record);
            Bytes[Record + ResumptionRecord.Suite] = (byte)(suite >> 8);
            Bytes[Record + ResumptionRecord.Suite + 1] = (byte)suite;
            Bytes[Record + ResumptionRecord.Flags] = (byte)(extendedMasterSecret ? ResumptionRecord.FlagExtendedMasterSecret : 0);
            System.Array.Copy(master, masterOffset, Bytes, Record + ResumptionRecord.MasterSecret, 48);
        }

        /// <summary>The length of the peer identity written at <see cref="PeerOffset"/> (≤ <see cref="PeerMax"/>).</summary>
        public void SetPeerLength(int count)
        {
            Bytes[Record + ResumptionRecord.PeerLength] = (byte)(count >> 8);
            Bytes[Record + ResumptionRecord.PeerLength + 1] = (byte)count;
        }

        /// <summary>A NewSessionTicket's ticket (RFC 5077 §3.3); one too long to keep is dropped (the session ID remains).</summary>
        public void SetTicket(byte[] source, int offset, int count)
        {
            if (count > TicketRoom)
            {
                count = 0;
            }
            Bytes[TicketLength] = (byte)(count >> 8);
            Bytes[TicketLength + 1] = (byte)count;
            System.Array.Copy(source, offset, Bytes, Ticket, count);
        }

        /// <summary>The handshake completed: resumable when it used the extended master secret and left a session ID or a ticket.</summary>
        public void Commit()
        {
            OfferedIdLength = 0;
            Bytes[State] = HasExtendedMasterSecret && (SessionIdLengthValue > 0 || TicketLengthValue > 0) ? Resumable : Empty;
            if (Bytes[State] == Empty)
            {
                Forget();
            }
        }

        /// <summary>Writes the resumable state; 0 when there is none or it does not fit.</summary>
        public int Save(byte[] buffer, int offset)
        {
            if (!IsResumable || buffer == null || offset < 0)
            {
                return 0;
            }
            int n = Ticket + TicketLengthValue;
            if (offset + n > buffer.Length)
            {
                return 0;
            }
            System.Array.Copy(Bytes, 0, buffer, offset, n);
            return n;
        }

        /// <summary>Takes a state written by <see cref="Save"/>; false (and nothing kept) when malformed.</summary>
        public bool Load(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < Ticket || count > Ticket + TicketRoom || offset + count > buffer.Length
                || buffer[offset + State] != Resumable)
            {
                return false;
            }
            int peer = (buffer[offset + Record + ResumptionRecord.PeerLength] << 8) | buffer[offset + Record + ResumptionRecord.PeerLength + 1];
            int id = buffer[offset + SessionIdLength];
            int ticket = (buffer[offset + TicketLength] << 8) | buffer[offset + TicketLength + 1];
            int flags = buffer[offset + Record + ResumptionRecord.Flags];
            if (peer > PeerMax || id > SessionCache.SessionIdLength || ticket > TicketRoom || Ticket + ticket != count
                || (flags & ResumptionRecord.FlagExtendedMasterSecret) == 0 || (id == 0 && ticket == 0))
            {
                return false;
            }
            Forget();
            System.Array.Copy(buffer, offset, Bytes, 0, count);
            return true;
        }
    }
}
