using NfDtls.Dtls;
using NfDtls.Dtls.Record;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// client side (RFC 7252 §9.1) — INTERIM: the seam over <see cref="DtlsClient"/>'s current API, until
    /// the DTLS engine implements <see cref="IMessageConnector"/> itself and delivers to an
    /// <see cref="IMessageReceiver"/> (issue 11 §4, the dtls branch); then this class goes. It copies nothing:
    /// <see cref="BeginSend"/> lends the engine's datagram buffer at the place where the record's plaintext goes,
    /// so the engine's own copy into that place is onto itself; received application data goes to the
    /// <see cref="Receiver"/> in the engine's plaintext buffer, where it was decrypted.
    /// The host drives it as the client's <see cref="IDatagramEndpoint"/> (it notes the time DTLS events lack);
    /// the application's view of the session is <see cref="Events"/>.
    /// </summary>
    public sealed class DtlsClientConnector : IMessageConnector, IDatagramEndpoint, IDtlsEvents
    {
        private readonly DtlsClient _client;
        private int _lentAt = -1;
        private long _now;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>Builds the <see cref="DtlsClient"/> (same arguments) with this connector as its events.</summary>
        public DtlsClientConnector(DtlsConfig config, IDatagramSink sink, PeerAddress server, byte[] pskIdentity, byte[] psk)
        {
            _client = new DtlsClient(config, sink, server, pskIdentity, psk, this);
        }

        public DtlsClient Client { get { return _client; } }

        // ---- IMessageConnector

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = null;
            offset = 0;
            capacity = 0;
            DtlsSession s = _client.Session;
            if (_lentAt >= 0 || !s.IsConnected)
            {
                return false;
            }
            buffer = _client.Context.Datagram;
            offset = PlaintextOffset(s);
            capacity = PlaintextCapacity(s, buffer.Length, _client.Context.Config.MaxRecordPlaintext);
            _lentAt = offset;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            int at = _lentAt;
            _lentAt = -1;
            return at >= 0 && count > 0 && _client.Send(_client.Context.Datagram, at, count, nowMs);
        }

        /// <summary>Where a protected record's plaintext starts in the datagram: header (with the peer's CID) and explicit nonce.</summary>
        internal static int PlaintextOffset(DtlsSession s)
        {
            return RecordHeader.Length + s.PeerConnectionIdLength + RecordProtection.ExplicitNonceLength;
        }

        /// <summary>Plaintext room in one record: the datagram less header, nonce, tag and CID overhead, at most MaxRecordPlaintext.</summary>
        internal static int PlaintextCapacity(DtlsSession s, int datagram, int maxPlaintext)
        {
            int cid = s.PeerConnectionIdLength;
            int room = datagram - RecordHeader.Length - RecordProtection.Overhead - (cid > 0 ? cid + 1 : 0);
            room = room < maxPlaintext ? room : maxPlaintext;
            return room < 0 ? 0 : room;
        }

        // ---- IDatagramEndpoint

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _now = nowMs;
            _client.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            _now = nowMs;
            _client.Tick(nowMs);
        }

        public long NextDeadline { get { return _client.NextDeadline; } }

        // ---- IDtlsEvents

        public void OnConnected(DtlsSession session)
        {
            if (Events != null)
            {
                Events.OnConnected(session);
            }
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
            if (Receiver != null)
            {
                Receiver.OnMessage(session.Peer, buffer, offset, count, _now);
            }
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
