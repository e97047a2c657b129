namespace NfDtls.Senml
{
    /// <summary>SenML representations (RFC 8428 §5, §6) and their CoAP Content-Format numbers (§12.3).</summary>
    public static class SenmlFormat
    {
        public const int Json = 110;
        public const int Cbor = 112;
    }
}
