namespace NfDtls.Cli;

/// <summary>Exit codes of every nfdtls command. Stable: scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Generic failure (e.g. an error response, 4.xx/5.xx).</summary>
    public const int Failure = 1;
    /// <summary>Bad command line.</summary>
    public const int Usage = 2;
    /// <summary>The DTLS handshake failed (alert, bad credentials, refused certificate).</summary>
    public const int HandshakeFailed = 3;
    /// <summary>Nothing came back in time.</summary>
    public const int Timeout = 4;
}
