using System;
using NfDtls.Pki;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>Calendar time for the core's certificate checks: the RTC that SNTP set (seconds since 1970-01-01Z).</summary>
    public sealed class SntpWallClock : IWallClock
    {
        // DateTime ticks (100 ns since 0001-01-01) at 1970-01-01T00:00:00Z.
        public const long UnixEpochTicks = 621355968000000000;

        public long UnixSeconds
        {
            get { return (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerSecond; }
        }

        public static long UnixMs
        {
            get { return (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond; }
        }
    }
}
