using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// What a DTLS engine told its application: counts, a copy of the last record of data received and, with
    /// <see cref="KeyExchange"/> set, the peer's authenticated key and its kind as they stood when the session connected
    /// (the moment an application reads them).
    /// </summary>
    public sealed class DtlsEventRecorder : IDtlsEvents
    {
        private readonly byte[] _last = new byte[1024];
        private int _lastLength;
        public int Connected;
        public int Closed;
        public int Alerts;
        public int DataRecords;
        public EcdheEcdsaKeyExchange KeyExchange;
        public readonly byte[] PeerKey = new byte[65];
        public bool HasPeerKey;
        public int PeerKeyType = -1;

        public void OnConnected(DtlsSession session)
        {
            Connected++;
            if (KeyExchange != null)
            {
                HasPeerKey = KeyExchange.TryGetPeerKey(session, PeerKey, 0);
                PeerKeyType = KeyExchange.PeerCertificateType(session);
            }
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
            DataRecords++;
            _lastLength = count < _last.Length ? count : _last.Length;
            System.Array.Copy(buffer, offset, _last, 0, _lastLength);
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
            Alerts++;
        }

        public void OnClosed(DtlsSession session)
        {
            Closed++;
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }

        /// <summary>Whether the last record received held exactly the ASCII text <paramref name="text"/>.</summary>
        public bool LastDataIs(string text)
        {
            if (DataRecords == 0 || _lastLength != text.Length)
            {
                return false;
            }
            for (int i = 0; i < _lastLength; i++)
            {
                if (_last[i] != (byte)text[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
