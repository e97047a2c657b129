using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// (RFC 7252 §9.1): a DTLS engine built with this connector as its events, handed to the host as one
    /// <see cref="IDatagramEndpoint"/> and to CoAP as its <see cref="IMessageConnector"/>. The engine is the connector
    /// (issue 11 §4): a message is written in the plaintext space of its record in the engine's datagram buffer and sealed
    /// there, and application data reaches the <see cref="Receiver"/> where it was decrypted. This class only wires the
    /// two, so that the receiver and the application's view of the DTLS events (<see cref="Events"/>) can be set after the
    /// engine is built; it holds no buffer. <see cref="DtlsClientConnector"/> and <see cref="DtlsServerConnector"/> build
    /// the engine.
    /// </summary>
    public abstract class DtlsConnector : IMessageConnector, IMessageReceiver, IDatagramEndpoint, IDtlsEvents
    {
        /// <summary>The engine this connector wires: set once, by the subclass's constructor (the engine needs this
        /// connector as its events, so it cannot be a base constructor argument).</summary>
        protected IDtlsEndpoint _engine;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        // ---- IMessageConnector: the engine's own, in place

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            return _engine.BeginSend(peer, out buffer, out offset, out capacity);
        }

        public bool EndSend(int count, long nowMs)
        {
            return _engine.EndSend(count, nowMs);
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
            _engine.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            _engine.Tick(nowMs);
        }

        public long NextDeadline { get { return _engine.NextDeadline; } }

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
