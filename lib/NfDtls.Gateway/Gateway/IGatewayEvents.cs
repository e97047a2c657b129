namespace NfDtls.Gateway
{
    /// <summary>What a gateway host may want to hear besides readings (diagnostics, a refusal list).</summary>
    public interface IGatewayEvents
    {
        /// <summary>A node was authenticated and is known: its requests are served from now on.</summary>
        void OnNodeConnected(NodeCredential node);

        /// <summary>
        /// A handshake or a node was refused: a PSK identity the table does not hold (the identity as text), a
        /// certificate or raw key the DTLS engine refused ("certificate refused (why, alert name)"), an authenticated
        /// key of no listed node, or a listed node using another kind of credential than its own.
        /// </summary>
        void OnRefused(string why);
    }
}
