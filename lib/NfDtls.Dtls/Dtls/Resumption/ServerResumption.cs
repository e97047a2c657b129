namespace NfDtls.Dtls.Resumption
{
    /// <summary>
    /// What a server resumes sessions with (RFC 5246 §7.3, RFC 5077), made only when configured: the session-ID cache
    /// (<see cref="DtlsConfig.SessionCacheSize"/>), the ticket keys (<see cref="DtlsConfig.SessionTickets"/>) and one
    /// scratch buffer for a record or a ticket's plaintext, wiped after each use.
    /// </summary>
    internal sealed class ServerResumption
    {
        public readonly SessionCache Cache;
        public readonly TicketKeyRing Tickets;
        public readonly byte[] Scratch;

        public ServerResumption(DtlsConfig config)
        {
            if (config.SessionCacheSize > 0)
            {
                Cache = new SessionCache(config.SessionCacheSize, ResumptionRecord.MaxLength(config), config.SessionLifetimeSeconds);
            }
            if (config.SessionTickets)
            {
                Tickets = new TicketKeyRing(config.Crypto, config.Random, config.TicketKeyRotationSeconds, config.SessionLifetimeSeconds);
            }
            Scratch = new byte[TicketKeyRing.Overhead + ResumptionRecord.MaxLength(config)];
        }
    }
}
