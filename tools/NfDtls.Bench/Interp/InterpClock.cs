// Compiled twice, like InterpWorkloads.cs: into NfDtls.Bench and into the Mono interpreter bench.
#nullable disable
using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NfDtls.Bench.Interp
{
    /// <summary>
    /// The bench's clock: this thread's CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), nanoseconds) where libc has
    /// it, else the wall clock. CPU time, because the machine is shared: another process's load stretches wall time
    /// many times over (seen: 20x at a load average of 40 on 2 cores) but leaves this thread's CPU time nearly alone.
    /// </summary>
    internal static class InterpClock
    {
        private const int ClockThreadCpuTime = 3;
        private static readonly bool s_cpu = Probe();

        public static string Kind
        {
            get { return s_cpu ? "thread CPU time" : "wall clock"; }
        }

        /// <summary>Nanoseconds on an arbitrary origin.</summary>
        public static long Now()
        {
            if (s_cpu)
            {
                Timespec t;
                ClockGetTime(ClockThreadCpuTime, out t);
                return t.Seconds * 1000000000L + t.Nanoseconds;
            }
            return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        }

        private static bool Probe()
        {
            try
            {
                Timespec t;
                return ClockGetTime(ClockThreadCpuTime, out t) == 0;
            }
            catch (Exception)
            {
                return false; // no libc.so.6 (not Linux/glibc): wall clock
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc.so.6", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out Timespec time);
    }
}
