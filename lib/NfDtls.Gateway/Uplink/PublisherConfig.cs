namespace NfDtls.Uplink
{
    /// <summary>How a <see cref="ReadingPublisher"/> publishes: topic prefix, queue size, reconnect back-off, PUBACK wait.</summary>
    public sealed class PublisherConfig
    {
        /// <summary>Topics are &lt;prefix&gt;/&lt;node id&gt;/readings.</summary>
        public string TopicPrefix = "nfdtls";
        /// <summary>Messages held while the broker is away; beyond this the oldest are dropped (and counted).</summary>
        public int QueueCapacity = 256;
        /// <summary>Bytes of one message's payload (a one-record SenML pack is about 120).</summary>
        public int MaxPayload = 256;
        /// <summary>First wait before reconnecting; doubles per failure (with jitter) up to <see cref="RetryMaxMs"/>.</summary>
        public int RetryBaseMs = 1000;
        public int RetryMaxMs = 60000;
        /// <summary>A PUBACK not seen in this time counts the connection as broken: reconnect and publish again.</summary>
        public int AckTimeoutMs = 20000;
    }
}
