// Compiled twice, like InterpWorkloads.cs: into NfDtls.Bench and into the Mono interpreter bench.
#nullable disable
using System;
using NfDtls.Net;

namespace NfDtls.Bench.Interp
{
    /// <summary>
    /// One direction of an in-memory link between two engines: datagrams queued in 32 reused 2048-byte buffers, so the
    /// bench harness itself allocates nothing per operation.
    /// </summary>
    internal sealed class DatagramQueue : IDatagramSink
    {
        private readonly byte[][] _buffers = new byte[32][];
        private readonly int[] _lengths = new int[32];
        private int _head;
        private int _count;

        public DatagramQueue()
        {
            for (int i = 0; i < _buffers.Length; i++)
            {
                _buffers[i] = new byte[2048];
            }
        }

        public int Count
        {
            get { return _count; }
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            int slot = (_head + _count) % _buffers.Length;
            Array.Copy(buffer, offset, _buffers[slot], 0, count);
            _lengths[slot] = count;
            _count++;
        }

        public bool TryDequeue(out byte[] data, out int length)
        {
            if (_count == 0)
            {
                data = null;
                length = 0;
                return false;
            }
            data = _buffers[_head];
            length = _lengths[_head];
            _head = (_head + 1) % _buffers.Length;
            _count--;
            return true;
        }
    }
}
