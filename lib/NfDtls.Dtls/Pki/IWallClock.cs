namespace NfDtls.Pki
{
    /// <summary>
    /// Calendar time for certificate validity, supplied by the platform (the engines only get a monotonic
    /// millisecond count). Seconds since 1970-01-01T00:00:00Z.
    /// </summary>
    public interface IWallClock
    {
        long UnixSeconds { get; }
    }
}
