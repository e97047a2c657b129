using NfDtls.Coap.Message;
using NfDtls.Net;

namespace NfDtls.Coap.Server
{
    /// <summary>A request acknowledged now and answered later by a separate response (RFC 7252 §5.2.2).</summary>
    internal sealed class DeferredExchange
    {
        public bool Active;
        public int Generation;
        public readonly PeerAddress Peer = new PeerAddress();
        public readonly byte[] Token = new byte[CoapMessage.MaxTokenLength];
        public int TokenLength;
        public bool Confirmable;
    }
}
