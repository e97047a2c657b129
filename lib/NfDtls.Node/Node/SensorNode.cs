using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;
using NfDtls.Coap.Secure;
using NfDtls.Config;
using NfDtls.Crypto.P256;
using NfDtls.Crypto;
using NfDtls.Diagnostics;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Pki;

namespace NfDtls.Node
{
    /// <summary>
    /// The sensor-node application the boards and the simulator run: every <see cref="NodeSettings.ReadingPeriodMs"/>
    /// it reads the <see cref="ISensor"/>, and pushes the sample as SenML JSON with a CoAP POST to the gateway's
    /// /readings (CON or NON per <see cref="NodeSettings.Confirmable"/>) over one DTLS session. Samples wait in a
    /// small backlog until the gateway acknowledges them (CON), so a lost session or a gateway restart delays readings
    /// instead of losing them. A failed handshake or a request that times out closes the session and reconnects after
    /// a jittered exponential backoff (NON readings send every <see cref="NonConfirmableProbeEvery"/>-th as CON to
    /// notice); the reconnect resumes the lost session (RFC 5246 §7.3, with the gateway's session ticket, RFC 5077, per
    /// <see cref="NodeSettings.SessionResumption"/>) and pays a full handshake only when the gateway declines it. The
    /// session carries the gateway's Connection ID (RFC 9146, <see cref="NodeSettings.ConnectionIdLength"/>) so it
    /// survives a NAT changing the node's address. It also serves CoAP itself: observable /readings (the latest sample) and
    /// /config (GET; PUT "period=ms" or "confirmable=0|1").
    /// Sans-IO like the engines under it: datagrams and time in, one sink out; all memory allocated here. CoAP meets
    /// DTLS at the one seam (<see cref="IMessageConnector"/>): requests are written where their record is sealed,
    /// and the gateway's messages are read where their record was decrypted; the SenML pack of a reading is written
    /// from the backlog straight into its record each time it goes out (<see cref="WriteBody"/>), so no copy is kept.
    /// </summary>
    public sealed class SensorNode : IDatagramEndpoint, IDtlsEvents, ICoapResponseHandler, ICoapBodyWriter
    {
        /// <summary>Backlog samples kept while the gateway cannot be reached.</summary>
        public const int BacklogCapacity = 16;
        /// <summary>Readings one sample may hold (the sensor fills at most this many; a BME280 gives three).</summary>
        public const int MaxReadingsPerSample = 4;
        /// <summary>First reconnect wait and its ceiling (RFC 7252 §4.8: a node should not hammer its server).</summary>
        public const int ReconnectBaseMs = 2000;
        public const int ReconnectMaxMs = 120000;
        /// <summary>
        /// With NON readings, every this-many-th goes as CON: a NON gets no answer, so without it a node whose
        /// session the gateway lost (gateway restart; a NAT rebinding without Connection ID) would send into the void
        /// forever. The acknowledged one proves the path; its timeout starts a new handshake. RFC 7641 §4.5 does the
        /// same for notifications.
        /// </summary>
        public const int NonConfirmableProbeEvery = 8;

        private readonly ISensor _sensor;
        private readonly DtlsConfig _dtlsConfig;
        // The DTLS client, the CoAP seam in place (DtlsClientConnector wires it to the endpoint).
        private readonly DtlsClientConnector _connector;
        private readonly CoapEndpoint _coap;
        private readonly PeerAddress _gateway = new PeerAddress();
        // Calendar time for X.509 validity: only an x509 node has (and pays for) one.
        private readonly NodeWallClock _wallClock;
        private readonly SensorReading[] _sample = new SensorReading[MaxReadingsPerSample];
        private readonly ReadingBacklog _backlog;
        private readonly ReadingPayload _payloadWriter;
        private readonly CoapMessage _request;
        private readonly ReconnectBackoff _backoff;
        private readonly NodeReadingsResource _readingsResource;
        private readonly NodeConfigResource _configResource;
        private int _periodMs;
        private bool _confirmable;
        private long _nextSampleAt;
        private long _connectAt;
        private int _exchange = -1;
        private long _inFlightSequence = -1;
        private int _nonSinceConfirmed;
        private bool _handshaking;
        private readonly string _resumption;
        private bool _started;
        // Pump is inside Request (a failure then comes before the handle), and a TooLarge came meanwhile.
        private bool _requesting;
        private bool _tooLarge;
        private long _nowMs;

        public SensorNode(NodeSettings settings, ICryptoProvider crypto, IRandom random, ISensor sensor, IDatagramSink sink, ILog log)
        {
            _sensor = sensor;
            // The settings and the log are used while building only: no fields for them (12 bytes each on nanoCLR).
            ILog nodeLog = log != null ? log : NullLog.Instance;
            _periodMs = settings.ReadingPeriodMs > 0 ? settings.ReadingPeriodMs : 10000;
            _confirmable = settings.Confirmable;
            for (int i = 0; i < _sample.Length; i++)
            {
                _sample[i] = new SensorReading();
            }
            _backlog = new ReadingBacklog(BacklogCapacity, MaxReadingsPerSample);
            _payloadWriter = new ReadingPayload(settings.NodeId);
            _backoff = new ReconnectBackoff(random, ReconnectBaseMs, ReconnectMaxMs);

            if (!GatewayAddressParser.TryParseIPv4(settings.GatewayHost, settings.GatewayPort, _gateway) && nodeLog.Enabled)
            {
                // The core has no DNS: a board resolves a host name first and passes the address text in the settings.
                nodeLog.Write(string.Concat("node: gateway host '", settings.GatewayHost, "' is not an IPv4 address; not connecting"));
            }

            _dtlsConfig = new DtlsConfig();
            _dtlsConfig.Crypto = crypto;
            _dtlsConfig.Random = random;
            _dtlsConfig.Log = nodeLog;
            _dtlsConfig.MaxDatagramSize = settings.MaxDatagramSize;
            _dtlsConfig.MaxRecordPlaintext = settings.MaxRecordPlaintext;
            _dtlsConfig.HandshakeBufferSize = settings.HandshakeBufferSize;
            _dtlsConfig.FlightBufferSize = settings.FlightBufferSize;
            _dtlsConfig.SessionCapacity = 1;
            // RFC 9146 Connection ID, send-only by default: behind a NAT the node's address and port change when the
            // NAT drops an idle mapping; the gateway's CID in our records keeps the session (no new handshake, no
            // P-256 on the board). The gateway's address does not move, so we ask for no CID back.
            int cid = settings.ConnectionIdLength;
            bool cidValid = cid == NodeSettings.ConnectionIdSendOnly || cid == NodeSettings.ConnectionIdOff
                || (cid >= NodeSettingsCheck.MinConnectionIdLength && cid <= NodeSettingsCheck.MaxConnectionIdLength);
            _dtlsConfig.ConnectionIdLength = cidValid ? cid : DtlsConfig.ConnectionIdSendOnly;
            // Resumption (RFC 5246 §7.3): the client keeps its last session's state and offers it on every Connect (its
            // ticket, RFC 5077, else its session ID), so after a gateway restart, a network drop or an idle timeout the
            // node pays an abbreviated handshake, not the key exchange again; the engine falls back to a full handshake
            // by itself when the gateway declines.
            _resumption = settings.SessionResumption;
            _dtlsConfig.SessionTickets = _resumption == NodeSettings.ResumptionTickets;
            byte[] identity = null;
            byte[] key = null;
            if (settings.Security == NodeSettings.SecurityRpk)
            {
                // RFC 7250 raw public keys both ways with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7925 §4.4): our key
                // pair, and the gateway's key pinned from the settings.
                _dtlsConfig.CipherSuites = new int[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                EcdheCredentials ecdhe = new EcdheCredentials();
                ecdhe.PrivateKey = settings.PrivateKey;
                ecdhe.RawPublicKeys = true;
                ecdhe.TrustedKeys = new RpkAllowList(1);
                if (settings.GatewayPublicKey != null && settings.GatewayPublicKey.Length == 65)
                {
                    byte[] spki = new byte[P256Spki.Length];
                    P256Spki.Encode(settings.GatewayPublicKey, 0, spki, 0);
                    ecdhe.TrustedKeys.AddSpki(spki, 0, spki.Length);
                }
                _dtlsConfig.Ecdhe = ecdhe;
            }
            else if (settings.Security == NodeSettings.SecurityX509)
            {
                // X.509 both ways (RFC 7925 §4.4.2): our certificate, and the gateway's chain must end at the fleet CA.
                // Validity needs calendar time: see SetWallClock.
                _dtlsConfig.CipherSuites = new int[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                EcdheCredentials ecdhe = new EcdheCredentials();
                ecdhe.PrivateKey = settings.PrivateKey;
                if (settings.Certificate != null)
                {
                    ecdhe.CertificateChain = new byte[][] { settings.Certificate };
                }
                ecdhe.TrustAnchors = new TrustAnchorStore(1);
                if (settings.CaCertificate != null
                    && ecdhe.TrustAnchors.AddCertificate(settings.CaCertificate, 0, settings.CaCertificate.Length) != CertificateError.None
                    && nodeLog.Enabled)
                {
                    nodeLog.Write("node: the CA certificate in the settings is not usable; the gateway will be refused");
                }
                _wallClock = new NodeWallClock();
                ecdhe.Clock = _wallClock;
                _dtlsConfig.Ecdhe = ecdhe;
            }
            else
            {
                // PSK (RFC 4279).
                identity = AsciiBytes(settings.PskIdentity);
                key = settings.PskKey != null ? settings.PskKey : new byte[0];
            }
            // Room for exactly the ticket our gateway seals for this node (its identity, or its P-256 key): the 1,024-byte
            // default is for other servers' tickets, and on an ESP32 every byte is heap. Without tickets: none.
            _dtlsConfig.MaxTicketLength = !_dtlsConfig.SessionTickets ? 0
                : DtlsConfig.NfDtlsTicketLength(identity != null ? identity.Length : DtlsConfig.EcdhePeerIdentityLength);
            _connector = new DtlsClientConnector(_dtlsConfig, sink, _gateway, identity, key);
            _connector.Events = this;

            CoapConfig coapConfig = new CoapConfig();
            coapConfig.Random = random;
            coapConfig.Log = nodeLog;
            coapConfig.MaxMessageSize = settings.MaxRecordPlaintext;
            coapConfig.BlockSize = 512;
            coapConfig.BlockBufferSize = 256; // its bodies (config text, readings it is sent back) are small
            coapConfig.ResponseBufferSize = 512;
            coapConfig.ResourceCapacity = 4;
            // De-duplication (RFC 7252 §4.5) of the gateway's few CON requests (an Observe registration, a PUT /config):
            // four are remembered for EXCHANGE_LIFETIME, an older duplicate of an idempotent GET or PUT may run again.
            // (Eight before: the four others paid for session resumption's state within the ESP32's 16 KB psk goal.)
            coapConfig.DedupCapacity = 4;
            coapConfig.ObserverCapacity = 2;
            coapConfig.MaxOptions = 8;
            coapConfig.OptionBytes = 64;
            // A node has one request of its own in flight (NSTART = 1, RFC 7252 §4.7), answers its few resources
            // at once (no separate responses) and serves only idempotent methods (GET, PUT: a duplicate may run
            // again, RFC 7252 §4.5), so the defaults' room for more pending exchanges, deferred replies and cached
            // replies is heap an ESP32 does not have.
            coapConfig.PendingCapacity = 1;
            coapConfig.ServerTransmitCapacity = 1;
            coapConfig.DeferredCapacity = 0;
            coapConfig.ResponseCacheBytes = 64;
            _coap = new CoapEndpoint(coapConfig, _connector);
            _connector.Receiver = _coap;
            // POST /readings with Content-Format: two options, "readings" and one byte.
            _request = new CoapMessage(2, 16);
            _readingsResource = new NodeReadingsResource(_backlog, _payloadWriter);
            _configResource = new NodeConfigResource(this);
            _coap.AddResource(_readingsResource);
            _coap.AddResource(_configResource);
        }

        // ------------------------------------------------------------------ what the node has done (counters)

        /// <summary>Samples read from the sensor.</summary>
        public long SamplesTaken;
        /// <summary>Sequence number of the latest sample (valid once <see cref="SamplesTaken"/> &gt; 0).</summary>
        public long LastSampleSequence = -1;
        /// <summary>POSTs of a sample (first sends and re-sends after a reconnect).</summary>
        public long ReadingsSent;
        /// <summary>Samples the gateway acknowledged with 2.xx (CON), or handed to the network (NON).</summary>
        public long ReadingsDone;
        /// <summary>Samples dropped from a full backlog.</summary>
        public long ReadingsDropped { get { return _backlog.Dropped; } }
        /// <summary>Handshakes completed, full and abbreviated.</summary>
        public long HandshakesCompleted;
        /// <summary>Of <see cref="HandshakesCompleted"/>, the abbreviated ones: a session resumed (RFC 5246 §7.3, RFC 5077).</summary>
        public long HandshakesResumed;
        public long HandshakesFailed;
        /// <summary>Sessions given up because a request timed out or the peer closed it.</summary>
        public long SessionsLost;

        /// <summary>CoAP and DTLS retransmissions so far.</summary>
        public long Retransmissions
        {
            get { return _coap.Retransmissions + _dtlsRetransmissionsBefore + _connector.Client.Session.Retransmissions; }
        }

        private long _dtlsRetransmissionsBefore;

        /// <summary>Next sample's sequence number. Restore it from persistent storage after a reboot to keep numbers unique.</summary>
        public long NextSequence;

        public int ReadingPeriodMs { get { return _periodMs; } }
        public bool Confirmable { get { return _confirmable; } }
        public bool IsConnected { get { return _connector.Client.IsConnected; } }
        public int BacklogCount { get { return _backlog.Count; } }
        public PeerAddress Gateway { get { return _gateway; } }
        /// <summary>The DTLS client (the connector's: no field of its own, 12 bytes on nanoCLR).</summary>
        public DtlsClient Dtls { get { return _connector.Client; } }
        public CoapEndpoint Coap { get { return _coap; } }

        /// <summary>
        /// Tells the node the calendar time (seconds since 1970-01-01Z) at its clock value <paramref name="atMs"/>, for
        /// X.509 validity checks (RFC 5280 §4.1.2.5). A board calls it after SNTP; without it x509 handshakes fail.
        /// </summary>
        public void SetWallClock(long unixSeconds, long atMs)
        {
            if (_wallClock != null)
            {
                _wallClock.Set(unixSeconds, atMs);
            }
        }

        /// <summary>Debug captures only: receives session secrets (NSS key log).</summary>
        public IDtlsKeyLog KeyLog
        {
            get { return _dtlsConfig.KeyLog; }
            set { _dtlsConfig.KeyLog = value; }
        }

        // ------------------------------------------------------------------ IDatagramEndpoint

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            _nowMs = nowMs;
            if (_wallClock != null)
            {
                _wallClock.NowMs = nowMs;
            }
            _connector.Receive(buffer, offset, count, from, nowMs);
            Pump(nowMs);
        }

        public void Tick(long nowMs)
        {
            _nowMs = nowMs;
            if (_wallClock != null)
            {
                _wallClock.NowMs = nowMs;
            }
            if (!_started)
            {
                _started = true;
                _nextSampleAt = nowMs;
                _connectAt = nowMs;
            }
            if (_connector.NextDeadline <= nowMs)
            {
                _connector.Tick(nowMs);
            }
            if (_coap.NextDeadline <= nowMs)
            {
                _coap.Tick(nowMs);
            }
            if (nowMs >= _nextSampleAt)
            {
                TakeSample(nowMs);
                // Keep the schedule (no drift), but never try to catch up on missed periods.
                _nextSampleAt += _periodMs;
                if (_nextSampleAt <= nowMs)
                {
                    _nextSampleAt = nowMs + _periodMs;
                }
            }
            if (!_connector.Client.IsConnected && !_handshaking && nowMs >= _connectAt && _gateway.AddressLength > 0)
            {
                _handshaking = true;
                _dtlsRetransmissionsBefore += _connector.Client.Session.Retransmissions;
                if (_resumption == NodeSettings.ResumptionOff)
                {
                    _connector.Client.ForgetResumption();
                }
                _connector.Client.Connect(nowMs);
            }
            Pump(nowMs);
        }

        public long NextDeadline
        {
            get
            {
                if (!_started)
                {
                    return 0;
                }
                long d = _nextSampleAt;
                long t = _connector.Client.NextDeadline;
                if (t < d)
                {
                    d = t;
                }
                t = _coap.NextDeadline;
                if (t < d)
                {
                    d = t;
                }
                if (!_connector.Client.IsConnected && !_handshaking && _connectAt < d)
                {
                    d = _connectAt;
                }
                return d;
            }
        }

        // ------------------------------------------------------------------ application logic

        private void TakeSample(long nowMs)
        {
            int n = _sensor.Read(_sample, nowMs);
            if (n < 0)
            {
                n = 0;
            }
            if (n > _sample.Length)
            {
                n = _sample.Length;
            }
            long seq = NextSequence++;
            SamplesTaken++;
            LastSampleSequence = seq;
            _backlog.Add(_sample, n, seq, nowMs);
            _coap.Notify(_readingsResource, nowMs);
        }

        /// <summary>Sends the oldest waiting sample when connected and nothing is in flight (NSTART = 1, RFC 7252 §4.7).</summary>
        private void Pump(long nowMs)
        {
            while (_connector.Client.IsConnected && _exchange < 0 && _backlog.Count > 0)
            {
                bool confirmable = _confirmable || _nonSinceConfirmed >= NonConfirmableProbeEvery - 1;
                _request.Reset();
                _request.Type = confirmable ? CoapType.Confirmable : CoapType.NonConfirmable;
                _request.Code = CoapCode.Post;
                _request.AddOptionString(CoapOption.UriPath, "readings");
                _request.AddOptionUInt(CoapOption.ContentFormat, CoapContentFormat.SenmlJson);
                _inFlightSequence = _backlog.OldestSequence;
                _tooLarge = false;
                _requesting = true;
                int handle = _coap.Request(_request, this, _gateway, this, nowMs);
                _requesting = false;
                if (_tooLarge)
                {
                    // The pack cannot ever fit a record: drop it rather than block the queue.
                    _backlog.RemoveOldest();
                    _inFlightSequence = -1;
                    continue;
                }
                if (handle < 0)
                {
                    _inFlightSequence = -1;
                    return;
                }
                ReadingsSent++;
                if (confirmable)
                {
                    _exchange = handle;
                    return;
                }
                // NON: fire and forget (RFC 7252 §4.3); the response, if any, is not waited for.
                _coap.Cancel(handle, false, nowMs);
                _backlog.RemoveOldest();
                _inFlightSequence = -1;
                ReadingsDone++;
                _nonSinceConfirmed++;
            }
        }

        /// <summary>
        /// The POST's body, written where its record is sealed, for the first send and each retransmission: the SenML
        /// pack of the sample in flight, from the backlog. -1 when it does not fit, or when a full backlog dropped the
        /// sample meanwhile (the exchange then fails and the next sample goes).
        /// </summary>
        public int WriteBody(int exchange, byte[] buffer, int offset, int capacity)
        {
            int slot = _backlog.OldestSlot;
            if (slot < 0 || _backlog.OldestSequence != _inFlightSequence)
            {
                return -1;
            }
            return _payloadWriter.Write(_backlog, slot, buffer, offset, capacity);
        }

        public void OnResponse(int exchange, CoapMessage response, long nowMs)
        {
            if (exchange != _exchange)
            {
                return;
            }
            _exchange = -1;
            _nonSinceConfirmed = 0;
            if (_backlog.Count > 0 && _backlog.OldestSequence == _inFlightSequence)
            {
                // 2.xx: stored. 4.xx: the gateway will never take it; dropping it keeps the queue moving.
                _backlog.RemoveOldest();
                ReadingsDone++;
            }
            _inFlightSequence = -1;
            Pump(nowMs);
        }

        public void OnFailure(int exchange, int reason, long nowMs)
        {
            if (_requesting)
            {
                _tooLarge = reason == CoapFailure.TooLarge; // refused while Pump was still asking (before a handle)
                return;
            }
            if (exchange != _exchange)
            {
                return;
            }
            _exchange = -1;
            if (reason == CoapFailure.TooLarge)
            {
                // Its sample left a full backlog while in flight: nothing to resend, the session is fine.
                _inFlightSequence = -1;
                Pump(nowMs);
                return;
            }
            _inFlightSequence = -1;
            // No answer in MAX_TRANSMIT_WAIT: the gateway may have restarted and forgotten our session. Start over.
            long lost = SessionsLost;
            _connector.Client.Close(nowMs);
            if (SessionsLost == lost)
            {
                SessionsLost++; // the engine did not report the close: account for it here
                ScheduleReconnect(nowMs);
            }
        }

        // ------------------------------------------------------------------ IDtlsEvents

        public void OnConnected(DtlsSession session)
        {
            _handshaking = false;
            HandshakesCompleted++;
            if (session.WasResumed)
            {
                HandshakesResumed++;
            }
            _backoff.Reset();
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
            // Not called: the connector hands application data to the CoAP endpoint.
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }

        public void OnClosed(DtlsSession session)
        {
            long now = _nowMs;
            if (_handshaking)
            {
                HandshakesFailed++;
                if (session.Failure == DtlsFailure.PeerAlert || session.Failure == DtlsFailure.LocalAlert)
                {
                    // Refused rather than unanswered: if it was a resumption, the next try is a full handshake (a
                    // timeout keeps the session: the gateway may just be down, and resuming is what it will accept).
                    _connector.Client.ForgetResumption();
                }
            }
            else
            {
                SessionsLost++;
            }
            if (_exchange >= 0)
            {
                _coap.Cancel(_exchange, false, now);
                _exchange = -1;
                _inFlightSequence = -1;
            }
            ScheduleReconnect(now);
        }

        private void ScheduleReconnect(long nowMs)
        {
            _handshaking = false;
            _connectAt = nowMs + _backoff.NextDelayMs();
        }

        // ------------------------------------------------------------------ /config

        internal void SetPeriod(int periodMs)
        {
            _periodMs = periodMs;
            _nextSampleAt = _nowMs + periodMs;
        }

        internal void SetConfirmable(bool confirmable)
        {
            _confirmable = confirmable;
        }

        private static byte[] AsciiBytes(string s)
        {
            if (s == null)
            {
                return new byte[0];
            }
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }
            return b;
        }
    }
}
