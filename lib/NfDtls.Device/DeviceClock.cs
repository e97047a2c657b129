using System;

namespace NfDtls.Device
{
    /// <summary>The monotonic millisecond clock the engines are given (nanoFramework.Runtime.Native's Environment.TickCount64).</summary>
    public static class DeviceClock
    {
        public static long NowMs
        {
            get { return Environment.TickCount64; }
        }
    }
}
