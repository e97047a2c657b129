using nanoFramework.TestFramework;
using NfDtls.Config;
using NfDtls.Gateway;
using NfDtls.Node;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// A SensorNode as the ESP32-DevKitC runs it: its settings are the board's board.settings (the embedded copy
    /// <see cref="EmbeddedBoardSettings.Esp32Devkitc"/>: 30 s readings, 1024-byte datagrams, 512-byte records) plus
    /// the node's own lines, as provisioning writes them. It posts its readings over PSK DTLS to the gateway core in
    /// memory for five simulated minutes; the gateway must forward each reading exactly once, also over a link that
    /// loses datagrams (CoAP retransmits, DTLS resends flights, the gateway drops what it has seen).
    /// </summary>
    [TestClass]
    public class BoardNodeTests
    {
        private const string NodeLines =
            "node_id = node-001\n" +
            "security = psk\n" +
            "psk_identity = node-001\n" +
            "psk_key = " + GatewayTestCredentials.PskKey + "\n" +
            "gateway_host = 10.0.0.1\n";

        [TestMethod]
        public void Esp32NodeDeliversEveryReadingOnceForFiveMinutes()
        {
            RunFiveMinutes(0);
        }

        [TestMethod]
        public void Esp32NodeDeliversEveryReadingOnceOverALossyLink()
        {
            RunFiveMinutes(20);
        }

        private static void RunFiveMinutes(int lossPercent)
        {
            NodeSettings settings = new NodeSettings();
            string error;
            Assert.IsTrue(NodeSettingsReader.TryParse(string.Concat(EmbeddedBoardSettings.Esp32Devkitc, NodeLines), settings, out error), error);
            Assert.IsTrue(NodeSettingsCheck.Check(settings, out error), error);
            Assert.AreEqual(30000, settings.ReadingPeriodMs, "the board's reading period");
            Assert.AreEqual(512, settings.MaxRecordPlaintext, "the board's record size");

            MemoryNetwork net = new MemoryNetwork(2);
            RecordingUplink uplink = new RecordingUplink();
            RecordingEvents events = new RecordingEvents();
            GatewayEndpoint gateway = InMemoryFleet.StartGateway(net, uplink, events);
            SensorNode node = InMemoryFleet.StartNode(net, 1, settings);
            if (lossPercent > 0)
            {
                net.LoseDatagrams(lossPercent, 20240607);
            }
            // Five minutes: samples at 0 s, 30 s ... 300 s (lossy link); then a minute more on a clean link (samples at
            // 330 s and 360 s) for what is still in flight to get through.
            net.RunUntil(300000);
            net.LoseDatagrams(0, 1);
            net.RunUntil(360000);

            string what = lossPercent > 0 ? string.Concat(lossPercent.ToString(), "% loss: ") : "";
            Assert.AreEqual(0, events.RefusedCount, string.Concat(what, "refused: ", events.First));
            Assert.AreEqual(13, (int)node.SamplesTaken, string.Concat(what, "samples taken"));
            int samples = 13;
            for (int seq = 0; seq < samples; seq++)
            {
                Assert.AreEqual(1, uplink.TimesForwarded("node-001", seq), string.Concat(what, "seq ", seq.ToString(), " forwarded once"));
            }
            Assert.AreEqual(samples, uplink.Count, string.Concat(what, "nothing else forwarded"));
            Assert.AreEqual(samples, (int)node.ReadingsDone, string.Concat(what, "every reading acknowledged"));
            Assert.AreEqual(0, node.BacklogCount, string.Concat(what, "nothing left waiting at the node"));
            Assert.AreEqual(0, (int)node.ReadingsDropped, string.Concat(what, "no reading dropped"));
            if (lossPercent > 0)
            {
                Assert.IsTrue(net.Lost > 0, "the link lost datagrams");
                Assert.IsTrue(node.Retransmissions > 0, "the node resent");
            }
        }
    }
}
