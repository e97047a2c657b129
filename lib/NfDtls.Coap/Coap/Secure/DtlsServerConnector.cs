using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// server side (RFC 7252 §9.1) — INTERIM: the seam over <see cref="DtlsServer"/>'s current API, until
    /// the DTLS engine implements <see cref="IMessageConnector"/> itself and delivers to an
    /// <see cref="IMessageReceiver"/> (issue 11 §4, the dtls branch); then this class goes. Copies nothing (see
    /// <see cref="DtlsClientConnector"/>). A reply written while a record is being delivered goes out on that
    /// record's session without looking it up again; any other message finds its session by address. The engine
    /// reports no move (RFC 9146 §6), so the connector notices one by the session's address changing between two
    /// records, and tells the <see cref="Receiver"/> before the record that shows it.
    /// </summary>
    public sealed class DtlsServerConnector : IMessageConnector, IDatagramEndpoint, IDtlsEvents
    {
        private readonly DtlsServer _server;
        // Per session slot: the address the receiver last saw it at (the session's Tag points at its entry).
        private readonly PeerAddress[] _known;
        private DtlsSession _delivering;
        private DtlsSession _lent;
        private int _lentAt;
        private long _now;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>Builds the <see cref="DtlsServer"/> (same arguments) with this connector as its events.</summary>
        public DtlsServerConnector(DtlsConfig config, IDatagramSink sink, IPskStore keys)
        {
            _server = new DtlsServer(config, sink, keys, this);
            _known = new PeerAddress[_server.Capacity];
            for (int i = 0; i < _known.Length; i++)
            {
                _known[i] = new PeerAddress();
            }
        }

        public DtlsServer Server { get { return _server; } }

        // ---- IMessageConnector

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = null;
            offset = 0;
            capacity = 0;
            if (_lent != null || peer == null)
            {
                return false;
            }
            DtlsSession s = _delivering != null && _delivering.Peer.SameAs(peer) ? _delivering : _server.FindSession(peer);
            if (s == null || !s.IsConnected)
            {
                return false;
            }
            buffer = _server.Context.Datagram;
            offset = DtlsClientConnector.PlaintextOffset(s);
            capacity = DtlsClientConnector.PlaintextCapacity(s, buffer.Length, _server.Context.Config.MaxRecordPlaintext);
            _lent = s;
            _lentAt = offset;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            DtlsSession s = _lent;
            _lent = null;
            return s != null && count > 0 && s.SendApplicationData(_server.Context.Datagram, _lentAt, count, nowMs);
        }

        // ---- IDatagramEndpoint

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _now = nowMs;
            _server.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            _now = nowMs;
            _server.Tick(nowMs);
        }

        public long NextDeadline { get { return _server.NextDeadline; } }

        // ---- IDtlsEvents

        public void OnConnected(DtlsSession session)
        {
            for (int i = 0; i < _known.Length; i++)
            {
                if (_server.SessionAt(i) == session)
                {
                    _known[i].CopyFrom(session.Peer);
                    session.Tag = _known[i];
                    break;
                }
            }
            if (Events != null)
            {
                Events.OnConnected(session);
            }
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
            if (Receiver == null)
            {
                return;
            }
            PeerAddress known = session.Tag as PeerAddress;
            if (known != null && !known.SameAs(session.Peer))
            {
                Receiver.OnPeerMoved(known, session.Peer); // RFC 9146 §6: the session now answers at a new address
                known.CopyFrom(session.Peer);
            }
            _delivering = session;
            Receiver.OnMessage(session.Peer, buffer, offset, count, _now);
            _delivering = null;
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
    }
}
