using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;

namespace NfDtls.Node
{
    /// <summary>The node's /readings: GET (or observe, RFC 7641) returns the latest sample as SenML JSON.</summary>
    internal sealed class NodeReadingsResource : CoapResource
    {
        private readonly SensorReading[] _latest = new SensorReading[SensorNode.MaxReadingsPerSample];
        private readonly ReadingPayload _writer;
        private int _count;
        private long _sequence = -1;

        public NodeReadingsResource(SensorNode node)
            : base("readings")
        {
            for (int i = 0; i < _latest.Length; i++)
            {
                _latest[i] = new SensorReading();
            }
            _writer = new ReadingPayload("self");
            Observable = true;
            ResourceType = "sensor";
            ContentFormat = CoapContentFormat.SenmlJson;
        }

        public void Latest(SensorReading[] sample, int count, long sequence)
        {
            for (int i = 0; i < count && i < _latest.Length; i++)
            {
                _latest[i].CopyFrom(sample[i]);
            }
            _count = count;
            _sequence = sequence;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            if (_sequence < 0)
            {
                response.Code = CoapCode.ServiceUnavailable; // nothing measured yet
                return;
            }
            int n = _writer.Write(_latest, _count, _sequence, response.PayloadSpace, 0, response.PayloadSpace.Length);
            if (n < 0)
            {
                response.Code = CoapCode.InternalServerError;
                return;
            }
            response.Code = CoapCode.Content;
            response.ContentFormat = CoapContentFormat.SenmlJson;
            response.Payload = response.PayloadSpace;
            response.PayloadOffset = 0;
            response.PayloadLength = n;
        }
    }
}
