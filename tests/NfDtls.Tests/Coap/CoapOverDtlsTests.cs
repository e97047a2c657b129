using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Secure;
using NfDtls.Coap;
using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Simulation;
using NfDtls.Tests.Dtls;
using Xunit;

namespace NfDtls.Tests.Coap;

public class CoapOverDtlsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void CoapRequestsTravelInsideDtls(double loss)
    {
        var profile = loss == 0 ? LinkProfile.Perfect() : LinkProfile.Lossy(loss);
        var net = new VirtualNetwork(31, profile);
        var clientAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 40000);
        var serverAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 5684);
        byte[] identity = "node-1"u8.ToArray();
        byte[] key = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var keys = new PskTable(2);
        keys.Add(identity, key);

        var coapConfig = new CoapConfig { MaxRetransmit = 10, AckTimeoutMs = 1000, BlockBufferSize = 8192 };
        var serverRelay = new SinkRelay();
        var serverBridge = SecureStacks.Server(new CoapConfig { Seed = 5, BlockBufferSize = 8192 }, DtlsRig.Config(1), serverRelay, keys);
        var res = new TextResource("big", new byte[2500]);
        serverBridge.Coap.AddResource(res);
        serverRelay.Target = net.Attach(serverAddress, serverBridge.Stack);

        var clientRelay = new SinkRelay();
        var clientBridge = SecureStacks.Client(coapConfig, DtlsRig.Config(2), clientRelay, serverAddress, identity, key);
        var dtlsClient = clientBridge.Dtls;
        clientRelay.Target = net.Attach(clientAddress, clientBridge.Stack);
        dtlsClient.Connect(net.Now);

        var c = new Collector();
        CoapMessage m = clientBridge.Coap.CreateMessage();
        m.Reset();
        m.Code = CoapCode.Get;
        CoapUriPath.AddPathAndQuery(m, "/big");
        clientBridge.Coap.Request(m, serverAddress, c, net.Now); // before the handshake ends: its retransmission goes
        net.Poke(clientBridge.Stack);
        net.RunUntil(600_000, () => c.Done > 0);
        Assert.True(dtlsClient.IsConnected, "not connected; failures " + string.Join(",", c.Failures) + " sent " + net.Stats.Sent + " server sessions " + serverBridge.Dtls.SessionCount + " exec " + serverBridge.Coap.RequestsExecuted + " malformed " + serverBridge.Coap.MalformedReceived + "/" + clientBridge.Coap.MalformedReceived);
        Assert.True(c.Done > 0, "failures " + string.Join(",", c.Failures) + " sent " + net.Stats.Sent + " exec " + serverBridge.Coap.RequestsExecuted + " malformed " + serverBridge.Coap.MalformedReceived + "/" + clientBridge.Coap.MalformedReceived + " rst " + clientBridge.Coap.ResetsSent);
        Assert.Equal(CoapCode.Content, c.Responses.Single().Code);
        Assert.Equal(2500, c.Responses[0].Payload.Length);

        byte[] body = new byte[3000];
        new Random(1).NextBytes(body);
        m.Reset();
        m.Code = CoapCode.Put;
        CoapUriPath.AddPathAndQuery(m, "/big");
        m.SetPayload(body, 0, body.Length);
        clientBridge.Coap.Request(m, serverAddress, c, net.Now);
        net.Poke(clientBridge.Stack);
        net.RunUntil(net.Now + 600_000, () => c.Done > 1);
        Assert.Equal(CoapCode.Changed, c.Responses[1].Code);
        Assert.Equal(body, res.Body);
    }
}
