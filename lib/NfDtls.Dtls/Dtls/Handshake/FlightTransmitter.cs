using NfDtls.Dtls.Record;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Puts flights on the wire (RFC 6347 §4.2.3, §4.2.4): a stored flight is cut into fragments that fit the datagram
    /// size and its records are packed into as few datagrams as fit (§4.1.1). A flight goes out when it is new, when its
    /// timer fires, and when the peer repeats the flight ours answered — the last at most once per received datagram
    /// and never sooner than <see cref="DtlsContext.ResendGapMs"/> after the flight last went out, so no record can make
    /// us send more than our flight once (issue 16, finding 3). The server's final flight (ChangeCipherSpec, Finished)
    /// is not stored: it is regenerated from the few bytes the session keeps (<see cref="SendFinalFlight"/>).
    /// </summary>
    internal static class FlightTransmitter
    {
        /// <summary>Sends the handshake's stored flight (the first time, or again).</summary>
        public static void Send(DtlsHandshake hs, bool retransmission, long nowMs)
        {
            DtlsSession s = hs.Session;
            DtlsContext ctx = s.Context;
            FlightBuffer flight = hs.Flight;
            byte[] fb = flight.Buffer;
            byte[] dg = ctx.Datagram;
            RecordLayer records = ctx.Records;
            int max = ctx.Config.MaxDatagramSize;
            // Only protected records are bounded by MaxRecordPlaintext (the peer refuses a larger one, RecordLayer.Open);
            // plaintext handshake records are bounded by the datagram alone. A ClientHello must not be cut for a small
            // application record size: a stateless server serves only a ClientHello that is whole in one record
            // (RFC 6347 §4.2.1; OpenSSL's DTLSv1_listen does the same), so such a client would never connect.
            int maxProtectedFragment = ctx.Config.MaxRecordPlaintext - HandshakeType.HeaderLength;
            int used = 0;
            int p = 0;
            while (p < flight.Length)
            {
                int kind = fb[p];
                int entryLength = (fb[p + 1] << 8) | fb[p + 2];
                int message = p + FlightBuffer.EntryHeaderLength;
                p = message + entryLength;
                if (kind == FlightBuffer.KindChangeCipherSpec)
                {
                    if (used + RecordHeader.Length + 1 > max)
                    {
                        ctx.Sink.Send(dg, 0, used, s.Peer);
                        used = 0;
                    }
                    used += records.WritePlain(s, dg, used, ContentType.ChangeCipherSpec, fb, message, 1);
                    continue;
                }
                int epoch = kind == FlightBuffer.KindHandshakeEpoch1 ? 1 : 0;
                int overhead = epoch == 1
                    ? RecordLayer.ProtectedOverhead(s) + HandshakeType.HeaderLength
                    : RecordHeader.Length + HandshakeType.HeaderLength;
                int bodyLength = (fb[message + 1] << 16) | (fb[message + 2] << 8) | fb[message + 3];
                int sent = 0;
                do
                {
                    int room = max - used - overhead;
                    int left = bodyLength - sent;
                    if (used > 0 && (room < 0 || (room < left && room < 64)))
                    {
                        // Not worth a tiny fragment: start a new datagram.
                        ctx.Sink.Send(dg, 0, used, s.Peer);
                        used = 0;
                        room = max - overhead;
                    }
                    int fragment = left < room ? left : room;
                    if (epoch == 1 && fragment > maxProtectedFragment)
                    {
                        fragment = maxProtectedFragment;
                    }
                    int record = used;
                    int plain = epoch == 1 ? RecordLayer.PlaintextOffset(s, record) : record + RecordHeader.Length;
                    System.Array.Copy(fb, message, dg, plain, HandshakeType.HeaderLength);
                    WireWriter.WriteUInt24At(dg, plain + 6, sent);
                    WireWriter.WriteUInt24At(dg, plain + 9, fragment);
                    flight.CopyBody(message, sent, dg, plain + HandshakeType.HeaderLength, fragment);
                    int n;
                    if (epoch == 0)
                    {
                        RecordHeader.Write(dg, record, ContentType.Handshake, ProtocolVersion.Dtls12, 0,
                                           RecordLayer.NextPlainSequence(s), HandshakeType.HeaderLength + fragment);
                        n = RecordHeader.Length + HandshakeType.HeaderLength + fragment;
                    }
                    else
                    {
                        n = records.Seal(s, dg, record, ContentType.Handshake, HandshakeType.HeaderLength + fragment);
                    }
                    if (n < 0)
                    {
                        return;
                    }
                    used += n;
                    sent += fragment;
                }
                while (sent < bodyLength);
            }
            if (used > 0)
            {
                ctx.Sink.Send(dg, 0, used, s.Peer);
            }
            Stamp(s, retransmission, nowMs);
        }

        /// <summary>
        /// True when a flight may go out again for a peer's retransmission: not twice for one received datagram, and
        /// not within <see cref="DtlsContext.ResendGapMs"/> of its last sending (by us, its timer or an earlier repeat).
        /// </summary>
        public static bool MayResend(DtlsSession s, long nowMs)
        {
            byte[] st = s.RecordState;
            int datagram = (int)SessionLayout.ReadLong(st, SessionLayout.FlightSentDatagram, 4);
            long at = SessionLayout.ReadLong(st, SessionLayout.FlightSentAt, 8);
            DtlsContext ctx = s.Context;
            return datagram != ctx.DatagramNumber && nowMs - at >= ctx.ResendGapMs;
        }

        private static void Stamp(DtlsSession s, bool retransmission, long nowMs)
        {
            byte[] st = s.RecordState;
            SessionLayout.WriteLong(st, SessionLayout.FlightSentAt, 8, nowMs);
            SessionLayout.WriteLong(st, SessionLayout.FlightSentDatagram, 4, s.Context.DatagramNumber);
            s.CountFlight(retransmission);
        }

        /// <summary>
        /// The server's flight 6 (RFC 6347 §4.2.4, RFC 5246 §7.4.9), built from the session: ChangeCipherSpec in epoch 0
        /// and our Finished in epoch 1, in one datagram, with fresh record sequence numbers each time.
        /// </summary>
        public static void SendFinalFlight(DtlsSession s, bool retransmission, long nowMs)
        {
            DtlsContext ctx = s.Context;
            byte[] st = s.RecordState;
            byte[] dg = ctx.Datagram;
            int used = 0;
            if ((s.Flags & DtlsSession.FlagTicketInFinalFlight) != 0)
            {
                used = WriteNewSessionTicket(s, dg);
                if (used + 2 * RecordHeader.Length + 1 + RecordLayer.ProtectedOverhead(s) + 2 * HandshakeType.HeaderLength > ctx.Config.MaxDatagramSize)
                {
                    ctx.Sink.Send(dg, 0, used, s.Peer);
                    used = 0;
                }
            }
            RecordHeader.Write(dg, used, ContentType.ChangeCipherSpec, ProtocolVersion.Dtls12, 0, RecordLayer.NextPlainSequence(s), 1);
            dg[used + RecordHeader.Length] = 1;
            used += RecordHeader.Length + 1;
            int p = RecordLayer.PlaintextOffset(s, used);
            dg[p] = HandshakeType.Finished;
            WireWriter.WriteUInt24At(dg, p + 1, 12);
            dg[p + 4] = st[SessionLayout.OwnFinishedSequence];
            dg[p + 5] = st[SessionLayout.OwnFinishedSequence + 1];
            WireWriter.WriteUInt24At(dg, p + 6, 0);
            WireWriter.WriteUInt24At(dg, p + 9, 12);
            System.Array.Copy(st, SessionLayout.OwnVerifyData, dg, p + HandshakeType.HeaderLength, 12);
            s.SetFlag(DtlsSession.FlagWriteEpoch1, true);
            int n = ctx.Records.Seal(s, dg, used, ContentType.Handshake, HandshakeType.HeaderLength + 12);
            if (n < 0)
            {
                return;
            }
            ctx.Sink.Send(dg, 0, used + n, s.Peer);
            Stamp(s, retransmission, nowMs);
        }

        /// <summary>
        /// The NewSessionTicket of a full handshake's final flight (RFC 5077 §3.3), from the ticket kept in the session:
        /// one epoch-0 record at the start of <paramref name="dg"/>, message_seq just before our Finished. Returns its size.
        /// </summary>
        private static int WriteNewSessionTicket(DtlsSession s, byte[] dg)
        {
            DtlsContext ctx = s.Context;
            byte[] st = s.RecordState;
            int area = SessionLayout.TicketArea(ctx.Config);
            int ticket = (st[area] << 8) | st[area + 1];
            int body = 4 + 2 + ticket;
            int finished = (st[SessionLayout.OwnFinishedSequence] << 8) | st[SessionLayout.OwnFinishedSequence + 1];
            RecordHeader.Write(dg, 0, ContentType.Handshake, ProtocolVersion.Dtls12, 0, RecordLayer.NextPlainSequence(s),
                               HandshakeType.HeaderLength + body);
            int p = RecordHeader.Length;
            dg[p] = HandshakeType.NewSessionTicket;
            WireWriter.WriteUInt24At(dg, p + 1, body);
            WireWriter.WriteUInt16At(dg, p + 4, finished - 1);
            WireWriter.WriteUInt24At(dg, p + 6, 0);
            WireWriter.WriteUInt24At(dg, p + 9, body);
            p += HandshakeType.HeaderLength;
            int lifetime = ctx.Config.SessionLifetimeSeconds;
            WireWriter.WriteUInt16At(dg, p, (lifetime >> 16) & 0xFFFF);
            WireWriter.WriteUInt16At(dg, p + 2, lifetime & 0xFFFF);
            System.Array.Copy(st, area, dg, p + 4, 2 + ticket);
            return RecordHeader.Length + HandshakeType.HeaderLength + body;
        }

        /// <summary>
        /// A protected handshake record after the handshake: the client repeating its Finished means our final flight
        /// was lost (RFC 6347 §4.2.4), and since the record authenticated, only the peer can have sent it. A
        /// ClientHello (server) or HelloRequest (client) asks for renegotiation, refused (RFC 5746, RFC 7925 §17).
        /// </summary>
        public static void ReceiveAfterHandshake(DtlsSession s, byte[] plain, int at, int count, long nowMs)
        {
            if (count < HandshakeType.HeaderLength)
            {
                return;
            }
            int type = plain[at];
            int length = (plain[at + 1] << 16) | (plain[at + 2] << 8) | plain[at + 3];
            int sequence = (plain[at + 4] << 8) | plain[at + 5];
            byte[] st = s.RecordState;
            if (type == (s.IsClient ? HandshakeType.HelloRequest : HandshakeType.ClientHello))
            {
                s.SendAlert(AlertDescription.LevelWarning, AlertDescription.NoRenegotiation);
                return;
            }
            if (s.IsClient != s.WasResumed)
            {
                return; // the final flight is the server's in a full handshake, the client's in an abbreviated one (RFC 5246 §7.3)
            }
            int peerFinished = (st[SessionLayout.PeerFinishedSequence] << 8) | st[SessionLayout.PeerFinishedSequence + 1];
            if (type == HandshakeType.Finished && length == 12 && sequence == peerFinished && MayResend(s, nowMs))
            {
                DtlsContext ctx = s.Context;
                if (ctx.Log.Enabled)
                {
                    ctx.Log.Write(string.Concat(s.Who(), "peer retransmitted Finished: resending our last flight"));
                }
                SendFinalFlight(s, true, nowMs);
            }
        }
    }
}
