using NfDtls.Coap;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Secure;
using NfDtls.Coap.Server;
using NfDtls.Config;
using NfDtls.Crypto.P256;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Pki;
using NfDtls.Senml;

namespace NfDtls.Gateway
{
    /// <summary>
    /// The gateway the sensor nodes push to, the same on a board and on desktop: a DTLS server authenticating each node
    /// from a <see cref="NodeTable"/> (PSK identities, RFC 4279; raw public keys, RFC 7250; certificates chained to the
    /// fleet CA, the node named by its certificate's key) and checking that it used the kind of credential listed for
    /// it; a CoAP server on top whose /readings takes SenML JSON (RFC 8428, Content-Format 110) by POST or PUT; and
    /// per-node de-duplication by sequence number, so the <see cref="IReadingUplink"/> sees each sample once.
    /// Sans-IO: datagrams and time in, datagrams out through the sink; the UDP host, the board or the simulator drives it.
    /// CoAP meets DTLS at the one seam (<see cref="IMessageConnector"/>): a request is read where its record was
    /// decrypted and the reply written where it is sealed. Which node a request comes from is its DTLS session's (the
    /// session's Tag), so it follows a node whose address changes (RFC 9146 §6) as CoAP's own state does.
    /// </summary>
    public sealed class GatewayEndpoint : IDatagramEndpoint, IDtlsEvents
    {
        private const int MaxPendingCloses = 4;

        private readonly NodeTable _nodes;
        private readonly IReadingUplink _uplink;
        private readonly IGatewayEvents _events;
        private readonly DtlsServer _dtls;
        // The DTLS server, the CoAP seam in place (DtlsServerConnector wires it to the endpoint).
        private readonly DtlsServerConnector _connector;
        private readonly CoapEndpoint _coap;
        private long _nowMs;
        private readonly ReadingDeduplicator _dedup;
        private readonly SenmlReader _senml;
        private readonly AcceptedReading _reading;
        private readonly EcdheEcdsaKeyExchange _ecdhe;
        private readonly byte[] _peerKey = new byte[65];
        /// <summary>The PSK identity of the session being connected (copied out of the session, no allocation).</summary>
        private readonly byte[] _identity;
        private readonly PeerAddress[] _toClose = new PeerAddress[MaxPendingCloses];
        private int _toCloseCount;

        public GatewayEndpoint(GatewayConfig config, NodeTable nodes, IReadingUplink uplink, IGatewayEvents events, IDatagramSink sink)
        {
            _nodes = nodes;
            _uplink = uplink;
            _events = events;
            _dedup = config.Deduplicator != null ? config.Deduplicator : new ReadingDeduplicator(nodes.Count);
            _senml = new SenmlReader(config.MaxRecordsPerPack);
            _reading = new AcceptedReading(config.MaxRecordsPerPack);
            for (int i = 0; i < MaxPendingCloses; i++)
            {
                _toClose[i] = new PeerAddress();
            }

            DtlsConfig dtlsConfig = new DtlsConfig();
            dtlsConfig.Crypto = config.Crypto;
            dtlsConfig.Random = config.Random;
            dtlsConfig.Log = config.Log;
            dtlsConfig.KeyLog = config.KeyLog;
            dtlsConfig.SessionCapacity = config.SessionCapacity;
            dtlsConfig.ConnectionIdLength = config.ConnectionIdLength;
            dtlsConfig.ConcurrentHandshakes = config.ConcurrentHandshakes;
            _identity = new byte[dtlsConfig.MaxPskIdentityLength];
            dtlsConfig.MaxDatagramSize = config.MaxDatagramSize;
            dtlsConfig.MaxRecordPlaintext = config.MaxRecordPlaintext;
            dtlsConfig.HandshakeBufferSize = config.HandshakeBufferSize;
            dtlsConfig.FlightBufferSize = config.FlightBufferSize;
            dtlsConfig.SessionCacheSize = config.SessionCacheSize;
            dtlsConfig.SessionTickets = config.SessionTickets;
            dtlsConfig.SessionLifetimeSeconds = config.SessionLifetimeSeconds;
            ConfigureEcdhe(config, nodes, dtlsConfig);
            _connector = new DtlsServerConnector(dtlsConfig, sink, new NodePskStore(this));
            _connector.Events = this;
            _dtls = _connector.Server;
            _ecdhe = _dtls.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8) as EcdheEcdsaKeyExchange;

            CoapConfig coapConfig = new CoapConfig();
            coapConfig.Random = config.Random;
            coapConfig.Log = config.Log;
            coapConfig.MaxMessageSize = config.MaxRecordPlaintext;
            // Duplicate detection (RFC 7252 §4.5): the engine's table is searched linearly per message, so it is
            // bounded; a retransmission that outlives its entry is still caught by the per-node sequence check.
            coapConfig.DedupCapacity = Clamp(config.SessionCapacity * 2, 16, 512);
            coapConfig.ResponseCacheCapacity = config.SessionCapacity > 2 ? config.SessionCapacity : 2;
            coapConfig.ServerTransmitCapacity = config.SessionCapacity / 4 > 2 ? config.SessionCapacity / 4 : 2;
            coapConfig.PendingCapacity = 4;
            coapConfig.FitBlockSizeTo(config.MaxRecordPlaintext);
            _coap = new CoapEndpoint(coapConfig, _connector);
            _connector.Receiver = _coap;
            _coap.AddResource(new ReadingsResource(this));
        }

        // ---------------------------------------------------------------- counters

        public long HandshakesCompleted;
        /// <summary>Samples handed to the uplink.</summary>
        public long ReadingsAccepted;
        /// <summary>Packs refused as not SenML JSON (answered 4.00).</summary>
        public long ReadingsMalformed;
        /// <summary>Requests to /readings from a session that is not a known node (answered 4.01).</summary>
        public long ReadingsUnauthorized;
        /// <summary>Handshakes or nodes refused (see <see cref="IGatewayEvents.OnRefused"/>).</summary>
        public long RefusedHandshakes;

        /// <summary>Resent samples acknowledged but not handed on again.</summary>
        public long ReadingsDuplicate { get { return _dedup.Suppressed; } }
        public int SessionCount { get { return _dtls.SessionCount; } }
        /// <summary>Established sessions held at once (the table also has a slot per concurrent handshake).</summary>
        public int SessionCapacity { get { return _dtls.Capacity - _dtls.ConcurrentHandshakes; } }
        public NodeTable Nodes { get { return _nodes; } }
        public DtlsServer Dtls { get { return _dtls; } }
        public CoapEndpoint Coap { get { return _coap; } }

        // ---------------------------------------------------------------- IDatagramEndpoint

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _nowMs = nowMs;
            _connector.Receive(buffer, offset, count, from, nowMs);
            ClosePending(nowMs);
        }

        public void Tick(long nowMs)
        {
            _nowMs = nowMs;
            if (_connector.NextDeadline <= nowMs)
            {
                _connector.Tick(nowMs);
            }
            if (_coap.NextDeadline <= nowMs)
            {
                _coap.Tick(nowMs);
            }
            ClosePending(nowMs);
        }

        public long NextDeadline
        {
            get
            {
                long d = _dtls.NextDeadline;
                long c = _coap.NextDeadline;
                return c < d ? c : d;
            }
        }

        /// <summary>
        /// Sends a CoAP request to a connected node over its DTLS session (e.g. PUT /config, or GET /readings with
        /// Observe): the node serves CoAP too. Returns the exchange handle, -1 when no slot is free.
        /// </summary>
        public int Request(CoapMessage request, PeerAddress node, ICoapResponseHandler handler, long nowMs)
        {
            _nowMs = nowMs;
            return _coap.Request(request, node, handler, nowMs);
        }

        /// <summary>The address of the node with this id while it has a session, or null.</summary>
        public PeerAddress PeerOf(string nodeId)
        {
            for (int i = 0; i < _dtls.Capacity; i++)
            {
                DtlsSession s = _dtls.SessionAt(i);
                NodeCredential n = s.IsConnected ? s.Tag as NodeCredential : null;
                if (n != null && n.Id == nodeId)
                {
                    return s.Peer;
                }
            }
            return null;
        }

        /// <summary>The node that holds the session with <paramref name="peer"/>, or null (no session, or not a node of ours).</summary>
        public NodeCredential NodeAt(PeerAddress peer)
        {
            DtlsSession s = _dtls.FindSession(peer);
            return s != null && s.IsConnected ? s.Tag as NodeCredential : null;
        }

        // ---------------------------------------------------------------- IDtlsEvents

        public void OnConnected(DtlsSession session)
        {
            HandshakesCompleted++;
            NodeCredential node;
            if (session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8)
            {
                // The node is whoever holds the key it proved; the engine checked the key is allowed (raw) or the chain
                // ends at the fleet CA (x509). Which of the two it was must be what the node was provisioned with.
                int type = _ecdhe != null ? _ecdhe.PeerCertificateType(session) : -1;
                node = type >= 0 && _ecdhe.TryGetPeerKey(session, _peerKey, 0) ? _nodes.FindByPublicKey(_peerKey, 0) : null;
                if (node == null)
                {
                    // A certificate from the fleet CA that the table does not list: authenticated, but not a node of ours.
                    Refuse("certificate of an unlisted node", session.Peer);
                    return;
                }
                string used = type == EcdheEcdsaKeyExchange.CertTypeRawPublicKey ? NodeSettings.SecurityRpk : NodeSettings.SecurityX509;
                if (used != node.Security)
                {
                    Refuse(string.Concat("node ", node.Id, " is listed as ", node.Security, " but used ", used), session.Peer);
                    return;
                }
            }
            else
            {
                int length = session.PskIdentityLength;
                session.CopyPskIdentity(_identity, 0);
                node = _nodes.FindByPskIdentity(_identity, 0, length);
                if (node == null)
                {
                    Refuse(IdentityText(_identity, 0, length), session.Peer);
                    return;
                }
            }
            session.Tag = node;
            if (_events != null)
            {
                _events.OnNodeConnected(node);
            }
        }

        /// <summary>Not called: the connector hands application data to the CoAP endpoint.</summary>
        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
        }

        /// <summary>
        /// The DTLS server met a PSK identity the table does not hold. The node only sees its handshake fail as with a
        /// wrong key (RFC 4279 §2: identities are not given away); the refusal is reported here.
        /// </summary>
        public void OnUnknownPskIdentity(DtlsSession session)
        {
            RefuseIdentity(session.PskIdentity, 0, session.PskIdentityLength);
        }

        public void OnClosed(DtlsSession session)
        {
            session.Tag = null;
            if (session.State == DtlsSessionState.Failed && session.Failure == DtlsFailure.LocalAlert
                && session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && IsCredentialAlert(session.AlertDescription))
            {
                // We refused the node's certificate or raw key (RFC 5246 §7.2.2): another CA, expired, not on the list …
                int error = _ecdhe != null ? _ecdhe.LastCertificateError : CertificateError.None;
                Refuse(string.Concat("certificate refused (", error == CertificateError.None ? "no certificate" : CertificateError.Name(error),
                    ", alert ", NfDtls.Dtls.Handshake.AlertDescription.Name(session.AlertDescription), ")"), null);
            }
        }

        // RFC 5246 §7.2.2: bad_certificate 42 … unknown_ca 48, and handshake_failure 40 for a missing client certificate.
        private static bool IsCredentialAlert(int alert)
        {
            return alert == 40 || (alert >= 42 && alert <= 46) || alert == 48;
        }

        // ---------------------------------------------------------------- /readings

        private void Accept(CoapRequest request, CoapResponse response)
        {
            NodeCredential node = NodeAt(request.Peer);
            if (node == null)
            {
                ReadingsUnauthorized++;
                response.Code = CoapCode.Unauthorized;
                return;
            }
            if (request.ContentFormat != CoapContentFormat.SenmlJson)
            {
                response.Code = CoapCode.UnsupportedContentFormat;
                return;
            }
            int records = _senml.Read(SenmlFormat.Json, request.Payload, request.PayloadOffset, request.PayloadLength);
            if (records < 0)
            {
                ReadingsMalformed++;
                response.Code = CoapCode.BadRequest;
                return;
            }
            AcceptedReading reading = _reading;
            reading.Start(node, -1, _nowMs);
            for (int i = 0; i < records; i++)
            {
                SenmlRecord r = _senml.Record(i);
                string name = LocalName(r);
                if (i == 0 && r.BaseName != null)
                {
                    reading.BaseName = r.BaseName;
                }
                if (!r.HasValue)
                {
                    continue; // string, boolean and data values are not readings we forward
                }
                if (name == "seq")
                {
                    reading.Sequence = (long)r.Value;
                }
                else if (!reading.Add(name, r.Unit, r.Value))
                {
                    ReadingsMalformed++;
                    response.Code = CoapCode.RequestEntityTooLarge;
                    return;
                }
            }
            // A resent sample is acknowledged again (the node must stop resending) but not handed on twice.
            response.Code = CoapCode.Changed;
            if (reading.Sequence >= 0 && !_dedup.FirstTime(node.Id, reading.Sequence))
            {
                return;
            }
            ReadingsAccepted++;
            if (_uplink != null)
            {
                _uplink.Accept(reading);
            }
        }

        /// <summary>The record's name as the node wrote it: without the pack's base name (RFC 8428 §4.5.1: name = bn + n).</summary>
        private static string LocalName(SenmlRecord r)
        {
            int bn = r.BaseName != null ? r.BaseName.Length : 0;
            return bn > 0 && r.Name.Length >= bn ? r.Name.Substring(bn) : r.Name;
        }

        // ---------------------------------------------------------------- refusals

        private void Refuse(string why, PeerAddress closePeer)
        {
            RefusedHandshakes++;
            if (closePeer != null && _toCloseCount < MaxPendingCloses)
            {
                // Not from inside the engine's callback: closed once the datagram that finished the handshake is done.
                _toClose[_toCloseCount++].CopyFrom(closePeer);
            }
            if (_events != null)
            {
                _events.OnRefused(why);
            }
        }

        private void ClosePending(long nowMs)
        {
            while (_toCloseCount > 0)
            {
                _toCloseCount--;
                _dtls.Close(_toClose[_toCloseCount], nowMs);
            }
        }

        /// <summary>A PSK identity as text: itself when printable ASCII, otherwise "0x" and its hex (never as a key is).</summary>
        private static string IdentityText(byte[] identity, int offset, int count)
        {
            bool printable = identity != null;
            for (int i = 0; printable && i < count; i++)
            {
                int b = identity[offset + i];
                printable = b >= 0x20 && b < 0x7F;
            }
            if (printable)
            {
                char[] c = new char[count];
                for (int i = 0; i < count; i++)
                {
                    c[i] = (char)identity[offset + i];
                }
                return new string(c);
            }
            return identity == null ? "" : string.Concat("0x", SettingsText.ToHex(identity, offset, count));
        }

        private void RefuseIdentity(byte[] identity, int offset, int count)
        {
            Refuse(IdentityText(identity, offset, count), null);
        }

        // ---------------------------------------------------------------- set-up

        /// <summary>
        /// With a gateway key pair and rpk or x509 nodes in the table, also offers TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
        /// (RFC 7925 §4.4) with mutual authentication: raw public keys (RFC 7250) that must be one of the rpk nodes', and
        /// the gateway's CA-signed certificate to x509 nodes, whose own chain must end at the fleet CA.
        /// </summary>
        private static void ConfigureEcdhe(GatewayConfig config, NodeTable nodes, DtlsConfig dtls)
        {
            int rpk = nodes.CountOf(NodeSettings.SecurityRpk);
            bool x509 = nodes.CountOf(NodeSettings.SecurityX509) > 0 && config.Certificate != null && config.CaCertificate != null;
            if ((rpk == 0 && !x509) || config.PrivateKey == null)
            {
                return;
            }
            EcdheCredentials ecdhe = new EcdheCredentials();
            ecdhe.PrivateKey = config.PrivateKey;
            ecdhe.RequestClientCertificate = true;
            ecdhe.RequireClientCertificate = true;
            if (rpk > 0)
            {
                RpkAllowList allowed = new RpkAllowList(rpk);
                byte[] spki = new byte[P256Spki.Length];
                for (int i = 0; i < nodes.Count; i++)
                {
                    NodeCredential n = nodes.At(i);
                    if (n.Security == NodeSettings.SecurityRpk)
                    {
                        P256Spki.Encode(n.PublicKey, 0, spki, 0);
                        allowed.AddSpki(spki, 0, spki.Length);
                    }
                }
                ecdhe.RawPublicKeys = true;
                ecdhe.TrustedKeys = allowed;
            }
            if (x509)
            {
                ecdhe.CertificateChain = new byte[][] { config.Certificate };
                ecdhe.TrustAnchors = new TrustAnchorStore(1);
                int error = ecdhe.TrustAnchors.AddCertificate(config.CaCertificate, 0, config.CaCertificate.Length);
                if (error != CertificateError.None)
                {
                    throw new System.ArgumentException(string.Concat("GatewayConfig.CaCertificate is not a usable P-256 CA certificate (", CertificateError.Name(error), ")"));
                }
                ecdhe.Clock = config.Clock;
            }
            dtls.CipherSuites = new int[] { CipherSuite.TlsPskWithAes128Ccm8, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            dtls.Ecdhe = ecdhe;
        }

        private static int Clamp(int v, int min, int max)
        {
            return v < min ? min : v > max ? max : v;
        }

        /// <summary>PSK identities from the node table (a miss is reported by the server's <see cref="OnUnknownPskIdentity"/>).</summary>
        private sealed class NodePskStore : IPskStore
        {
            private readonly GatewayEndpoint _gateway;

            public NodePskStore(GatewayEndpoint gateway)
            {
                _gateway = gateway;
            }

            public bool TryGetKey(byte[] identity, int offset, int count, byte[] keyOut, out int keyLength)
            {
                NodeCredential node = _gateway._nodes.FindByPskIdentity(identity, offset, count);
                if (node == null || node.PskKey.Length > keyOut.Length)
                {
                    keyLength = 0;
                    return false;
                }
                System.Array.Copy(node.PskKey, 0, keyOut, 0, node.PskKey.Length);
                keyLength = node.PskKey.Length;
                return true;
            }
        }

        private sealed class ReadingsResource : CoapResource
        {
            private readonly GatewayEndpoint _gateway;

            public ReadingsResource(GatewayEndpoint gateway)
                : base("readings")
            {
                _gateway = gateway;
                ResourceType = "senml-collector";
                ContentFormat = CoapContentFormat.SenmlJson;
            }

            protected override void OnPost(CoapRequest request, CoapResponse response)
            {
                _gateway.Accept(request, response);
            }

            protected override void OnPut(CoapRequest request, CoapResponse response)
            {
                _gateway.Accept(request, response);
            }
        }
    }
}
