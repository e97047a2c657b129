using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NonPortableFixture
{
    /// <summary>
    /// Everything ../shared/PORTABLE.md forbids, once each, so the portability guard is shown to bite
    /// (tests/NfDtls.Tests/Portability). Never shipped, never called.
    /// </summary>
    public static class Bad
    {
        private static readonly object Gate = new object();
        private static int[,] _grid = new int[2, 2];

        public static int Generics()
        {
            var list = new List<int>();
            list.Add(1);
            int? maybe = list.Count;
            return maybe ?? 0;
        }

        public static string Interpolation(int x) { return $"x={x}"; }

        public static void Lock() { lock (Gate) { _grid[0, 0]++; } }

        public static string Reflection(object o) { return typeof(Bad).Name + o.GetType().Name; }

        public static string ParamsWithNoArguments() { return Join(); }

        private static string Join(params object[] parts) { return parts.Length.ToString(); }

        public static int MathAndBitConverter(int a, int b) { return Math.Max(a, b) + BitConverter.ToInt32(new byte[4], 0); }

        public static int SpanAndU8() { ReadOnlySpan<byte> s = "abc"u8; return s.Length; }

        public static string Text() { return new StringBuilder().Append('a').ToString() + Encoding.UTF8.GetString(new byte[1]); }

        public static int Linq(int[] xs) { return xs.Where(x => x > 1).Count(); }

        public static async Task<int> Async() { await Task.Yield(); return 1; }

        public static byte[] Clone(byte[] b) { return (byte[])b.Clone(); }

        public static long Interlocked64(ref long v) { return Interlocked.Add(ref v, 2); }

        public static long Clock() { return DateTime.UtcNow.Ticks + Environment.TickCount64; }

        public static T Echo<T>(T value) { return value; }
    }
}
