using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// client side (RFC 7252 §9.1): a <see cref="DtlsClient"/> built with this connector as its events; the
    /// wiring is <see cref="DtlsConnector"/>'s.
    /// </summary>
    public sealed class DtlsClientConnector : DtlsConnector
    {
        /// <summary>Builds the <see cref="DtlsClient"/> (same arguments) with this connector as its events.</summary>
        public DtlsClientConnector(DtlsConfig config, IDatagramSink sink, PeerAddress server, byte[] pskIdentity, byte[] psk)
        {
            DtlsClient client = new DtlsClient(config, sink, server, pskIdentity, psk, this);
            client.Receiver = this;
            _engine = client;
        }

        public DtlsClient Client { get { return (DtlsClient)_engine; } }
    }
}
