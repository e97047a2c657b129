using NfDtls.Net;

namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// One Confirmable message in flight (RFC 7252 §4.2): its encoded bytes, destination and the exponential
    /// back-off state. Owned by a client exchange, a separate response or an observer. ~MaxMessageSize + 60 bytes.
    /// </summary>
    internal sealed class Transmission
    {
        public const int OwnerNone = 0;
        public const int OwnerExchange = 1;
        public const int OwnerSeparate = 2;
        public const int OwnerNotification = 3;

        public readonly byte[] Datagram;
        public readonly PeerAddress Peer = new PeerAddress();
        public int Length;
        public int MessageId;
        public bool Active;
        public long Deadline = long.MaxValue;
        public int TimeoutMs;
        public int Retransmits;
        public int Owner;
        public int OwnerIndex;

        public Transmission(int size)
        {
            Datagram = new byte[size];
        }

        public void Stop()
        {
            Active = false;
            Deadline = long.MaxValue;
        }
    }
}
