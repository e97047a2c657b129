namespace NfDtls.Gateway
{
    /// <summary>
    /// Where the gateway hands each accepted reading, exactly once per (node, sequence number): an MQTT publisher on a
    /// board or on desktop, a list in a test. Called on the thread driving the gateway, inside its receive path: an
    /// implementation returns at once (queue, never wait on a network), copies what it keeps (the reading is reused)
    /// and never throws for a reading it cannot take (it counts it).
    /// </summary>
    public interface IReadingUplink
    {
        void Accept(AcceptedReading reading);
    }
}
