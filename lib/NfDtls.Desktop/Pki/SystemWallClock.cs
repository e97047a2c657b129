using NfDtls.Pki;

namespace NfDtls.Desktop.Pki;

/// <summary>The machine's UTC clock for certificate validity.</summary>
public sealed class SystemWallClock : IWallClock
{
    public static readonly SystemWallClock Instance = new();

    public long UnixSeconds => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
