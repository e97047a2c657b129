namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// What one handshake of a suite keeps for itself between messages (an ephemeral scalar, the peer's keys, a
    /// certificate verifier): made once per pooled <see cref="DtlsHandshake"/> by <see cref="DtlsKeyExchange.CreateState"/>,
    /// wiped when the handshake goes back to the pool, so no handshake ever sees another's.
    /// </summary>
    public abstract class KeyExchangeState
    {
        /// <summary>Forgets everything (secrets zeroed): the next handshake starts clean.</summary>
        internal abstract void Wipe();
    }
}
