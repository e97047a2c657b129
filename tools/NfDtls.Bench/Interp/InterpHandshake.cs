// Compiled twice, like InterpWorkloads.cs: into NfDtls.Bench and into the Mono interpreter bench.
#nullable disable
using System;
using NfDtls.Coap;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Secure;
using NfDtls.Coap.Server;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Pki;

namespace NfDtls.Bench.Interp
{
    /// <summary>
    /// A DTLS client and server back to back in memory (portable crypto, cookie exchange included), each side's own
    /// time counted apart: ECDHE_ECDSA with raw public keys and mutual authentication (RFC 7250), or PSK, full or
    /// resumed with a session ticket (RFC 5077); and a CoAP GET over the PSK session once it is open. One handshake =
    /// ClientHello to both sides connected (the client reconnecting from the same address replaces its server session).
    /// </summary>
    internal sealed class InterpHandshake
    {
        private static readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 40000);
        private static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);

        /// <summary>Nanoseconds (<see cref="InterpClock"/>) spent inside the client's and the server's calls.</summary>
        public long ClientTicks;
        public long ServerTicks;

        private readonly DatagramQueue _toServer = new DatagramQueue();
        private readonly DatagramQueue _toClient = new DatagramQueue();
        private readonly ConnectionCounter _clientEvents = new ConnectionCounter();
        private DtlsClient _client;
        private DtlsServer _server;
        private CoapStack _clientCoap;
        private CoapStack _serverCoap;
        private long _now;

        public static InterpHandshake Ecdhe(byte[] clientKey, byte[] serverKey)
        {
            var h = new InterpHandshake();
            var trusted = new RpkAllowList(2);
            trusted.AddSpki(Spki(clientKey), 0, P256Spki.Length);
            trusted.AddSpki(Spki(serverKey), 0, P256Spki.Length);
            var server = new EcdheCredentials();
            server.PrivateKey = serverKey;
            server.RawPublicKeys = true;
            server.TrustedKeys = trusted;
            server.Clock = new FixedClock();
            server.RequestClientCertificate = true;
            server.RequireClientCertificate = true;
            var client = new EcdheCredentials();
            client.PrivateKey = clientKey;
            client.RawPublicKeys = true;
            client.TrustedKeys = trusted;
            client.Clock = new FixedClock();
            DtlsConfig sc = Config(1, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);
            sc.Ecdhe = server;
            DtlsConfig cc = Config(2, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);
            cc.Ecdhe = client;
            h._server = new DtlsServer(sc, h._toClient, new PskTable(1), new ConnectionCounter());
            h._client = new DtlsClient(cc, h._toServer, ServerAddress, null, null, h._clientEvents);
            return h;
        }

        /// <summary>PSK handshakes, and the CoAP endpoints riding on the session (coaps://).</summary>
        public static InterpHandshake Psk()
        {
            var h = new InterpHandshake();
            byte[] identity = { 0x6e, 0x6f, 0x64, 0x65 }; // "node"
            byte[] key = InterpWorkloads.Pattern(16);
            var keys = new PskTable(1);
            keys.Add(identity, key);
            var serverConnector = new DtlsServerConnector(Config(3, CipherSuite.TlsPskWithAes128Ccm8), h._toClient, keys);
            var serverCoap = new CoapEndpoint(new CoapConfig(), serverConnector);
            serverCoap.AddResource(new TextResource("hello"));
            serverConnector.Receiver = serverCoap;
            h._serverCoap = new CoapStack(serverConnector, serverCoap);
            h._server = serverConnector.Server;
            var clientConnector = new DtlsClientConnector(Config(4, CipherSuite.TlsPskWithAes128Ccm8), h._toServer, ServerAddress, identity, key);
            var clientCoap = new CoapEndpoint(new CoapConfig(), clientConnector);
            clientConnector.Receiver = clientCoap;
            clientConnector.Events = h._clientEvents;
            h._clientCoap = new CoapStack(clientConnector, clientCoap);
            h._client = clientConnector.Client;
            return h;
        }

        /// <summary>A full handshake: the client forgets the session it could resume first.</summary>
        public void Handshake()
        {
            _client.ForgetResumption();
            Connect(false);
        }

        /// <summary>Abbreviated handshakes (RFC 5246 §7.3): each resumes the session of the one before with its ticket (RFC 5077).</summary>
        public Action ResumedHandshakeAction()
        {
            Handshake();
            return delegate { Connect(true); };
        }

        private void Connect(bool resume)
        {
            int before = _clientEvents.Connected;
            long t = InterpClock.Now();
            _client.Connect(_now);
            ClientTicks += InterpClock.Now() - t;
            Pump();
            if (_clientEvents.Connected != before + 1 || !_client.IsConnected)
            {
                throw new InvalidOperationException("handshake failed: " + _client.Session.Failure + " " + _client.Session.AlertDescription);
            }
            if (_client.Session.WasResumed != resume)
            {
                throw new InvalidOperationException(resume ? "the server did not resume the session" : "a full handshake was resumed");
            }
        }

        /// <summary>One confirmable GET of a 5-byte resource and its piggybacked response, over an open session.</summary>
        public Action CoapGetAction()
        {
            Handshake();
            var handler = new Responses();
            CoapMessage get = _clientCoap.Coap.CreateMessage();
            return delegate
            {
                _now += 10;
                get.Reset();
                get.Code = CoapCode.Get;
                CoapUriPath.AddPathAndQuery(get, "/hello");
                int before = handler.Ok;
                long t = InterpClock.Now();
                _clientCoap.Coap.Request(get, ServerAddress, handler, _now);
                ClientTicks += InterpClock.Now() - t;
                Pump();
                if (handler.Ok != before + 1)
                {
                    throw new InvalidOperationException("CoAP GET failed");
                }
            };
        }

        private void Pump()
        {
            for (int round = 0; round < 20 && (_toServer.Count > 0 || _toClient.Count > 0); round++)
            {
                byte[] d;
                int n;
                while (_toServer.TryDequeue(out d, out n))
                {
                    long t = InterpClock.Now();
                    if (_serverCoap != null)
                    {
                        _serverCoap.Receive(d, 0, n, ClientAddress, _now);
                    }
                    else
                    {
                        _server.Receive(d, 0, n, ClientAddress, _now);
                    }
                    ServerTicks += InterpClock.Now() - t;
                }
                while (_toClient.TryDequeue(out d, out n))
                {
                    long t = InterpClock.Now();
                    if (_clientCoap != null)
                    {
                        _clientCoap.Receive(d, 0, n, ServerAddress, _now);
                    }
                    else
                    {
                        _client.Receive(d, 0, n, ServerAddress, _now);
                    }
                    ClientTicks += InterpClock.Now() - t;
                }
            }
        }

        private static DtlsConfig Config(int seed, int suite)
        {
            var c = new DtlsConfig();
            c.Random = new HmacDrbg(new PatternEntropy(seed));
            c.CipherSuites = new int[] { suite };
            c.SessionCapacity = 1;
            c.HandshakeBufferSize = 2048;
            c.FlightBufferSize = 2048;
            // Tickets as the fleet's gateway and nodes use them: the full rows are unchanged by it but for the
            // NewSessionTicket message the server adds to its last flight.
            c.SessionTickets = true;
            return c;
        }

        private static byte[] Spki(byte[] privateKey)
        {
            byte[] point = new byte[65];
            if (!PortableCryptoProvider.Instance.CreateEcdsaP256().DerivePublicKey(privateKey, 0, point, 0))
            {
                throw new InvalidOperationException("bad bench key");
            }
            byte[] spki = new byte[P256Spki.Length];
            P256Spki.Encode(point, 0, spki, 0);
            return spki;
        }

        private sealed class Responses : ICoapResponseHandler
        {
            public int Ok;

            public void OnResponse(int exchange, CoapMessage response, long nowMs)
            {
                Ok++;
            }

            public void OnFailure(int exchange, int reason, long nowMs)
            {
            }
        }

        private sealed class TextResource : CoapResource
        {
            private static readonly byte[] Body = { 0x68, 0x65, 0x6c, 0x6c, 0x6f }; // "hello"

            public TextResource(string path) : base(path)
            {
            }

            protected override void OnGet(CoapRequest request, CoapResponse response)
            {
                response.ContentFormat = CoapContentFormat.TextPlain;
                response.SetPayload(Body, 0, Body.Length);
            }
        }

        private sealed class FixedClock : IWallClock
        {
            public long UnixSeconds
            {
                get { return 1767225600; } // 2026-01-01
            }
        }

        /// <summary>Deterministic bytes for the DRBG seed: a bench, not a secret.</summary>
        private sealed class PatternEntropy : IEntropySource
        {
            private byte _next;

            public PatternEntropy(int seed)
            {
                _next = (byte)(seed * 31);
            }

            public void GetEntropy(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    buffer[offset + i] = _next;
                    _next = (byte)(_next * 5 + 1);
                }
            }
        }
    }
}
