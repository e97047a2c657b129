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
