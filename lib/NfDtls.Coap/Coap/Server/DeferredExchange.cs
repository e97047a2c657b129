namespace NfDtls.Coap.Server
{
    /// <summary>
    /// A request acknowledged now and answered later by a separate response (RFC 7252 §5.2.2). Who asked (peer and
    /// token) is a row of the endpoint's peer table.
    /// </summary>
    internal sealed class DeferredExchange
    {
        public bool Active;
        public int Generation;
        public bool Confirmable;
        /// <summary>Its separate CON response is still being retransmitted from the copy store: not reusable yet.</summary>
        public bool InFlight;
    }
}
