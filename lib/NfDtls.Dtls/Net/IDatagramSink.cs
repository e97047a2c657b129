namespace NfDtls.Net
{
    /// <summary>
    /// Where a sans-IO engine puts the datagrams it wants sent. Called synchronously from inside the engine;
    /// the implementation must copy the bytes before returning (the engine reuses its buffer).
    /// Adapters send on a socket; the simulator queues a copy on its virtual network.
    /// </summary>
    public interface IDatagramSink
    {
        void Send(byte[] buffer, int offset, int count, PeerAddress destination);
    }
}
