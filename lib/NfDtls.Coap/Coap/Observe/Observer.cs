using NfDtls.Coap.Server;

namespace NfDtls.Coap.Observe
{
    /// <summary>
    /// One registered observer (RFC 7641 §4.1): which resource, how it wants it, and when the last CON went. Who
    /// (peer and token) is a row of the endpoint's peer table.
    /// </summary>
    internal sealed class Observer
    {
        public bool Active;
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
