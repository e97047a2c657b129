using NfDtls.Coap.Message;

namespace NfDtls.Coap.Client
{
    /// <summary>
    /// What a client request reports back. Called from inside <see cref="CoapEndpoint.OnMessage"/> or
    /// <see cref="CoapEndpoint.Tick"/>; the message and its payload are only valid during the call.
    /// </summary>
    public interface ICoapResponseHandler
    {
        /// <summary>A response (block-wise bodies already reassembled), or one notification of an observation.</summary>
        void OnResponse(int exchange, CoapMessage response, long nowMs);

        /// <summary>The exchange ended without a response; <paramref name="reason"/> is a <see cref="CoapFailure"/> value.</summary>
        void OnFailure(int exchange, int reason, long nowMs);
    }
}
