using NfDtls.Net;

namespace NfDtls.DeviceTests
{
    /// <summary>Passes datagrams on to the network and keeps a copy of the last one: a record an attacker could have seen.</summary>
    public sealed class LastDatagramSink : IDatagramSink
    {
        private readonly IDatagramSink _next;
        public readonly byte[] Last = new byte[1500];
        public int LastLength;

        public LastDatagramSink(IDatagramSink next)
        {
            _next = next;
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            LastLength = count < Last.Length ? count : Last.Length;
            System.Array.Copy(buffer, offset, Last, 0, LastLength);
            _next.Send(buffer, offset, count, destination);
        }

        /// <summary>A copy of the first <paramref name="count"/> bytes of the last datagram.</summary>
        public byte[] CopyOfLast(int count)
        {
            byte[] copy = new byte[count];
            System.Array.Copy(Last, 0, copy, 0, count);
            return copy;
        }
    }
}
