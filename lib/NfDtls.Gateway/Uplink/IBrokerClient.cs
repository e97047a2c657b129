namespace NfDtls.Uplink
{
    /// <summary>
    /// The MQTT client a <see cref="ReadingPublisher"/> drives (nanoFramework.M2Mqtt on a board, a fake in tests). Calls
    /// come from the publisher's thread only and may block (a TCP connect); the client reports each publication's
    /// outcome through <see cref="ReadingPublisher.OnPublished"/>, from whatever thread it has.
    /// </summary>
    public interface IBrokerClient
    {
        bool IsConnected { get; }

        /// <summary>Opens the session (MQTT CONNECT, clean session); false when the broker cannot be reached or refused.</summary>
        bool Connect();

        /// <summary>
        /// Publishes <paramref name="payload"/> (exactly its length) on <paramref name="topic"/> with QoS 1 (MQTT 3.1.1
        /// §4.3.2: at least once, acknowledged by PUBACK). Returns the message id whose outcome will be reported, or -1
        /// when it could not be sent (the connection is gone).
        /// </summary>
        int Publish(string topic, byte[] payload);

        /// <summary>Drops the connection (after a lost acknowledgement: what was in flight is published again).</summary>
        void Disconnect();
    }
}
