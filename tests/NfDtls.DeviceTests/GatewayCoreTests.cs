using nanoFramework.TestFramework;
using NfDtls.Config;
using NfDtls.Gateway;
using NfDtls.Node;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// The portable gateway core (lib/NfDtls.Gateway) with three real SensorNodes in memory, one per kind of
    /// credential (psk, rpk, x509), and an uplink that records what it is given: each reading is forwarded exactly
    /// once, a resent reading is acknowledged but dropped, and an unknown node or a node using another kind of
    /// credential than the one listed for it is refused. Virtual time: a minute of readings runs in moments (the
    /// ECDHE handshakes take seconds on a board's interpreter).
    /// </summary>
    [TestClass]
    public class GatewayCoreTests
    {
        [TestMethod]
        public void EveryReadingOfThreeNodesIsForwardedOnce()
        {
            MemoryNetwork net = new MemoryNetwork(4);
            RecordingUplink uplink = new RecordingUplink();
            RecordingEvents events = new RecordingEvents();
            GatewayEndpoint gateway = InMemoryFleet.StartGateway(net, uplink, events);
            SensorNode psk = InMemoryFleet.StartNode(net, 1, PskSettings("node-001", "node-001", GatewayTestCredentials.PskKey));
            SensorNode rpk = InMemoryFleet.StartNode(net, 2, RpkSettings("node-002", GatewayTestCredentials.RpkPrivateKey));
            SensorNode x509 = InMemoryFleet.StartNode(net, 3, X509Settings("node-003", GatewayTestCredentials.X509PrivateKey, GatewayTestCredentials.X509Certificate));

            net.RunUntil(65000); // samples at 0 s, 10 s … 60 s

            Assert.AreEqual(0, events.RefusedCount, string.Concat("refused: ", events.First));
            Assert.AreEqual(3, events.Connected, "three nodes connected");
            string[] ids = { "node-001", "node-002", "node-003" };
            SensorNode[] nodes = { psk, rpk, x509 };
            for (int n = 0; n < 3; n++)
            {
                Assert.AreEqual(7, (int)nodes[n].SamplesTaken, string.Concat(ids[n], " samples"));
                Assert.AreEqual(7, uplink.CountOf(ids[n]), string.Concat(ids[n], " readings forwarded"));
                for (int seq = 0; seq < 7; seq++)
                {
                    Assert.AreEqual(1, uplink.TimesForwarded(ids[n], seq), string.Concat(ids[n], " seq ", seq.ToString(), " forwarded once"));
                }
                Assert.AreEqual(7, (int)nodes[n].ReadingsDone, string.Concat(ids[n], " readings acknowledged"));
            }
            Assert.AreEqual(21, uplink.Measurements, "one measurement per reading");
            Assert.AreEqual(0, (int)gateway.ReadingsDuplicate, "no duplicates");
        }

        [TestMethod]
        public void AResentReadingIsAcknowledgedButNotForwardedAgain()
        {
            MemoryNetwork net = new MemoryNetwork(2);
            RecordingUplink uplink = new RecordingUplink();
            GatewayEndpoint gateway = InMemoryFleet.StartGateway(net, uplink, new RecordingEvents());
            SensorNode node = InMemoryFleet.StartNode(net, 1, PskSettings("node-001", "node-001", GatewayTestCredentials.PskKey));
            net.RunUntil(25000); // seq 0 1 2
            Assert.AreEqual(3, uplink.CountOf("node-001"), "three readings before the resend");

            // The node sends seq 1 and 2 again (as after a lost ACK and a reconnect): new CoAP messages, old samples.
            node.NextSequence = 1;
            net.RunUntil(45000); // samples at 30 s and 40 s carry seq 1 and 2

            Assert.AreEqual(3, uplink.CountOf("node-001"), "the resent readings were not forwarded");
            Assert.AreEqual(1, uplink.TimesForwarded("node-001", 1), "seq 1 once");
            Assert.AreEqual(1, uplink.TimesForwarded("node-001", 2), "seq 2 once");
            Assert.AreEqual(2, (int)gateway.ReadingsDuplicate, "two resends dropped");
            Assert.AreEqual(5, (int)node.ReadingsDone, "the resends were acknowledged");
            Assert.AreEqual(0, node.BacklogCount, "nothing left waiting at the node");
        }

        [TestMethod]
        public void AnUnknownNodeIsRefused()
        {
            MemoryNetwork net = new MemoryNetwork(2);
            RecordingUplink uplink = new RecordingUplink();
            RecordingEvents events = new RecordingEvents();
            GatewayEndpoint gateway = InMemoryFleet.StartGateway(net, uplink, events);
            SensorNode stranger = InMemoryFleet.StartNode(net, 1, PskSettings("node-999", "node-999", GatewayTestCredentials.PskKey));
            // The unknown identity is hidden (RFC 4279 §2) and the Finished that then cannot authenticate is dropped
            // (RFC 6347 §4.1.2.7): the stranger fails as with a wrong key, when its retransmissions run out (~7 min).
            net.RunUntil(480000);

            Assert.AreEqual(0, uplink.Count, "nothing forwarded");
            Assert.IsTrue(events.Refused("node-999"), string.Concat("refusal names the identity: ", events.First));
            Assert.IsTrue(stranger.HandshakesFailed >= 1, "the stranger's handshake failed");
            Assert.IsFalse(stranger.IsConnected, "never connected");
            Assert.IsTrue(gateway.RefusedHandshakes >= 1, "counted");
        }

        [TestMethod]
        public void ANodeUsingAnotherKindOfCredentialIsRefused()
        {
            MemoryNetwork net = new MemoryNetwork(3);
            RecordingUplink uplink = new RecordingUplink();
            RecordingEvents events = new RecordingEvents();
            GatewayEndpoint gateway = InMemoryFleet.StartGateway(net, uplink, events);
            // node-002 is listed as rpk: here it shows its key in a certificate from the fleet CA. The DTLS engine
            // accepts the chain; the gateway sees the kind does not match and refuses the node.
            SensorNode rpkAsX509 = InMemoryFleet.StartNode(net, 1, X509Settings("node-002", GatewayTestCredentials.RpkPrivateKey, GatewayTestCredentials.RpkKeyInACertificate));
            // node-003 is listed as x509: here it sends its key raw. Only rpk nodes' keys are on the allow-list.
            SensorNode x509AsRpk = InMemoryFleet.StartNode(net, 2, RpkSettings("node-003", GatewayTestCredentials.X509PrivateKey));
            // One attempt each: the handshakes run at 0 s and a refused node tries again only after its 2 s back-off.
            // Each retry would repeat the same refusal at the price of an ECDHE handshake (seconds on a board).
            net.RunUntil(1000);

            Assert.AreEqual(0, uplink.Count, "nothing forwarded");
            Assert.IsTrue(events.Refused("node node-002 is listed as rpk but used x509"), string.Concat("refusal: ", events.First));
            Assert.IsTrue(events.Refused("certificate refused (unknown CA, alert unknown_ca)"), "the x509 node's raw key was refused");
            Assert.AreEqual(0, events.Connected, "no node accepted");
            Assert.IsFalse(rpkAsX509.IsConnected, "the rpk node was closed");
            Assert.IsFalse(x509AsRpk.IsConnected, "the x509 node never connected");
            Assert.IsTrue(gateway.RefusedHandshakes >= 2, "both counted");
        }

        // ---------------------------------------------------------------- set-up

        private static NodeSettings Common(string id, string security)
        {
            NodeSettings s = new NodeSettings();
            s.NodeId = id;
            s.Security = security;
            s.GatewayHost = "10.0.0.1";
            s.GatewayPort = 5684;
            s.ReadingPeriodMs = 10000;
            s.Confirmable = true;
            return s;
        }

        private static NodeSettings PskSettings(string id, string identity, string keyHex)
        {
            NodeSettings s = Common(id, NodeSettings.SecurityPsk);
            s.PskIdentity = identity;
            s.PskKey = VectorHex.Parse(keyHex);
            return s;
        }

        private static NodeSettings RpkSettings(string id, string privateKeyHex)
        {
            NodeSettings s = Common(id, NodeSettings.SecurityRpk);
            s.PrivateKey = VectorHex.Parse(privateKeyHex);
            s.GatewayPublicKey = VectorHex.Parse(GatewayTestCredentials.GatewayPublicKey);
            return s;
        }

        private static NodeSettings X509Settings(string id, string privateKeyHex, string certificateHex)
        {
            NodeSettings s = Common(id, NodeSettings.SecurityX509);
            s.PrivateKey = VectorHex.Parse(privateKeyHex);
            s.Certificate = VectorHex.Parse(certificateHex);
            s.CaCertificate = VectorHex.Parse(GatewayTestCredentials.CaCertificate);
            return s;
        }
    }
}
