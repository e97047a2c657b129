namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// The retransmission state of one Confirmable message in flight (RFC 7252 §4.2): its message ID and the
    /// exponential back-off. The bytes are not kept here: a client exchange writes its request again from the request
    /// it holds, a server transmission keeps a copy in the endpoint's one store (<see cref="ServerSlot"/>).
    /// </summary>
    internal class Confirmable
    {
        public int MessageId;
        public bool Active;
        public long Deadline = long.MaxValue;
        public int TimeoutMs;
        public int Retransmits;

        public void Stop()
        {
            Active = false;
            Deadline = long.MaxValue;
        }
    }
}
