using NfDtls.Crypto;
using NfDtls.Desktop.Mqtt;
using NfDtls.Diagnostics;
using NfDtls.Dtls;

namespace NfDtls.Desktop.Gateway;

/// <summary>How a <see cref="SensorGateway"/> runs: crypto, randomness, how many sessions, diagnostics, where readings go.</summary>
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
    /// <summary>The portable core's default (<see cref="NfDtls.Gateway.GatewayConfig.DefaultConnectionIdLength"/>): 4 bytes.</summary>
    public const int DefaultConnectionIdLength = NfDtls.Gateway.GatewayConfig.DefaultConnectionIdLength;
    public ILog Log { get; set; } = NullLog.Instance;
    /// <summary>Session resumption by session ID: cache entries (RFC 5246 §7.3); on by default on a desktop gateway.</summary>
    public int SessionCacheSize { get; set; } = 256;
    /// <summary>Session resumption with RFC 5077 tickets; on by default (ticket keys: <c>Dtls.SaveTicketKeys</c>/<c>LoadTicketKeys</c>).</summary>
    public bool SessionTickets { get; set; } = true;
    /// <summary>Debug captures only: session secrets in NSS key-log form.</summary>
    public IDtlsKeyLog? KeyLog { get; set; }
    /// <summary>Where accepted readings go, one <see cref="NodeReading"/> per measurement (memory, MQTT …), or null.</summary>
    public IReadingSink? Sink { get; set; }
    /// <summary>
    /// The per-node sequence windows. Pass the same instance to a restarted gateway (state kept across the restart,
    /// as a real one would persist it) so a sample the old one accepted, but whose ACK was lost, is not taken twice.
    /// Null: a fresh one.
    /// </summary>
    public NfDtls.Gateway.ReadingDeduplicator? Deduplicator { get; set; }
    /// <summary>The wall-clock time of the gateway's millisecond clock value (readings are stamped with it). Default: now.</summary>
    public Func<long, DateTimeOffset>? TimeOf { get; set; }
}
