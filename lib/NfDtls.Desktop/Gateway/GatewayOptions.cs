using NfDtls.Crypto;
using NfDtls.Desktop.Mqtt;
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
    /// <summary>
    /// RFC 9146 Connection ID length the gateway issues to each node (4..32), 0 for none. On by default: a node behind
    /// a NAT whose address or port changes keeps its session (the gateway finds it by the CID and follows it to the
    /// new address) instead of paying for a new handshake. Nodes that do not offer the extension are served as before.
    /// </summary>
    public int ConnectionIdLength { get; set; } = DefaultConnectionIdLength;
    /// <summary>
    /// 4 bytes, the least the engine issues: two name the session's slot (masked), two tell it from the slot's earlier
    /// owners; each node record pays 5 bytes (the CID and the inner content type, RFC 9146 §4).
    /// </summary>
    public const int DefaultConnectionIdLength = 4;
    public ILog Log { get; set; } = NullLog.Instance;
    /// <summary>Debug captures only: session secrets in NSS key-log form.</summary>
    public IDtlsKeyLog? KeyLog { get; set; }
    /// <summary>Where accepted readings go, one <see cref="NodeReading"/> per measurement (memory, MQTT …), or null.</summary>
    public IReadingSink? Sink { get; set; }
    /// <summary>
    /// The per-node sequence windows. Pass the same instance to a restarted gateway (state kept across the restart,
    /// as a real one would persist it) so a sample the old one accepted, but whose ACK was lost, is not taken twice.
    /// Null: a fresh one.
    /// </summary>
    public ReadingDeduplicator? Deduplicator { get; set; }
    /// <summary>The wall-clock time of the gateway's millisecond clock value (readings are stamped with it). Default: now.</summary>
    public Func<long, DateTimeOffset>? TimeOf { get; set; }
}
