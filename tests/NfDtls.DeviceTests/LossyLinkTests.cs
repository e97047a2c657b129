using nanoFramework.TestFramework;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// A PSK handshake over an in-memory link that loses 30% of the datagrams both ways (seeded: the same datagrams
    /// are lost on every run, on a board and on desktop), in virtual time driven by the engines' NextDeadline: flights
    /// are resent on their timers (RFC 6347 §4.2.4) until both sides hold the session, then data crosses both ways.
    /// </summary>
    [TestClass]
    public class LossyLinkTests
    {
        [TestMethod]
        public void PskHandshakeSurvivesThirtyPercentLoss()
        {
            // Seeds whose losses fall inside the handshake (seeds 3 and 4, for two, lose nothing in their first eight datagrams).
            uint[] seeds = { 1, 2, 7, 8 };
            int lost = 0;
            int sent = 0;
            for (int k = 0; k < seeds.Length; k++)
            {
                DtlsPair pair = new DtlsPair(DtlsTestConfigs.Psk(41 + k), DtlsTestConfigs.Psk(51 + k),
                    DtlsTestConfigs.PskIdentity(), DtlsTestConfigs.PskKey());
                pair.Net.LoseDatagrams(30, seeds[k] * 2654435761u);
                string name = string.Concat("seed ", seeds[k].ToString());
                Assert.IsTrue(pair.Handshake(600000), string.Concat(name, ": handshake stopped at ", pair.Client.Session.HandshakeStep));
                int resent = pair.Client.Session.Retransmissions + pair.Server.FindSession(pair.Net.AddressOf(DtlsPair.ClientIndex)).Retransmissions;
                Assert.IsTrue(pair.Net.Lost > 0, string.Concat(name, ": the handshake lost datagrams"));
                Assert.IsTrue(resent > 0, string.Concat(name, ": lost flights were resent"));
                for (int i = 0; i < 5; i++)
                {
                    Assert.IsTrue(pair.Deliver(true, string.Concat("up ", i.ToString()), 30), string.Concat(name, ": data to the server"));
                    Assert.IsTrue(pair.Deliver(false, string.Concat("down ", i.ToString()), 30), string.Concat(name, ": data to the client"));
                }
                Assert.AreEqual(0, pair.ServerEvents.Closed + pair.ClientEvents.Closed, string.Concat(name, ": no session closed"));
                lost += pair.Net.Lost;
                sent += pair.Net.Sent;
            }
            // The link really lost about 30%: a generator stuck high or low would let this test pass for nothing.
            int total = lost + sent;
            Assert.IsTrue(lost * 100 >= total * 20 && lost * 100 <= total * 40,
                string.Concat("lost ", lost.ToString(), " of ", total.ToString()));
        }
    }
}
