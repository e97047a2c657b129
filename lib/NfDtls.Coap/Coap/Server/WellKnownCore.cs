using NfDtls.Coap.Message;

namespace NfDtls.Coap.Server
{
    /// <summary>/.well-known/core (RFC 6690 §4): the link-format list of the endpoint's resources, filtered by one ?attr=value query.</summary>
    internal sealed class WellKnownCore : CoapResource
    {
        private readonly CoapEndpoint _endpoint;

        public WellKnownCore(CoapEndpoint endpoint) : base(".well-known/core")
        {
            _endpoint = endpoint;
            Hidden = true;
            ContentFormat = CoapContentFormat.LinkFormat;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            int accept = request.Accept;
            if (accept >= 0 && accept != CoapContentFormat.LinkFormat)
            {
                response.Code = CoapCode.NotAcceptable;
                return;
            }
            byte[] filter = null;
            int at = 0;
            int length = 0;
            CoapMessage m = request.Message;
            int q = m == null ? -1 : m.FindOption(CoapOption.UriQuery, 0);
            if (q >= 0)
            {
                filter = m.OptionData;
                at = m.OptionOffset(q);
                length = m.OptionLength(q);
            }
            int n = _endpoint.WriteDiscovery(filter, at, length);
            if (n < 0)
            {
                response.Code = CoapCode.InternalServerError;
                return;
            }
            response.Code = CoapCode.Content;
            response.ContentFormat = CoapContentFormat.LinkFormat;
            response.SetPayload(_endpoint.DiscoveryBuffer, 0, n);
        }
    }
}
