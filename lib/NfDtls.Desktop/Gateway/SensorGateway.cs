using System.Text;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Config;
using NfDtls.Crypto.P256;
using NfDtls.Crypto;
using NfDtls.Desktop.Mqtt;
using NfDtls.Desktop.Provisioning;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Pki;

namespace NfDtls.Desktop.Gateway;

/// <summary>
/// The gateway the sensor nodes push to: a DTLS server authenticating each node from <see cref="GatewayCredentials"/>
/// (PSK identities; raw public keys of rpk nodes, RFC 7250; certificates of x509 nodes chained to the fleet CA, the node
/// named by its certificate's key), a CoAP server on top with POST
/// /readings taking SenML JSON (RFC 8428, Content-Format 110), and per-node de-duplication so the application sees
/// each sample once. Accepted readings go to the <see cref="GatewayOptions.Sink"/> (one <see cref="NodeReading"/> per
/// measurement: memory, MQTT …) and to <see cref="ReadingAccepted"/>; refused identities to <see cref="IdentityRefused"/>. Sans-IO: the UDP host or the simulator's network drives it.
/// </summary>
public sealed class SensorGateway : IDatagramEndpoint, IDtlsEvents
{
    private readonly GatewayCredentials _credentials;
    private readonly DtlsServer _dtls;
    private readonly CoapEndpoint _coap;
    private readonly SessionSink _coapSink;
    private readonly ReadingDeduplicator _dedup;
    // By session, not by address: a session whose node moved (RFC 9146 §6, a NAT rebinding) stays the same node.
    private readonly Dictionary<DtlsSession, string> _nodeBySession = new(ReferenceEqualityComparer.Instance);
    private readonly SortedDictionary<string, long> _refused = new(StringComparer.Ordinal);
    private readonly IReadingSink? _sink;
    private readonly Func<long, DateTimeOffset> _timeOf;

    public SensorGateway(GatewayCredentials credentials, GatewayOptions options, IDatagramSink sink)
    {
        _credentials = credentials;
        _sink = options.Sink;
        _dedup = options.Deduplicator ?? new ReadingDeduplicator();
        _timeOf = options.TimeOf ?? (_ => DateTimeOffset.UtcNow);
        IRandom random = options.Random ?? new HmacDrbg(Desktop.Crypto.DesktopEntropySource.Instance);
        var dtlsConfig = new DtlsConfig
        {
            Crypto = options.Crypto,
            Random = random,
            Log = options.Log,
            KeyLog = options.KeyLog,
            SessionCapacity = options.SessionCapacity,
            ConnectionIdLength = options.ConnectionIdLength,
        };
        ConfigureEcdhe(credentials, dtlsConfig, new GatewayWallClock(this));
        _dtls = new DtlsServer(dtlsConfig, sink, new CredentialStore(this), this);
        var coapConfig = new CoapConfig
        {
            Random = random,
            Log = options.Log,
            MaxMessageSize = dtlsConfig.MaxRecordPlaintext,
            // Duplicate detection (RFC 7252 §4.5): the engine's table is searched linearly per message, so it is
            // bounded; a retransmission that outlives its entry is still caught by the per-node sequence check.
            DedupCapacity = Math.Clamp(options.SessionCapacity * 2, 16, 512),
            ResponseCacheCapacity = Math.Max(2, options.SessionCapacity),
            ServerTransmitCapacity = Math.Max(2, options.SessionCapacity / 4),
            PendingCapacity = 4,
        };
        _coapSink = new SessionSink(_dtls);
        _coap = new CoapEndpoint(coapConfig, _coapSink);
        _coap.AddResource(new ReadingsResource(this));
    }

    /// <summary>A new sample arrived (after de-duplication). Called on the thread driving the gateway.</summary>
    public Action<GatewayReading>? ReadingAccepted { get; set; }

    /// <summary>
    /// A node was refused: a PSK identity the credentials do not hold (unknown_psk_identity), a certificate or raw key
    /// the gateway does not accept (text "certificate refused (why, alert)"), or a fleet certificate of an unlisted node.
    /// </summary>
    public Action<string>? IdentityRefused { get; set; }

    public long HandshakesCompleted { get; private set; }
    public long ReadingsAccepted { get; private set; }
    public long ReadingsDuplicate => _dedup.Suppressed;
    public long ReadingsMalformed { get; private set; }
    public long RefusedHandshakes { get; private set; }
    public IReadOnlyDictionary<string, long> RefusedIdentities => _refused;
    public int SessionCount => _dtls.SessionCount;
    public int SessionCapacity => _dtls.Capacity;
    public DtlsServer Dtls => _dtls;
    public CoapEndpoint Coap => _coap;

    public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
    {
        _coapSink.NowMs = nowMs;
        _dtls.Receive(buffer, offset, count, from, nowMs);
    }

    public void Tick(long nowMs)
    {
        _coapSink.NowMs = nowMs;
        if (_dtls.NextDeadline <= nowMs)
        {
            _dtls.Tick(nowMs);
        }
        if (_coap.NextDeadline <= nowMs)
        {
            _coap.Tick(nowMs);
        }
    }

    public long NextDeadline => Math.Min(_dtls.NextDeadline, _coap.NextDeadline);

    /// <summary>
    /// Sends a CoAP request to a connected node over its DTLS session (e.g. PUT /config, or GET /readings with
    /// Observe): the node serves CoAP too. Returns the exchange handle, -1 when no slot is free.
    /// </summary>
    public int Request(CoapMessage request, PeerAddress node, ICoapResponseHandler handler, long nowMs)
    {
        _coapSink.NowMs = nowMs;
        return _coap.Request(request, node, handler, nowMs);
    }

    /// <summary>The address of the node with this id while it has a session, or null.</summary>
    public PeerAddress? PeerOf(string nodeId)
    {
        foreach (var (session, id) in _nodeBySession)
        {
            if (id == nodeId && session.IsConnected)
            {
                return session.Peer;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- IDtlsEvents

    public void OnConnected(DtlsSession session)
    {
        HandshakesCompleted++;
        GatewayNodeCredential? credential;
        if (session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8)
        {
            // Raw public key: the node is whoever holds the key it proved (the engine checked it is allowed).
            var kx = _dtls.Context.FindKeyExchange(session.CipherSuite) as EcdheEcdsaKeyExchange;
            byte[] key = new byte[65];
            credential = kx != null && kx.TryGetPeerKey(session, key, 0) ? _credentials.FindByPublicKey(key) : null;
        }
        else
        {
            credential = _credentials.FindByPskIdentity(session.PskIdentity, 0, session.PskIdentityLength);
        }
        if (credential == null && session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8)
        {
            // A certificate from the fleet CA that gateway.json does not list (or one node's key in another
            // kind of credential): authenticated, but not a node of ours; its requests get 4.01.
            Refuse("certificate of an unlisted node");
            return;
        }
        _nodeBySession[session] = credential?.Id ?? session.PskIdentityText();
    }

    public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) =>
        _coap.Receive(buffer, offset, count, session.Peer, _coapSink.NowMs);

    public void OnAlert(DtlsSession session, int level, int description)
    {
    }

    public void OnClosed(DtlsSession session)
    {
        _nodeBySession.Remove(session);
        if (session.State == DtlsSessionState.Failed && session.Failure == DtlsFailure.LocalAlert
            && session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && IsCredentialAlert(session.AlertDescription))
        {
            // We refused the node's certificate or raw key (RFC 5246 §7.2.2): another CA, expired, not on the list …
            var kx = _dtls.Context.FindKeyExchange(session.CipherSuite) as EcdheEcdsaKeyExchange;
            Refuse("certificate refused (" + CertificateErrorName(kx?.LastCertificateError ?? CertificateError.None)
                   + ", alert " + NfDtls.Dtls.Handshake.AlertDescription.Name(session.AlertDescription) + ")");
        }
    }

    // RFC 5246 §7.2.2: bad_certificate 42 … unknown_ca 48, and handshake_failure 40 for a missing client certificate.
    private static bool IsCredentialAlert(int alert) => alert == 40 || (alert >= 42 && alert <= 46) || alert == 48;

    private static string CertificateErrorName(int error) =>
        error == CertificateError.None ? "no certificate" : CertificateError.Name(error);

    // ---------------------------------------------------------------- /readings

    private void Accept(CoapRequest request, CoapResponse response)
    {
        // The session the request came on, found by its (current) address: after a move the address is the new one.
        if (_dtls.FindSession(request.Peer) is not { IsConnected: true } session || !_nodeBySession.TryGetValue(session, out string? node))
        {
            response.Code = CoapCode.Unauthorized;
            return;
        }
        if (request.ContentFormat != CoapContentFormat.SenmlJson)
        {
            response.Code = CoapCode.UnsupportedContentFormat;
            return;
        }
        if (!SenmlJsonReader.TryRead(request.Payload, request.PayloadOffset, request.PayloadLength, out var measurements, out long sequence, out string baseName))
        {
            ReadingsMalformed++;
            response.Code = CoapCode.BadRequest;
            return;
        }
        // A resent sample is acknowledged again (the node must stop resending) but not handed on twice.
        response.Code = CoapCode.Changed;
        if (sequence >= 0 && !_dedup.FirstTime(node, sequence))
        {
            return;
        }
        ReadingsAccepted++;
        long now = _coapSink.NowMs;
        if (_sink != null)
        {
            DateTimeOffset time = _timeOf(now);
            foreach (var m in measurements)
            {
                _sink.Accept(new NodeReading(node, m.Name, m.Unit, m.Value, time, sequence));
            }
        }
        ReadingAccepted?.Invoke(new GatewayReading(node, sequence, now, baseName, measurements));
    }

    private void Refuse(string text)
    {
        RefusedHandshakes++;
        _refused[text] = _refused.TryGetValue(text, out long n) ? n + 1 : 1;
        IdentityRefused?.Invoke(text);
    }

    private void Refuse(byte[] identity, int offset, int count)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(identity, offset, count);
        }
        catch (ArgumentException)
        {
            text = "0x" + Convert.ToHexString(identity, offset, count).ToLowerInvariant();
        }
        Refuse(text);
    }

    private sealed class ReadingsResource : CoapResource
    {
        private readonly SensorGateway _gateway;

        public ReadingsResource(SensorGateway gateway)
            : base("readings")
        {
            _gateway = gateway;
            ResourceType = "senml-collector";
            ContentFormat = CoapContentFormat.SenmlJson;
        }

        protected override void OnPost(CoapRequest request, CoapResponse response) => _gateway.Accept(request, response);

        protected override void OnPut(CoapRequest request, CoapResponse response) => _gateway.Accept(request, response);
    }

    /// <summary>
    /// With a gateway key pair and rpk or x509 nodes in the credentials, also offers TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
    /// (RFC 7925 §4.4) with mutual authentication: raw public keys (RFC 7250) that must be one of the rpk nodes', and
    /// the gateway's CA-signed certificate to x509 nodes, whose own chain must end at the fleet CA. Which node an x509
    /// client is, is then read from its certificate's key (<see cref="OnConnected"/>).
    /// </summary>
    private static void ConfigureEcdhe(GatewayCredentials credentials, DtlsConfig config, IWallClock clock)
    {
        var rpk = credentials.Nodes.Where(n => n.Security == NodeSettings.SecurityRpk && n.PublicKey is { Length: 65 }).ToArray();
        bool x509 = credentials.Nodes.Any(n => n.Security == NodeSettings.SecurityX509)
            && credentials.Certificate != null && credentials.CaCertificate != null;
        if ((rpk.Length == 0 && !x509) || credentials.PrivateKey == null)
        {
            return;
        }
        var ecdhe = new EcdheCredentials
        {
            PrivateKey = credentials.PrivateKey,
            RequestClientCertificate = true,
            RequireClientCertificate = true,
        };
        if (rpk.Length > 0)
        {
            var allowed = new RpkAllowList(rpk.Length);
            foreach (var n in rpk)
            {
                byte[] spki = new byte[P256Spki.Length];
                P256Spki.Encode(n.PublicKey!, 0, spki, 0);
                allowed.AddSpki(spki, 0, spki.Length);
            }
            ecdhe.RawPublicKeys = true;
            ecdhe.TrustedKeys = allowed;
        }
        if (x509)
        {
            ecdhe.CertificateChain = new[] { credentials.Certificate! };
            ecdhe.TrustAnchors = new TrustAnchorStore(1);
            int error = ecdhe.TrustAnchors.AddCertificate(credentials.CaCertificate!, 0, credentials.CaCertificate!.Length);
            if (error != CertificateError.None)
            {
                throw new GatewayCredentialsException("ca.certificate", "is not a usable P-256 CA certificate (" + error + ")");
            }
            ecdhe.Clock = clock;
        }
        config.CipherSuites = new[] { CipherSuite.TlsPskWithAes128Ccm8, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
        config.Ecdhe = ecdhe;
    }

    /// <summary>Calendar time for certificate validity: the gateway's clock value through <see cref="GatewayOptions.TimeOf"/>.</summary>
    private sealed class GatewayWallClock(SensorGateway gateway) : IWallClock
    {
        public long UnixSeconds => gateway._timeOf(gateway._coapSink.NowMs).ToUnixTimeSeconds();
    }

    /// <summary>PSK identities from the credentials file; a miss is reported as a refused identity.</summary>
    private sealed class CredentialStore(SensorGateway gateway) : IPskStore
    {
        public bool TryGetKey(byte[] identity, int offset, int count, byte[] keyOut, out int keyLength)
        {
            var node = gateway._credentials.FindByPskIdentity(identity, offset, count);
            if (node?.PskKey is not { } key || key.Length > keyOut.Length)
            {
                keyLength = 0;
                gateway.Refuse(identity, offset, count);
                return false;
            }
            Array.Copy(key, keyOut, key.Length);
            keyLength = key.Length;
            return true;
        }
    }

    /// <summary>CoAP's datagrams go to the peer's DTLS session as application records.</summary>
    private sealed class SessionSink(DtlsServer dtls) : IDatagramSink
    {
        public long NowMs;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) =>
            dtls.Send(destination, buffer, offset, count, NowMs);
    }
}
