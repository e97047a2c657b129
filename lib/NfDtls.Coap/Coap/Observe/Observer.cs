using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Net;

namespace NfDtls.Coap.Observe
{
    /// <summary>One registered observer (RFC 7641 §4.1): who, which token, which resource, and when the last CON went. ~80 bytes.</summary>
    internal sealed class Observer
    {
        public bool Active;
        public readonly PeerAddress Peer = new PeerAddress();
        public readonly byte[] Token = new byte[CoapMessage.MaxTokenLength];
        public int TokenLength;
        public CoapResource Resource;
        public int Accept = -1;
        public int Szx = -1;
        public int Sent;
        public long LastConAt;
        /// <summary>Server transmission slot of a CON notification in flight, -1 for none.</summary>
        public int Slot = -1;
        /// <summary>MID of the last NON notification, so a Reset to it deregisters (§3.6).</summary>
        public int LastMid = -1;
    }
}
