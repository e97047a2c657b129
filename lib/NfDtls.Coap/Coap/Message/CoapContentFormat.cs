using NfDtls.Coap.Server;

namespace NfDtls.Coap.Message
{
    /// <summary>Content-Format numbers (RFC 7252 §12.3, RFC 8428 §12.3) this stack names.</summary>
    public static class CoapContentFormat
    {
        public const int None = -1;
        public const int TextPlain = 0;
        public const int LinkFormat = 40;
        public const int Xml = 41;
        public const int OctetStream = 42;
        public const int Json = 50;
        public const int Cbor = 60;
        public const int SenmlJson = 110;
        public const int SenmlCbor = 112;
    }
}
