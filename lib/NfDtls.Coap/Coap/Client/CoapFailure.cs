namespace NfDtls.Coap.Client
{
    /// <summary>Why a client exchange ended without a response.</summary>
    public static class CoapFailure
    {
        /// <summary>MAX_RETRANSMIT reached without an ACK, or no response within the response timeout.</summary>
        public const int Timeout = 1;
        /// <summary>The peer answered with a Reset (§4.2).</summary>
        public const int Reset = 2;
        /// <summary>No block reassembly buffer was free, or the body was larger than one.</summary>
        public const int NoBuffer = 3;
        /// <summary>The exchange was cancelled by the application.</summary>
        public const int Cancelled = 4;
        /// <summary>The request did not encode into MaxMessageSize / the option tables.</summary>
        public const int TooLarge = 5;
        /// <summary>A block arrived out of sequence (RFC 7959 §2.4).</summary>
        public const int BlockMismatch = 6;

        public static string ToText(int reason)
        {
            switch (reason)
            {
                case Timeout: return "timeout";
                case Reset: return "reset by peer";
                case NoBuffer: return "no block buffer";
                case Cancelled: return "cancelled";
                case TooLarge: return "request too large";
                case BlockMismatch: return "block mismatch";
                default: return "failure";
            }
        }
    }
}
