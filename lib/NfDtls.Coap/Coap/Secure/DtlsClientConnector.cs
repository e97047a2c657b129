using NfDtls.Dtls;
using NfDtls.Dtls.Record;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// client side (RFC 7252 §9.1) — INTERIM: the seam over <see cref="DtlsClient"/>'s current API, until
    /// the DTLS engine implements <see cref="IMessageConnector"/> itself and delivers to an
    /// <see cref="IMessageReceiver"/> (issue 11 §4, the dtls branch); then this class goes. Received application data
    /// goes to the <see cref="Receiver"/> in the engine's buffer, where it was decrypted; sending is the one place
    /// the interim path costs: the engine's record space is not public, so <see cref="BeginSend"/> lends a
    /// plaintext buffer of this connector (MaxRecordPlaintext bytes) that <see cref="EndSend"/> hands to
    /// <see cref="DtlsClient.Send"/>, which copies it into the record.
    /// The host drives it as the client's <see cref="IDatagramEndpoint"/> (it notes the time DTLS events lack);
    /// the application's view of the session is <see cref="Events"/>.
    /// </summary>
    public sealed class DtlsClientConnector : IMessageConnector, IDatagramEndpoint, IDtlsEvents
    {
        private readonly DtlsClient _client;
        private readonly byte[] _plaintext;
        private readonly int _datagram;
        private bool _lent;
        private long _now;

        /// <summary>Where application data goes (the CoAP endpoint).</summary>
        public IMessageReceiver Receiver;

        /// <summary>Optional: the application's view of the DTLS events (connected, alerts, closed).</summary>
        public IDtlsEvents Events;

        /// <summary>Builds the <see cref="DtlsClient"/> (same arguments) with this connector as its events.</summary>
        public DtlsClientConnector(DtlsConfig config, IDatagramSink sink, PeerAddress server, byte[] pskIdentity, byte[] psk)
        {
            _client = new DtlsClient(config, sink, server, pskIdentity, psk, this);
            _plaintext = new byte[config.MaxRecordPlaintext];
            _datagram = config.MaxDatagramSize;
        }

        public DtlsClient Client { get { return _client; } }

        // ---- IMessageConnector

        public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
        {
            buffer = null;
            offset = 0;
            capacity = 0;
            DtlsSession s = _client.Session;
            if (_lent || !s.IsConnected)
            {
                return false;
            }
            buffer = _plaintext;
            capacity = PlaintextCapacity(s, _datagram, _plaintext.Length);
            _lent = true;
            return true;
        }

        public bool EndSend(int count, long nowMs)
        {
            bool lent = _lent;
            _lent = false;
            return lent && count > 0 && _client.Send(_plaintext, 0, count, nowMs);
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

        public void OnUnknownPskIdentity(DtlsSession session)
        {
            if (Events != null)
            {
                Events.OnUnknownPskIdentity(session);
            }
        }
    }
}
