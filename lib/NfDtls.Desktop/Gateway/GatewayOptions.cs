using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Dtls;

namespace NfDtls.Desktop.Gateway;

/// <summary>How a <see cref="SensorGateway"/> runs: crypto, randomness, how many sessions, diagnostics.</summary>
public sealed class GatewayOptions
{
    public ICryptoProvider Crypto { get; set; } = Desktop.Crypto.DesktopCryptoProvider.Instance;
    public IRandom? Random { get; set; }
    /// <summary>DTLS sessions held at once (one per node); also sizes CoAP's duplicate-detection table.</summary>
    public int SessionCapacity { get; set; } = 64;
    public ILog Log { get; set; } = NullLog.Instance;
    /// <summary>Debug captures only: session secrets in NSS key-log form.</summary>
    public IDtlsKeyLog? KeyLog { get; set; }
}
