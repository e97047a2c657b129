using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;

namespace NfDtls.Coap.Client
{
    /// <summary>
    /// One client request in progress (RFC 7252 §5.3.2 token matching), including its block-wise steps
    /// (RFC 7959) and, for an observation (RFC 7641), the notifications that follow. Its peer is a row of the
    /// endpoint's <see cref="PeerTable"/>; its token is the one in <see cref="Request"/>. The request's bytes are not
    /// kept: each send (and each retransmission, §4.2) writes them again from <see cref="Request"/> and the block
    /// state, straight into the space the connector lends.
    /// </summary>
    internal sealed class ClientExchange : Confirmable
    {
        public const int Free = 0;
        public const int Queued = 1;
        /// <summary>Sent; a CON waits for its ACK, a NON for its response.</summary>
        public const int Sending = 2;
        /// <summary>Empty ACK received; waiting for the separate response (§5.2.2).</summary>
        public const int Waiting = 3;
        /// <summary>Registered observation: notifications flow, NSTART no longer counts it.</summary>
        public const int Observing = 4;

        public int State;
        public int Generation;
        public int Sequence;
        public ICoapResponseHandler Handler;
        /// <summary>Writes the body at each send instead of Request's payload (null: the payload).</summary>
        public ICoapBodyWriter Body;
        /// <summary>The request as the application gave it (token set, Block1/Block2 options as negotiated).</summary>
        public readonly CoapMessage Request;
        public long ResponseDeadline = long.MaxValue;

        // RFC 7959 Block1: bytes of the request body already acknowledged and the block size in use.
        public bool Block1Active;
        public int Block1Offset;
        public int Block1Szx;
        // RFC 7959 Block2: reassembly.
        public int Block2Szx;
        public int Block2Next;
        public int AssemblyIndex = -1;
        public int AssemblyLength;
        public long PendingObserve = -1;
        // RFC 7641 client side.
        public bool IsObserve;
        public bool HasSequence;
        public int LastSequence;
        public long LastSequenceAt;
        public bool Deregistering;

        public ClientExchange(CoapConfig config)
        {
            Request = new CoapMessage(config.MaxOptions, config.OptionBytes);
        }

        public bool Outstanding
        {
            get { return State == Sending || State == Waiting; }
        }
    }
}
