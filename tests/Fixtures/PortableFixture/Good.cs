using System;
using System.Collections;
using System.Threading;

namespace PortableFixture
{
    /// <summary>The portable spelling of what Bad.cs in NonPortableFixture does; the guard must accept it.</summary>
    public sealed class Good
    {
        private static readonly byte[] Table = { 1, 2, 3, 4, 5, 6, 7, 8 };
        private readonly object _gate = new object();
        private readonly ArrayList _items = new ArrayList();
        private readonly int[][] _grid = { new int[2], new int[2] };

        public event EventHandler Changed;

        public int Count { get; private set; }

        public void Add(int x)
        {
            Monitor.Enter(_gate);
            try
            {
                _items.Add(x);
                _grid[0][0]++;
                Count++;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
            Changed?.Invoke(this, EventArgs.Empty);
        }

        public static string Describe(int x) { return string.Concat("x=", x.ToString()); }

        public static int Max(int a, int b) { return a > b ? a : b; }

        public static byte[] CopyOf(byte[] b)
        {
            var copy = new byte[b.Length];
            Array.Copy(b, 0, copy, 0, b.Length);
            return copy;
        }

        public static uint ReadUInt32BigEndian(byte[] b, int off)
        {
            return (uint)(b[off] << 24 | b[off + 1] << 16 | b[off + 2] << 8 | b[off + 3]);
        }

        public static int Kind(string name)
        {
            switch (name)
            {
                case "psk": return 1;
                case "ecdhe": return 2;
                default: return Table[0];
            }
        }

        public static int Increment(ref int v) { return Interlocked.Increment(ref v); }

        public static void Check(byte[] b)
        {
            if (b == null)
            {
                throw new ArgumentNullException("b");
            }
        }
    }
}
