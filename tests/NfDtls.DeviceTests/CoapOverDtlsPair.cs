using NfDtls.Coap;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// coaps:// in memory (RFC 7252 §9.1): a CoAP client endpoint and a CoAP server endpoint, each straight on a DTLS
    /// engine (PSK, node-001), on a <see cref="MemoryNetwork"/> (server 10.0.0.1, client 10.0.0.2). The engines are the
    /// seam themselves: <see cref="DtlsClient"/> and <see cref="DtlsServer"/> are CoAP's <see cref="IMessageConnector"/>
    /// (a message written in the space of its record and sealed there) and hand records to the endpoint as its
    /// <see cref="IMessageReceiver"/>, where they were decrypted. (SensorNode and the gateway core, in the other device
    /// tests, go through the thin wrappers of Coap/Secure.)
    /// </summary>
    public sealed class CoapOverDtlsPair
    {
        public const int ServerIndex = 0;
        public const int ClientIndex = 1;
        public readonly MemoryNetwork Net = new MemoryNetwork(2);
        public readonly DtlsEventRecorder ServerEvents = new DtlsEventRecorder();
        public readonly DtlsEventRecorder ClientEvents = new DtlsEventRecorder();
        public CoapEndpoint Server;
        public CoapEndpoint Client;
        public DtlsServer ServerDtls;
        public DtlsClient ClientDtls;

        public CoapOverDtlsPair(CoapConfig server, CoapConfig client)
        {
            WireServer(server, DtlsTestConfigs.Psk(71));
            WireClient(client, DtlsTestConfigs.Psk(72));
        }

        private void WireServer(CoapConfig coap, DtlsConfig dtls)
        {
            FitToRecord(coap, dtls);
            ServerDtls = new DtlsServer(dtls, Net.SinkOf(ServerIndex), DtlsTestConfigs.PskKeys(), ServerEvents);
            Server = new CoapEndpoint(coap, ServerDtls);
            ServerDtls.Receiver = Server;
            Net.Attach(ServerIndex, new CoapStack(ServerDtls, Server));
        }

        private void WireClient(CoapConfig coap, DtlsConfig dtls)
        {
            FitToRecord(coap, dtls);
            ClientDtls = new DtlsClient(dtls, Net.SinkOf(ClientIndex), ServerAddress,
                DtlsTestConfigs.PskIdentity(), DtlsTestConfigs.PskKey(), ClientEvents);
            Client = new CoapEndpoint(coap, ClientDtls);
            ClientDtls.Receiver = Client;
            Net.Attach(ClientIndex, new CoapStack(ClientDtls, Client));
        }

        /// <summary>A CoAP message fills at most one record's plaintext, and a block fits in it with its options.</summary>
        private static void FitToRecord(CoapConfig coap, DtlsConfig dtls)
        {
            coap.MaxMessageSize = dtls.MaxRecordPlaintext;
            coap.FitBlockSizeTo(dtls.MaxRecordPlaintext);
        }

        public PeerAddress ServerAddress { get { return Net.AddressOf(ServerIndex); } }

        /// <summary>Runs the DTLS handshake; true once both sides hold the session.</summary>
        public bool Connect()
        {
            ClientDtls.Connect(Net.NowMs);
            Net.RunUntil(Net.NowMs + 1000);
            return ClientDtls.IsConnected && ServerEvents.Connected == 1;
        }

        /// <summary>Sends a GET for <paramref name="path"/> (an observation with <paramref name="observe"/>); returns the exchange handle.</summary>
        public int Get(string path, bool observe, ICoapResponseHandler handler)
        {
            CoapMessage m = Client.CreateMessage();
            m.Reset();
            m.Code = CoapCode.Get;
            CoapUriPath.AddPathAndQuery(m, path);
            if (observe)
            {
                m.AddOptionUInt(CoapOption.Observe, 0);
            }
            return Client.Request(m, ServerAddress, handler, Net.NowMs);
        }
    }
}
