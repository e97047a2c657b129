namespace NfDtls.Net
{
    /// <summary>
    /// The one seam where an application protocol (CoAP) meets what carries its messages — DTLS records or plain UDP
    /// datagrams — after Californium's <c>Connector</c>: CoAP talks only to this; the DTLS engines and the plain-UDP
    /// binding implement it. A message is written in place: the connector lends the space where the message will be
    /// sealed (DTLS: the record's plaintext, behind the room for its header) or sent (UDP), so no copy sits between
    /// the layers and neither keeps a second message buffer.
    /// </summary>
    public interface IMessageConnector
    {
        /// <summary>
        /// Lends the space for one outgoing message to <paramref name="peer"/>: write it at
        /// <c>buffer[offset .. offset + capacity)</c>, then call <see cref="EndSend"/> before anything else is sent or
        /// received. False when there is no channel to the peer (no session, handshake not finished, the output space
        /// busy): nothing is lent, nothing is sent.
        /// </summary>
        bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity);

        /// <summary>
        /// Seals and sends the <paramref name="count"/> bytes written in the lent space; false if they could not go.
        /// A count of 0 sends nothing and only returns the space (the message did not fit).
        /// </summary>
        bool EndSend(int count, long nowMs);
    }
}
