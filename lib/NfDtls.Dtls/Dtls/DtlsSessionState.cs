namespace NfDtls.Dtls
{
    public enum DtlsSessionState
    {
        /// <summary>Not started (client before Connect, server slot unused).</summary>
        Idle = 0,
        Handshaking = 1,
        Connected = 2,
        /// <summary>Ended cleanly (close_notify either way).</summary>
        Closed = 3,
        /// <summary>Ended by a fatal alert, a failed handshake or a timeout: see <see cref="DtlsSession.Failure"/>.</summary>
        Failed = 4,
    }

    /// <summary>Why a session ended (<see cref="DtlsSession.Failure"/>).</summary>
    public enum DtlsFailure
    {
        None = 0,
        /// <summary>A flight was retransmitted <see cref="DtlsConfig.MaxRetransmissions"/> times without an answer.</summary>
        Timeout = 1,
        /// <summary>The peer sent a fatal alert (<see cref="DtlsSession.AlertDescription"/>).</summary>
        PeerAlert = 2,
        /// <summary>We found an error and sent a fatal alert (<see cref="DtlsSession.AlertDescription"/>).</summary>
        LocalAlert = 3,
        /// <summary>A server session was evicted to make room.</summary>
        Evicted = 4,
    }
}
