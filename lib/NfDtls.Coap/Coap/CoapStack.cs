using NfDtls.Coap.Transport;
using NfDtls.Net;

namespace NfDtls.Coap
{
    /// <summary>
    /// A CoAP endpoint and the connector under it, driven by a host as one <see cref="IDatagramEndpoint"/>: datagrams
    /// go to the connector (UDP, or a DTLS engine that decrypts them), and both run their timers.
    /// <code>
    /// CoapStack coap = CoapStack.OverUdp(config, socketSink);   // coap://
    /// host.Start(coap); coap.Coap.AddResource(...); coap.Coap.Request(...);
    /// </code>
    /// </summary>
    public sealed class CoapStack : IDatagramEndpoint
    {
        private readonly IDatagramEndpoint _transport;
        private readonly CoapEndpoint _coap;

        public CoapStack(IDatagramEndpoint transport, CoapEndpoint coap)
        {
            _transport = transport;
            _coap = coap;
        }

        /// <summary>coap://: an endpoint over a <see cref="UdpConnector"/> on <paramref name="sink"/>.</summary>
        public static CoapStack OverUdp(CoapConfig config, IDatagramSink sink)
        {
            UdpConnector udp = new UdpConnector(sink, config.MaxMessageSize);
            CoapEndpoint coap = new CoapEndpoint(config, udp);
            udp.Receiver = coap;
            return new CoapStack(udp, coap);
        }

        public CoapEndpoint Coap { get { return _coap; } }
        public IDatagramEndpoint Transport { get { return _transport; } }

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _transport.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            if (_transport.NextDeadline <= nowMs)
            {
                _transport.Tick(nowMs);
            }
            if (_coap.NextDeadline <= nowMs)
            {
                _coap.Tick(nowMs);
            }
        }

        public long NextDeadline
        {
            get
            {
                long a = _transport.NextDeadline;
                long b = _coap.NextDeadline;
                return a < b ? a : b;
            }
        }
    }
}
