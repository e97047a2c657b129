using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// A DTLS client and server on a <see cref="MemoryNetwork"/>: the server at 10.0.0.1 (index 0), the client at
    /// 10.0.0.2 (index 1). Virtual time moves from deadline to deadline; the client's last datagram is kept
    /// (<see cref="ClientOut"/>) and the server's (<see cref="ServerOut"/>) for tests that replay or tamper with records.
    /// </summary>
    public sealed class DtlsPair
    {
        public const int ServerIndex = 0;
        public const int ClientIndex = 1;
        public readonly MemoryNetwork Net = new MemoryNetwork(2);
        public readonly DtlsEventRecorder ServerEvents = new DtlsEventRecorder();
        public readonly DtlsEventRecorder ClientEvents = new DtlsEventRecorder();
        public readonly LastDatagramSink ServerOut;
        public readonly LastDatagramSink ClientOut;
        public readonly DtlsServer Server;
        public readonly DtlsClient Client;

        /// <param name="identity">PSK identity and key of the client; null for ECDHE.</param>
        public DtlsPair(DtlsConfig server, DtlsConfig client, byte[] identity, byte[] key)
        {
            ServerOut = new LastDatagramSink(Net.SinkOf(ServerIndex));
            ClientOut = new LastDatagramSink(Net.SinkOf(ClientIndex));
            Server = new DtlsServer(server, ServerOut, DtlsTestConfigs.PskKeys(), ServerEvents);
            Client = new DtlsClient(client, ClientOut, Net.AddressOf(ServerIndex), identity, key, ClientEvents);
            Net.Attach(ServerIndex, Server);
            Net.Attach(ClientIndex, Client);
            ServerEvents.KeyExchange = Server.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8) as EcdheEcdsaKeyExchange;
            ClientEvents.KeyExchange = Client.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8) as EcdheEcdsaKeyExchange;
        }

        public bool BothConnected
        {
            get { return Client.IsConnected && ServerEvents.Connected > 0 && Server.FindSession(Net.AddressOf(ClientIndex)) != null; }
        }

        /// <summary>Starts the handshake and runs the network a second at a time until both sides are connected or <paramref name="limitMs"/> has passed.</summary>
        public bool Handshake(long limitMs)
        {
            Client.Connect(Net.NowMs);
            long end = Net.NowMs + limitMs;
            while (!BothConnected && Net.NowMs < end)
            {
                Net.RunUntil(Net.NowMs + 1000);
            }
            return BothConnected;
        }

        /// <summary>
        /// Sends <paramref name="text"/> in one record (to the server, or back to the client) once a second, as an
        /// application with its own retries would (DTLS does not resend data), until it arrives; at most
        /// <paramref name="attempts"/> times. True when the receiver got exactly that text.
        /// </summary>
        public bool Deliver(bool toServer, string text, int attempts)
        {
            byte[] data = VectorHex.Ascii(text);
            DtlsEventRecorder receiver = toServer ? ServerEvents : ClientEvents;
            int before = receiver.DataRecords;
            for (int i = 0; i < attempts && receiver.DataRecords == before; i++)
            {
                bool sent = toServer
                    ? Client.Send(data, 0, data.Length, Net.NowMs)
                    : Server.Send(Net.AddressOf(ClientIndex), data, 0, data.Length, Net.NowMs);
                if (!sent)
                {
                    return false;
                }
                Net.RunUntil(Net.NowMs + 1000);
            }
            return receiver.DataRecords == before + 1 && receiver.LastDataIs(text);
        }
    }
}
