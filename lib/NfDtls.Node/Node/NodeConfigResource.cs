using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Text;

namespace NfDtls.Node
{
    /// <summary>
    /// The node's /config: GET returns "period=&lt;ms&gt;;confirmable=&lt;0|1&gt;" (text/plain); PUT takes
    /// "period=&lt;ms&gt;" (100 ms .. 1 day) and/or "confirmable=0|1", separated by ';' or '&amp;', and answers 2.04,
    /// or 4.00 when a field is malformed (nothing changes then).
    /// </summary>
    internal sealed class NodeConfigResource : CoapResource
    {
        private readonly SensorNode _node;

        public NodeConfigResource(SensorNode node)
            : base("config")
        {
            _node = node;
            ContentFormat = CoapContentFormat.TextPlain;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            byte[] b = response.PayloadSpace;
            int at = Ascii(b, 0, "period=");
            at += DecimalText.WriteInteger(_node.ReadingPeriodMs, b, at);
            at = Ascii(b, at, _node.Confirmable ? ";confirmable=1" : ";confirmable=0");
            response.Code = CoapCode.Content;
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.Payload = b;
            response.PayloadOffset = 0;
            response.PayloadLength = at;
        }

        protected override void OnPut(CoapRequest request, CoapResponse response)
        {
            byte[] p = request.Payload;
            int end = request.PayloadOffset + request.PayloadLength;
            int period = -1;
            int confirmable = -1;
            int start = request.PayloadOffset;
            while (start < end)
            {
                int stop = start;
                while (stop < end && p[stop] != (byte)';' && p[stop] != (byte)'&')
                {
                    stop++;
                }
                int eq = start;
                while (eq < stop && p[eq] != (byte)'=')
                {
                    eq++;
                }
                int value;
                if (eq == stop || !DecimalText.TryParseInteger(p, eq + 1, stop - eq - 1, out value))
                {
                    response.Code = CoapCode.BadRequest;
                    return;
                }
                if (Utf8Bytes.Equals("period", p, start, eq - start) && value >= 100 && value <= 86400000)
                {
                    period = value;
                }
                else if (Utf8Bytes.Equals("confirmable", p, start, eq - start) && (value == 0 || value == 1))
                {
                    confirmable = value;
                }
                else
                {
                    response.Code = CoapCode.BadRequest;
                    return;
                }
                start = stop + 1;
            }
            if (period < 0 && confirmable < 0)
            {
                response.Code = CoapCode.BadRequest;
                return;
            }
            if (period > 0)
            {
                _node.SetPeriod(period);
            }
            if (confirmable >= 0)
            {
                _node.SetConfirmable(confirmable == 1);
            }
            response.Code = CoapCode.Changed;
        }

        private static int Ascii(byte[] buffer, int at, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[at++] = (byte)text[i];
            }
            return at;
        }
    }
}
