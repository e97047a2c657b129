using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// (RFC 7252 §9.1): a <see cref="CoapEndpoint"/> whose datagrams travel as DTLS application data.
    /// The bridge is the CoAP endpoint's sink (CoAP datagram → one DTLS record) and the DTLS engine's events
    /// (application data → CoAP datagram from the session's peer), and the host drives it as one
    /// <see cref="IDatagramEndpoint"/>. Built in two steps because each side needs the other:
    /// <code>
    /// var bridge = new CoapOverDtls(coapConfig);
    /// bridge.UseClient(new DtlsClient(dtlsConfig, udpSink, server, identity, key, bridge));   // or UseServer(new DtlsServer(..., bridge))
    /// </code>
    /// A client's CoAP messages sent before the handshake ends wait in one buffer (the latest one) and go out on
    /// connect; CoAP's own retransmission covers anything else. Application events are forwarded to <see cref="Events"/>.
    /// </summary>
    public sealed class CoapOverDtls : IDatagramEndpoint, IDtlsEvents, IDatagramSink
    {
        private readonly CoapEndpoint _coap;
        private readonly byte[] _pending;
        private int _pendingLength;
        private DtlsClient _client;
        private DtlsServer _server;
        private long _now;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>CoAP datagrams the DTLS engine refused (not connected, no session, larger than a record).</summary>
        public int SendFailures;

        /// <param name="config">
        /// CoAP configuration. Its BlockSize is lowered to 512 when larger: a 1024-byte block plus header and
        /// options would not fit the default 1024-byte DTLS record plaintext (DtlsConfig.MaxRecordPlaintext).
        /// </param>
        public CoapOverDtls(CoapConfig config)
        {
            if (config.BlockSize > 512)
            {
                config.BlockSize = 512;
            }
            _coap = new CoapEndpoint(config, this);
            _pending = new byte[config.MaxMessageSize];
        }

        public CoapEndpoint Coap { get { return _coap; } }
        public DtlsClient Client { get { return _client; } }
        public DtlsServer Server { get { return _server; } }

        public void UseClient(DtlsClient client)
        {
            _client = client;
        }

        public void UseServer(DtlsServer server)
        {
            _server = server;
        }

        /// <summary>The last time the host gave us (DTLS events carry none).</summary>
        public long NowMs { get { return _now; } }

        // ---- IDatagramEndpoint: the host drives DTLS; CoAP runs on its timers too.

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _now = nowMs;
            if (_client != null)
            {
                _client.Receive(buffer, offset, count, from, nowMs);
            }
            else if (_server != null)
            {
                _server.Receive(buffer, offset, count, from, nowMs);
            }
        }

        public void Tick(long nowMs)
        {
            _now = nowMs;
            if (_client != null && _client.NextDeadline <= nowMs)
            {
                _client.Tick(nowMs);
            }
            if (_server != null && _server.NextDeadline <= nowMs)
            {
                _server.Tick(nowMs);
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
                long next = _coap.NextDeadline;
                long d = _client != null ? _client.NextDeadline : _server != null ? _server.NextDeadline : long.MaxValue;
                return d < next ? d : next;
            }
        }

        // ---- IDatagramSink: CoAP datagrams out as application records.

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            if (_client != null)
            {
                if (_client.IsConnected)
                {
                    if (!_client.Send(buffer, offset, count, _now))
                    {
                        SendFailures++;
                    }
                }
                else if (count <= _pending.Length)
                {
                    System.Array.Copy(buffer, offset, _pending, 0, count);
                    _pendingLength = count;
                }
            }
            else if (_server != null)
            {
                if (!_server.Send(destination, buffer, offset, count, _now))
                {
                    SendFailures++;
                }
            }
        }

        // ---- IDtlsEvents

        public void OnConnected(DtlsSession session)
        {
            if (_client != null && _pendingLength > 0)
            {
                int n = _pendingLength;
                _pendingLength = 0;
                _client.Send(_pending, 0, n, _now);
            }
            if (Events != null)
            {
                Events.OnConnected(session);
            }
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
            _coap.Receive(buffer, offset, count, session.Peer, _now);
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
            if (Events != null)
            {
                Events.OnAlert(session, level, description);
            }
        }

        public void OnClosed(DtlsSession session)
        {
            _pendingLength = 0;
            if (Events != null)
            {
                Events.OnClosed(session);
            }
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
            if (Events != null)
            {
                Events.OnUnknownPskIdentity(session);
            }
        }
    }
}
