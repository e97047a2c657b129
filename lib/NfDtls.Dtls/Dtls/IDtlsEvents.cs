namespace NfDtls.Dtls
{
    /// <summary>
    /// What a DTLS engine tells its application. Called synchronously from inside Receive/Tick/Send; buffers are only
    /// valid during the call. The client and the server use the same interface.
    /// </summary>
    public interface IDtlsEvents
    {
        void OnConnected(DtlsSession session);

        void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count);

        /// <summary>An alert arrived from the peer (RFC 5246 §7.2). level 1 warning, 2 fatal.</summary>
        void OnAlert(DtlsSession session, int level, int description);

        /// <summary>The session ended: close_notify, fatal alert, handshake failure/timeout or eviction. See <see cref="DtlsSession.Failure"/>.</summary>
        void OnClosed(DtlsSession session);

        /// <summary>
        /// Server: the client named a PSK identity the key store does not hold (<see cref="DtlsSession.PskIdentity"/>;
        /// empty when it was longer than <see cref="DtlsConfig.MaxPskIdentityLength"/>). With
        /// <see cref="DtlsConfig.HideUnknownPskIdentity"/> (the default) the handshake carries on with a key the client
        /// cannot know and fails as a wrong key does (RFC 4279 §2), so this event and the log are the only places the
        /// two differ. Raised once the datagram that carried the identity has been handled; do not end the session here.
        /// </summary>
        void OnUnknownPskIdentity(DtlsSession session);
    }
}
