namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// The few <see cref="DtlsHandshake"/>s an engine owns (<see cref="DtlsConfig.ConcurrentHandshakes"/>: by default 2
    /// on a server, 1 on a client), all allocated at construction. A session borrows one for the length of its
    /// handshake; established sessions hold none. When none is free a new handshake waits: the server does not answer
    /// its hello, and the client retransmits it (RFC 6347 §4.2.4). Which half-open handshake may make way is the
    /// engine's policy (<see cref="DtlsServer"/>); an established session is never touched for it.
    /// </summary>
    internal sealed class HandshakePool
    {
        private readonly DtlsHandshake[] _handshakes;

        public HandshakePool(DtlsContext context, int count, bool isClient)
        {
            _handshakes = new DtlsHandshake[count];
            for (int i = 0; i < count; i++)
            {
                _handshakes[i] = new DtlsHandshake(context, isClient);
            }
        }

        public int Count { get { return _handshakes.Length; } }

        /// <summary>Handshakes lent out right now.</summary>
        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _handshakes.Length; i++)
                {
                    if (_handshakes[i].InUse)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>A free handshake, or null when all are lent out.</summary>
        public DtlsHandshake Take()
        {
            for (int i = 0; i < _handshakes.Length; i++)
            {
                if (!_handshakes[i].InUse)
                {
                    return _handshakes[i];
                }
            }
            return null;
        }

        /// <summary>The lent-out handshake that started first (the one a server lets go first), or null.</summary>
        public DtlsHandshake Oldest()
        {
            DtlsHandshake oldest = null;
            for (int i = 0; i < _handshakes.Length; i++)
            {
                DtlsHandshake h = _handshakes[i];
                if (h.InUse && (oldest == null || h.StartedAtMs < oldest.StartedAtMs))
                {
                    oldest = h;
                }
            }
            return oldest;
        }

        /// <summary>A session is done with its handshake: wiped, it is free for the next.</summary>
        public void Return(DtlsHandshake handshake)
        {
            handshake.Wipe();
        }
    }
}
