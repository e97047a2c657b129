namespace NfDtls.Net
{
    /// <summary>
    /// What a <see cref="IMessageConnector"/> delivers to: each message in the connector's own buffer (a DTLS record's
    /// plaintext where it was decrypted, or the datagram as received), valid only during the call. A reply written
    /// during the call (<see cref="IMessageConnector.BeginSend"/> to the same peer) goes out on the channel the
    /// message came in on without looking it up again.
    /// </summary>
    public interface IMessageReceiver
    {
        void OnMessage(PeerAddress peer, byte[] buffer, int offset, int count, long nowMs);

        /// <summary>
        /// The channel to <paramref name="from"/> now reaches the peer at <paramref name="to"/> (RFC 9146: an
        /// authenticated record with a Connection ID arrived from a new address). State kept by address follows it.
        /// </summary>
        void OnPeerMoved(PeerAddress from, PeerAddress to);
    }
}
