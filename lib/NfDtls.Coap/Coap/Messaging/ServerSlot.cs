namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// A Confirmable message the server sends on its own — a separate response (RFC 7252 §5.2.2) or a CON
    /// notification (RFC 7641 §4.5) — until it is acknowledged. Its encoded bytes sit at the slot's place in the
    /// endpoint's copy store (MaxMessageSize each): a retransmission must repeat the message exactly (§4.2), and it
    /// cannot be written again (the handler's representation is gone, or has changed).
    /// </summary>
    internal sealed class ServerSlot : Confirmable
    {
        public const int OwnerNone = 0;
        public const int OwnerSeparate = 2;
        public const int OwnerNotification = 3;

        public int Length;
        public int Owner;
        public int OwnerIndex;
    }
}
