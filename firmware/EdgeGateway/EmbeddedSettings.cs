namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>
    /// For a board without storage: paste the edge-gateway.settings that `nfdtls provision … --gateway-board B --mqtt
    /// HOST:PORT` wrote between the quotes. It holds secrets (PSKs, the gateway's private key): never commit it filled in.
    /// </summary>
    public static class EmbeddedSettings
    {
        public const string Text = "";
    }
}
