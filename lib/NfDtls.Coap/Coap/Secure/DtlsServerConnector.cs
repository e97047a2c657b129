using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Coap.Secure
{
    /// <summary>
    /// coaps:// server side (RFC 7252 §9.1): a <see cref="DtlsServer"/> built with this connector as its events; the
    /// wiring is <see cref="DtlsConnector"/>'s. A reply written while a record is being delivered goes out on that
    /// record's session without looking it up again, and a Connection ID session that moves is reported as it moves
    /// (RFC 9146 §6) through <see cref="IMessageReceiver.OnPeerMoved"/>.
    /// </summary>
    public sealed class DtlsServerConnector : DtlsConnector
    {
        /// <summary>Builds the <see cref="DtlsServer"/> (same arguments) with this connector as its events.</summary>
        public DtlsServerConnector(DtlsConfig config, IDatagramSink sink, IPskStore keys)
        {
            DtlsServer server = new DtlsServer(config, sink, keys, this);
            server.Receiver = this;
            _engine = server;
        }

        public DtlsServer Server { get { return (DtlsServer)_engine; } }
    }
}
