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
    }
}
