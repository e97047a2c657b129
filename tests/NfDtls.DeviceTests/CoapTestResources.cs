using NfDtls.Coap.Message;
using NfDtls.Coap.Server;

namespace NfDtls.DeviceTests
{
    /// <summary>GET returns a fixed ASCII text.</summary>
    public sealed class TextResource : CoapResource
    {
        private readonly byte[] _body;

        public TextResource(string path, string text) : base(path)
        {
            _body = NfDtls.Vectors.VectorHex.Ascii(text);
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.SetPayload(_body, 0, _body.Length);
        }
    }

    /// <summary>GET returns <see cref="Length"/> bytes of a known pattern (larger than a block: sent block-wise, RFC 7959).</summary>
    public sealed class PatternResource : CoapResource
    {
        private readonly byte[] _body;

        public PatternResource(string path, int length) : base(path)
        {
            _body = new byte[length];
            for (int i = 0; i < length; i++)
            {
                _body[i] = At(i);
            }
        }

        public int Length { get { return _body.Length; } }

        /// <summary>GETs served (a block-wise transfer asks once per block).</summary>
        public int Gets;

        /// <summary>The pattern's byte at <paramref name="index"/>: no two neighbouring blocks look alike.</summary>
        public static byte At(int index)
        {
            return (byte)(index * 7 + index / 256 + 3);
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            Gets++;
            response.ContentFormat = CoapContentFormat.OctetStream;
            response.SetPayload(_body, 0, _body.Length);
        }
    }

    /// <summary>An observable counter (RFC 7641): GET returns its value as decimal text; <see cref="Increment"/> changes it.</summary>
    public sealed class CounterResource : CoapResource
    {
        private readonly byte[] _text = new byte[12];
        private int _value;

        public CounterResource(string path) : base(path)
        {
            Observable = true;
        }

        public void Increment()
        {
            _value++;
        }

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            string s = _value.ToString();
            for (int i = 0; i < s.Length; i++)
            {
                _text[i] = (byte)s[i];
            }
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.SetPayload(_text, 0, s.Length);
        }
    }
}
