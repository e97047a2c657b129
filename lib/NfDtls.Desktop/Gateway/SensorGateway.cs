using NfDtls.Coap;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Mqtt;
using NfDtls.Desktop.Provisioning;
using NfDtls.Dtls;
using NfDtls.Gateway;
using NfDtls.Net;
using NfDtls.Pki;

namespace NfDtls.Desktop.Gateway;

/// <summary>
/// The desktop host of the portable gateway core (<see cref="GatewayEndpoint"/>, lib/NfDtls.Gateway, the same code an
/// edge-gateway board runs): it turns the provisioning tool's <see cref="GatewayCredentials"/> into the core's node
/// table, hands accepted readings to the <see cref="GatewayOptions.Sink"/> (one <see cref="NodeReading"/> per
/// measurement: memory, MQTT …) and to <see cref="ReadingAccepted"/>, refusals to <see cref="IdentityRefused"/>, and
/// gives the calendar time for certificate checks. Sans-IO: the UDP host or the simulator's network drives it.
/// </summary>
public sealed class SensorGateway : IDatagramEndpoint
{
    private readonly GatewayEndpoint _core;
    private readonly Host _host;
    private readonly SortedDictionary<string, long> _refused = new(StringComparer.Ordinal);

    public SensorGateway(GatewayCredentials credentials, GatewayOptions options, IDatagramSink sink)
    {
        var timeOf = options.TimeOf ?? (_ => DateTimeOffset.UtcNow);
        _host = new Host(this, options.Sink, timeOf);
        var config = new GatewayConfig
        {
            Crypto = options.Crypto,
            Random = options.Random ?? new HmacDrbg(Desktop.Crypto.DesktopEntropySource.Instance),
            Log = options.Log,
            KeyLog = options.KeyLog,
            SessionCapacity = options.SessionCapacity,
            SessionCacheSize = options.SessionCacheSize,
            SessionTickets = options.SessionTickets,
            ConnectionIdLength = options.ConnectionIdLength,
            // A fleet boots together: a quarter of the table may handshake at once (pooled, a few KB each).
            ConcurrentHandshakes = Math.Max(2, options.SessionCapacity / 4),
            PrivateKey = credentials.PrivateKey,
            Certificate = credentials.Certificate,
            CaCertificate = credentials.CaCertificate,
            Clock = _host,
            Deduplicator = options.Deduplicator,
        };
        try
        {
            _core = new GatewayEndpoint(config, NodeTableOf(credentials), _host, _host, sink);
        }
        catch (ArgumentException e) when (credentials.CaCertificate != null && e.Message.Contains("CaCertificate", StringComparison.Ordinal))
        {
            throw new GatewayCredentialsException("ca.certificate", "is not a usable P-256 CA certificate (" + e.Message + ")");
        }
    }

    /// <summary>The core's node table from gateway.json: PSK identities as their UTF-8 bytes (RFC 4279 §2), keys as points.</summary>
    public static NodeTable NodeTableOf(GatewayCredentials credentials)
    {
        var table = new NodeTable(Math.Max(1, credentials.Nodes.Count));
        foreach (var n in credentials.Nodes)
        {
            var node = n.Security == NodeSettings.SecurityPsk
                ? NodeCredential.Psk(n.Id, SettingsText.ToUtf8(n.PskIdentity ?? ""), n.PskKey ?? Array.Empty<byte>())
                : new NodeCredential(n.Id, n.Security) { PublicKey = n.PublicKey };
            string? problem = table.Add(node);
            if (problem != null)
            {
                throw new GatewayCredentialsException("nodes", problem);
            }
        }
        return table;
    }

    /// <summary>A new sample arrived (after de-duplication). Called on the thread driving the gateway.</summary>
    public Action<GatewayReading>? ReadingAccepted { get; set; }

    /// <summary>
    /// A node was refused: a PSK identity the credentials do not hold, a certificate or raw key the gateway does not
    /// accept (text "certificate refused (why, alert)"), a fleet certificate of an unlisted node, or a listed node that
    /// used another kind of credential than its own.
    /// </summary>
    public Action<string>? IdentityRefused { get; set; }

    public GatewayEndpoint Core => _core;
    public long HandshakesCompleted => _core.HandshakesCompleted;
    public long ReadingsAccepted => _core.ReadingsAccepted;
    public long ReadingsDuplicate => _core.ReadingsDuplicate;
    public long ReadingsMalformed => _core.ReadingsMalformed;
    public long RefusedHandshakes => _core.RefusedHandshakes;
    public IReadOnlyDictionary<string, long> RefusedIdentities => _refused;
    public int SessionCount => _core.SessionCount;
    public int SessionCapacity => _core.SessionCapacity;
    public DtlsServer Dtls => _core.Dtls;
    public CoapEndpoint Coap => _core.Coap;

    public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
    {
        _host.NowMs = nowMs;
        _core.Receive(buffer, offset, count, from, nowMs);
    }

    public void Tick(long nowMs)
    {
        _host.NowMs = nowMs;
        _core.Tick(nowMs);
    }

    public long NextDeadline => _core.NextDeadline;

    /// <summary>
    /// Sends a CoAP request to a connected node over its DTLS session (e.g. PUT /config, or GET /readings with
    /// Observe): the node serves CoAP too. Returns the exchange handle, -1 when no slot is free.
    /// </summary>
    public int Request(CoapMessage request, PeerAddress node, ICoapResponseHandler handler, long nowMs)
    {
        _host.NowMs = nowMs;
        return _core.Request(request, node, handler, nowMs);
    }

    /// <summary>The address of the node with this id while it has a session, or null.</summary>
    public PeerAddress? PeerOf(string nodeId) => _core.PeerOf(nodeId);

    /// <summary>The core's uplink, events and wall clock, in desktop terms.</summary>
    private sealed class Host(SensorGateway gateway, IReadingSink? sink, Func<long, DateTimeOffset> timeOf) : IReadingUplink, IGatewayEvents, IWallClock
    {
        public long NowMs;

        public long UnixSeconds => timeOf(NowMs).ToUnixTimeSeconds();

        public void Accept(AcceptedReading reading)
        {
            var measurements = new GatewayMeasurement[reading.Count];
            for (int i = 0; i < reading.Count; i++)
            {
                measurements[i] = new GatewayMeasurement(reading.Name(i), reading.Unit(i), reading.Value(i));
            }
            if (sink != null)
            {
                DateTimeOffset time = timeOf(reading.ReceivedAtMs);
                foreach (var m in measurements)
                {
                    sink.Accept(new NodeReading(reading.NodeId, m.Name, m.Unit, m.Value, time, reading.Sequence));
                }
            }
            gateway.ReadingAccepted?.Invoke(new GatewayReading(reading.NodeId, reading.Sequence, reading.ReceivedAtMs, reading.BaseName, measurements));
        }

        public void OnNodeConnected(NodeCredential node)
        {
        }

        public void OnRefused(string why)
        {
            gateway._refused[why] = gateway._refused.TryGetValue(why, out long n) ? n + 1 : 1;
            gateway.IdentityRefused?.Invoke(why);
        }
    }
}
