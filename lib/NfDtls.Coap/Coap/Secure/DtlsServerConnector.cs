using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// server side (RFC 7252 §9.1): a <see cref="DtlsServer"/> built with this connector as its events, handed
    /// to the host as one <see cref="IDatagramEndpoint"/> and to CoAP as its <see cref="IMessageConnector"/>. The server
    /// is the connector (issue 11 §4): a message is written in the plaintext space of its record in the engine's datagram
    /// buffer and sealed there; a reply written while a record is being delivered goes out on that record's session
    /// without looking it up again; application data reaches the <see cref="Receiver"/> where it was decrypted, and a
    /// Connection ID session that moves is reported as it moves (RFC 9146 §6). This class only wires the two and lets
    /// the application see the DTLS events (<see cref="Events"/>); it holds no buffer.
    /// </summary>
    public sealed class DtlsServerConnector : IMessageConnector, IMessageReceiver, IDatagramEndpoint, IDtlsEvents
    {
        private readonly DtlsServer _server;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>Builds the <see cref="DtlsServer"/> (same arguments) with this connector as its events.</summary>
        public DtlsServerConnector(DtlsConfig config, IDatagramSink sink, IPskStore keys)
        {
            _server = new DtlsServer(config, sink, keys, this);
            _server.Receiver = this;
        }

        public DtlsServer Server { get { return _server; } }

        // ---- IMessageConnector: the engine's own, in place

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            return _server.BeginSend(peer, out buffer, out offset, out capacity);
        }

        public bool EndSend(int count, long nowMs)
        {
            return _server.EndSend(count, nowMs);
        }

        // ---- IMessageReceiver: on to the receiver set later

        public void OnMessage(PeerAddress peer, byte[] buffer, int offset, int count, long nowMs)
        {
            if (Receiver != null)
            {
                Receiver.OnMessage(peer, buffer, offset, count, nowMs);
            }
        }

        public void OnPeerMoved(PeerAddress from, PeerAddress to)
        {
            if (Receiver != null)
            {
                Receiver.OnPeerMoved(from, to);
            }
        }

        // ---- IDatagramEndpoint

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _server.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            _server.Tick(nowMs);
        }

        public long NextDeadline { get { return _server.NextDeadline; } }

        // ---- IDtlsEvents (application data goes to the receiver, not here)

        public void OnConnected(DtlsSession session)
        {
            if (Events != null)
            {
                Events.OnConnected(session);
            }
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
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
