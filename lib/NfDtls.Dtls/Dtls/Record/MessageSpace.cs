namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// The in-place send of <see cref="Net.IMessageConnector"/> over DTLS: the space lent is the plaintext of an
    /// application_data record in the engine's datagram buffer, right behind the room for its header and explicit nonce
    /// (RFC 6347 §4.1, RFC 9146 §4 with a CID); sealing encrypts it where it lies and sends it. Nothing is copied.
    /// </summary>
    internal static class MessageSpace
    {
        /// <summary>Lends the record space for a message to <paramref name="session"/>; false without a connected session or while lent.</summary>
        public static bool Lend(DtlsContext ctx, DtlsSession session, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = null;
            offset = 0;
            capacity = 0;
            if (session == null || !session.IsConnected || ctx.Lent != null)
            {
                return false;
            }
            byte[] dg = ctx.Datagram;
            int room = dg.Length - RecordLayer.ProtectedOverhead(session);
            buffer = dg;
            offset = RecordLayer.PlaintextOffset(session, 0);
            capacity = room < ctx.Config.MaxRecordPlaintext ? room : ctx.Config.MaxRecordPlaintext;
            ctx.Lent = session;
            return true;
        }

        /// <summary>Seals the <paramref name="count"/> bytes written in the lent space as one application_data record and sends it; 0 sends nothing.</summary>
        public static bool Seal(DtlsContext ctx, int count)
        {
            DtlsSession s = ctx.Lent;
            ctx.Lent = null;
            // A count of 0 only returns the space (IMessageConnector: the message did not fit).
            if (s == null || !s.IsConnected || count <= 0 || count > ctx.Config.MaxRecordPlaintext
                || RecordLayer.ProtectedOverhead(s) + count > ctx.Datagram.Length)
            {
                return false;
            }
            int n = ctx.Records.Seal(s, ctx.Datagram, 0, ContentType.ApplicationData, count);
            if (n < 0)
            {
                return false;
            }
            ctx.Sink.Send(ctx.Datagram, 0, n, s.Peer);
            return true;
        }
    }
}
