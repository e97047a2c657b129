namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// What a client keeps of its last session to resume it (RFC 5246 §7.3, RFC 5077 §3.4): one byte array allocated
    /// with the client (<see cref="Create"/>), read and written by these functions (no object of its own: on nanoCLR an
    /// object costs a header and 12 bytes per field). Layout, which is also what <see cref="DtlsClient.SaveResumption"/>
    /// writes: state (1: 1 = resumable), the room kept for the peer identity (1), suite (2), flags (1: extended master
    /// secret), master secret (48), the server's session ID (length 1, 32 bytes), the ticket's length (2), the peer
    /// identity (length 1, then the room: a 16-byte fingerprint of PSK identity and key, or 67 bytes of ECDHE peer key),
    /// then the server's ticket (room only with <see cref="DtlsConfig.SessionTickets"/>). Only sessions with the extended
    /// master secret are kept (RFC 7627 §5.3).
    /// </summary>
    internal static class ClientResumption
    {
        /// <summary>Longest ticket kept (OpenSSL's and GnuTLS's TLS 1.2 tickets are a few hundred bytes).</summary>
        public const int MaxTicketLength = 1024;
        /// <summary>A PSK client's peer identity: the first 16 bytes of HMAC-SHA256(psk, identity).</summary>
        public const int PskPeerLength = 16;

        private const int State = 0;
        private const int PeerRoom = 1;
        private const int Suite = 2;
        private const int Flags = 4;
        public const int MasterSecret = 5;
        private const int SessionIdLength = 53;
        public const int SessionId = 54;
        private const int TicketLength = 86;
        private const int PeerLength = 88;
        public const int Peer = 89;

        /// <summary>Most bytes a saved state holds: an ECDHE peer key and the longest ticket.</summary>
        public const int MaxLength = Peer + ResumptionRecord.EcdhePeerLength + MaxTicketLength;

        private const byte Resumable = 1;

        /// <summary>The buffer of a client with this configuration: room for an ECDHE key only with that suite, for a ticket only with tickets (<see cref="DtlsConfig.MaxTicketLength"/>).</summary>
        public static byte[] Create(DtlsConfig c)
        {
            int room = PskPeerLength;
            for (int i = 0; i < c.CipherSuites.Length; i++)
            {
                if (c.CipherSuites[i] == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && c.Ecdhe != null)
                {
                    room = ResumptionRecord.EcdhePeerLength;
                }
            }
            // The ticket room: DtlsConfig.MaxTicketLength (a board sizes it to its gateway's tickets), at most 1,024.
            int tickets = !c.SessionTickets ? 0 : c.MaxTicketLength < MaxTicketLength ? c.MaxTicketLength : MaxTicketLength;
            byte[] b = new byte[Peer + room + tickets];
            b[PeerRoom] = (byte)room;
            return b;
        }

        public static bool IsResumable(byte[] b)
        {
            return b[State] == Resumable;
        }

        public static int SuiteOf(byte[] b)
        {
            return (b[Suite] << 8) | b[Suite + 1];
        }

        public static bool HasExtendedMasterSecret(byte[] b)
        {
            return (b[Flags] & ResumptionRecord.FlagExtendedMasterSecret) != 0;
        }

        public static int PeerRoomOf(byte[] b)
        {
            return b[PeerRoom];
        }

        public static int PeerLengthOf(byte[] b)
        {
            return b[PeerLength];
        }

        public static int SessionIdLengthOf(byte[] b)
        {
            return b[SessionIdLength];
        }

        public static int TicketOffset(byte[] b)
        {
            return Peer + b[PeerRoom];
        }

        public static int TicketLengthOf(byte[] b)
        {
            return (b[TicketLength] << 8) | b[TicketLength + 1];
        }

        /// <summary>Wipes everything (master secret included); the layout stays.</summary>
        public static void Forget(byte[] b)
        {
            byte room = b[PeerRoom];
            System.Array.Clear(b, 0, b.Length);
            b[PeerRoom] = room;
        }

        /// <summary>A full handshake began (the server did not resume): what we held is gone; the server's new session ID (maybe none) is kept.</summary>
        public static void StartOver(byte[] b, byte[] sessionId, int offset, int count)
        {
            Forget(b);
            b[SessionIdLength] = (byte)count;
            System.Array.Copy(sessionId, offset, b, SessionId, count);
        }

        /// <summary>A NewSessionTicket's ticket (RFC 5077 §3.3); one too long to keep is dropped (the session ID remains).</summary>
        public static void SetTicket(byte[] b, byte[] source, int offset, int count)
        {
            int at = TicketOffset(b);
            if (count > b.Length - at)
            {
                count = 0;
            }
            b[TicketLength] = (byte)(count >> 8);
            b[TicketLength + 1] = (byte)count;
            System.Array.Copy(source, offset, b, at, count);
        }

        /// <summary>The session of a full handshake (the session ID and the ticket came earlier); not resumable until <see cref="Commit"/>.</summary>
        public static void SetSession(byte[] b, int suite, bool extendedMasterSecret, byte[] master, int masterOffset)
        {
            b[State] = 0;
            b[Suite] = (byte)(suite >> 8);
            b[Suite + 1] = (byte)suite;
            b[Flags] = (byte)(extendedMasterSecret ? ResumptionRecord.FlagExtendedMasterSecret : 0);
            System.Array.Copy(master, masterOffset, b, MasterSecret, 48);
        }

        /// <summary>The length of the peer identity written at <see cref="Peer"/> (at most the room).</summary>
        public static void SetPeerLength(byte[] b, int count)
        {
            b[PeerLength] = (byte)count;
        }

        /// <summary>The handshake completed: resumable when it used the extended master secret and left a session ID or a ticket.</summary>
        public static void Commit(byte[] b)
        {
            if (HasExtendedMasterSecret(b) && (b[SessionIdLength] > 0 || TicketLengthOf(b) > 0))
            {
                b[State] = Resumable;
            }
            else
            {
                Forget(b);
            }
        }

        /// <summary>Writes the resumable state; 0 when there is none or it does not fit.</summary>
        public static int Save(byte[] b, byte[] buffer, int offset)
        {
            if (!IsResumable(b) || buffer == null || offset < 0)
            {
                return 0;
            }
            int n = TicketOffset(b) + TicketLengthOf(b);
            if (offset + n > buffer.Length)
            {
                return 0;
            }
            System.Array.Copy(b, 0, buffer, offset, n);
            return n;
        }

        /// <summary>Takes a state written by <see cref="Save"/> (of any client's layout); false, nothing changed, when malformed or when it does not fit ours.</summary>
        public static bool Load(byte[] b, byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < Peer || count > MaxLength || offset + count > buffer.Length
                || buffer[offset + State] != Resumable)
            {
                return false;
            }
            int room = buffer[offset + PeerRoom];
            int peer = buffer[offset + PeerLength];
            int id = buffer[offset + SessionIdLength];
            int ticket = (buffer[offset + TicketLength] << 8) | buffer[offset + TicketLength + 1];
            int flags = buffer[offset + Flags];
            if (room > ResumptionRecord.EcdhePeerLength || peer > room || peer > b[PeerRoom] || id > SessionCache.SessionIdLength
                || Peer + room + ticket != count || ticket > b.Length - TicketOffset(b)
                || (flags & ResumptionRecord.FlagExtendedMasterSecret) == 0 || (id == 0 && ticket == 0))
            {
                return false;
            }
            Forget(b);
            System.Array.Copy(buffer, offset + Suite, b, Suite, Peer - Suite);
            System.Array.Copy(buffer, offset + Peer, b, Peer, peer);
            System.Array.Copy(buffer, offset + Peer + room, b, TicketOffset(b), ticket);
            b[State] = Resumable;
            return true;
        }
    }
}
