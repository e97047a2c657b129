using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;

namespace NfDtls.Node
{
    /// <summary>
    /// The node's /readings: GET (or observe, RFC 7641) returns the latest sample as SenML JSON, read from the node's
    /// backlog (which keeps the newest sample after the gateway acknowledged it) with the node's own pack writer.
    /// </summary>
    internal sealed class NodeReadingsResource : CoapResource
    {
        private readonly ReadingBacklog _samples;
        private readonly ReadingPayload _writer;

        public NodeReadingsResource(ReadingBacklog samples, ReadingPayload writer)
            : base("readings")
        {
            _samples = samples;
            _writer = writer;
            Observable = true;
            ResourceType = "sensor";
            ContentFormat = CoapContentFormat.SenmlJson;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            int slot = _samples.NewestSlot;
            if (slot < 0)
            {
                response.Code = CoapCode.ServiceUnavailable; // nothing measured yet
                return;
            }
            int n = _writer.Write(_samples, slot, response.PayloadSpace, 0, response.PayloadSpace.Length);
            if (n < 0)
            {
                response.Code = CoapCode.InternalServerError;
                return;
            }
            response.Code = CoapCode.Content;
            response.ContentFormat = CoapContentFormat.SenmlJson;
            response.SetPayload(response.PayloadSpace, 0, n);
        }
    }
}
