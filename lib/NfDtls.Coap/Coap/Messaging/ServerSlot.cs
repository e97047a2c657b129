namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// A Confirmable message the server sends on its own until it is acknowledged: a separate response (RFC 7252
    /// §5.2.2), kept as a copy in its deferred exchange's place of the endpoint's copy store (the application's
    /// representation is gone), or a CON notification (RFC 7641 §4.5), written again from its resource for each
    /// retransmission (nothing kept). Who it goes to is its owner's peer table row.
    /// </summary>
    internal sealed class ServerSlot : Confirmable
    {
        public const int OwnerNone = 0;
        public const int OwnerSeparate = 2;
        public const int OwnerNotification = 3;

        public int Owner;
        /// <summary>The deferred exchange or the observer.</summary>
        public int OwnerIndex;
        /// <summary>A separate response: the copy's length. A notification: its Observe number (-1: the final one).</summary>
        public int Value;
    }
}
