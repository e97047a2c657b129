namespace NfDtls.Net
{
    /// <summary>
    /// The sans-IO contract every engine (DTLS, CoAP, a node application) offers its host: datagrams and time in,
    /// a next deadline out. Hosts are the UDP socket loop (desktop, device) and the simulator's virtual network;
    /// outgoing datagrams leave through the <see cref="IDatagramSink"/> the host hands the engine.
    /// </summary>
    public interface IDatagramEndpoint
    {
        /// <summary>A datagram arrived from <paramref name="from"/>. The buffer is only valid during the call.</summary>
        void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs);

        /// <summary>The deadline has come (or passed): retransmit, expire, send what is due.</summary>
        void Tick(long nowMs);

        /// <summary>The next time (ms) the endpoint wants <see cref="Tick"/>; <see cref="long.MaxValue"/> for none.</summary>
        long NextDeadline { get; }
    }
}
