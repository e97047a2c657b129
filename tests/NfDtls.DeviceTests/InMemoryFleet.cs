using nanoFramework.TestFramework;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Gateway;
using NfDtls.Node;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// The gateway core and real SensorNodes on a <see cref="MemoryNetwork"/>: the gateway at index 0 (10.0.0.1:5684)
    /// knows node-001 (psk), node-002 (rpk) and node-003 (x509) from <see cref="GatewayTestCredentials"/>; nodes sit
    /// at the other indexes with deterministic randomness and the fixed calendar time.
    /// </summary>
    public static class InMemoryFleet
    {
        public const int GatewayIndex = 0;

        public static GatewayEndpoint StartGateway(MemoryNetwork net, IReadingUplink uplink, IGatewayEvents events)
        {
            NodeTable nodes = new NodeTable(3);
            Assert.IsTrue(nodes.Add(NodeCredential.Psk("node-001", VectorHex.Ascii("node-001"), VectorHex.Parse(GatewayTestCredentials.PskKey))) == null, "psk node added");
            Assert.IsTrue(nodes.Add(NodeCredential.Rpk("node-002", VectorHex.Parse(GatewayTestCredentials.RpkPublicKey))) == null, "rpk node added");
            Assert.IsTrue(nodes.Add(NodeCredential.X509("node-003", VectorHex.Parse(GatewayTestCredentials.X509PublicKey))) == null, "x509 node added");
            GatewayConfig config = new GatewayConfig();
            config.Random = new HmacDrbg(new CountingEntropy(100));
            config.SessionCapacity = 4;
            config.PrivateKey = VectorHex.Parse(GatewayTestCredentials.GatewayPrivateKey);
            config.Certificate = VectorHex.Parse(GatewayTestCredentials.GatewayCertificate);
            config.CaCertificate = VectorHex.Parse(GatewayTestCredentials.CaCertificate);
            config.Clock = new FixedWallClock();
            GatewayEndpoint gateway = new GatewayEndpoint(config, nodes, uplink, events, net.SinkOf(GatewayIndex));
            net.Attach(GatewayIndex, gateway);
            return gateway;
        }

        public static SensorNode StartNode(MemoryNetwork net, int index, NodeSettings settings)
        {
            SensorNode node = new SensorNode(settings, PortableCryptoProvider.Instance, new HmacDrbg(new CountingEntropy(index)),
                new CountingSensor(), net.SinkOf(index), null);
            node.SetWallClock(GatewayTestCredentials.UnixSeconds, 0);
            net.Attach(index, node);
            return node;
        }
    }
}
