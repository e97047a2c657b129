using NfDtls.Net;

namespace NfDtls.Coap.Transport
{
    /// <summary>
    /// coap:// (RFC 7252 §6.1): messages are the UDP datagrams themselves. The host drives this connector as its
    /// <see cref="IDatagramEndpoint"/>; each datagram goes to the <see cref="Receiver"/> as received (in the host's
    /// buffer), and <see cref="BeginSend"/> lends the one datagram buffer the connector owns, which
    /// <see cref="EndSend"/> hands to the sink. No timers of its own.
    /// </summary>
    public sealed class UdpConnector : IMessageConnector, IDatagramEndpoint
    {
        private readonly IDatagramSink _sink;
        private readonly byte[] _datagram;
        private PeerAddress _to;

        /// <summary>Where received datagrams go (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <param name="sink">The socket (or the simulator's network).</param>
        /// <param name="maxDatagram">The largest message sent (CoapConfig.MaxMessageSize).</param>
        public UdpConnector(IDatagramSink sink, int maxDatagram)
        {
            if (sink == null)
            {
                throw new System.ArgumentNullException("sink");
            }
            _sink = sink;
            _datagram = new byte[maxDatagram < 4 ? 4 : maxDatagram];
        }

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = null;
            offset = 0;
            capacity = 0;
            if (_to != null || peer == null)
            {
                return false; // the space is lent already (EndSend not called), or nobody to send to
            }
            _to = peer; // the caller keeps it unchanged until EndSend
            buffer = _datagram;
            capacity = _datagram.Length;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            PeerAddress to = _to;
            _to = null;
            if (to == null || count <= 0 || count > _datagram.Length)
            {
                return false;
            }
            _sink.Send(_datagram, 0, count, to);
            return true;
        }

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            if (Receiver != null && from != null)
            {
                Receiver.OnMessage(from, buffer, offset, count, nowMs);
            }
        }

        public void Tick(long nowMs)
        {
        }

        public long NextDeadline { get { return long.MaxValue; } }
    }
}
