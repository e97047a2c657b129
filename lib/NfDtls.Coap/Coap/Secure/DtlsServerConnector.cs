using NfDtls.Coap.Messaging;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// server side (RFC 7252 §9.1) — INTERIM: the seam over <see cref="DtlsServer"/>'s current API, until
    /// the DTLS engine implements <see cref="IMessageConnector"/> itself and delivers to an
    /// <see cref="IMessageReceiver"/> (issue 11 §4, the dtls branch); then this class goes. Received data is read in
    /// the engine's buffer; sent messages are written in a plaintext buffer of this connector and copied into their
    /// record (see <see cref="DtlsClientConnector"/>). A reply written while a record is being delivered goes out on that
    /// record's session without looking it up again; any other message finds its session by address. The engine
    /// reports no move (RFC 9146 §6), so the connector notices one by the session's address changing between two
    /// records, and tells the <see cref="Receiver"/> before the record that shows it. (Sessions are found by identity
    /// in a small hash of the server's fixed session table; their Tag stays the application's.)
    /// </summary>
    public sealed class DtlsServerConnector : IMessageConnector, IDatagramEndpoint, IDtlsEvents
    {
        private readonly DtlsServer _server;
        // Per session slot: the address the receiver last saw it at.
        private readonly PeerTable _known;
        private readonly PeerAddress _was = new PeerAddress();
        // Session → slot: open addressing on the session's identity hash.
        private readonly DtlsSession[] _sessions;
        private readonly int[] _slots;
        private readonly byte[] _plaintext;
        private readonly int _datagram;
        private DtlsSession _delivering;
        private DtlsSession _lent;
        private long _now;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>Builds the <see cref="DtlsServer"/> (same arguments) with this connector as its events.</summary>
        public DtlsServerConnector(DtlsConfig config, IDatagramSink sink, IPskStore keys)
        {
            _server = new DtlsServer(config, sink, keys, this);
            _plaintext = new byte[config.MaxRecordPlaintext];
            _datagram = config.MaxDatagramSize;
            int capacity = _server.Capacity;
            _known = new PeerTable(capacity);
            int size = 4;
            while (size < 2 * capacity)
            {
                size *= 2;
            }
            _sessions = new DtlsSession[size];
            _slots = new int[size];
            for (int i = 0; i < capacity; i++)
            {
                DtlsSession s = _server.SessionAt(i);
                int h = s.GetHashCode() & (size - 1);
                while (_sessions[h] != null)
                {
                    h = (h + 1) & (size - 1);
                }
                _sessions[h] = s;
                _slots[h] = i;
            }
        }

        private int SlotOf(DtlsSession session)
        {
            int mask = _sessions.Length - 1;
            for (int h = session.GetHashCode() & mask; _sessions[h] != null; h = (h + 1) & mask)
            {
                if (_sessions[h] == session)
                {
                    return _slots[h];
                }
            }
            return -1;
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
            buffer = _plaintext;
            capacity = DtlsClientConnector.PlaintextCapacity(s, _datagram, _plaintext.Length);
            _lent = s;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            DtlsSession s = _lent;
            _lent = null;
            return s != null && count > 0 && s.SendApplicationData(_plaintext, 0, count, nowMs);
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
            int slot = SlotOf(session);
            if (slot >= 0)
            {
                _known.SetPeer(slot, session.Peer);
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
            int slot = SlotOf(session);
            if (slot >= 0 && !_known.SamePeer(slot, session.Peer))
            {
                _known.GetPeer(slot, _was);
                _known.SetPeer(slot, session.Peer);
                Receiver.OnPeerMoved(_was, session.Peer); // RFC 9146 §6: the session now answers at a new address
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

        public void OnUnknownPskIdentity(DtlsSession session)
        {
            if (Events != null)
            {
                Events.OnUnknownPskIdentity(session);
            }
        }
    }
}
