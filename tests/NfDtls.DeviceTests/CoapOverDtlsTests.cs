using nanoFramework.TestFramework;
using NfDtls.Coap;
using NfDtls.Coap.Message;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// CoAP over DTLS (coaps://, RFC 7252 §9.1) in memory: a GET, a block-wise GET of a body larger than 2 KB (RFC
    /// 7959 §2.4: 512-byte blocks, as fit a 1024-byte record) and an observation with three notifications (RFC 7641),
    /// each message one DTLS record. PSK, so cheap on a board.
    /// </summary>
    [TestClass]
    public class CoapOverDtlsTests
    {
        [TestMethod]
        public void GetOverDtls()
        {
            CoapOverDtlsPair pair = Start();
            pair.Server.AddResource(new TextResource("hello", "hello over dtls"));
            CoapResponseRecorder r = new CoapResponseRecorder();
            Assert.IsTrue(pair.Get("/hello", false, r) >= 0, "request accepted");
            pair.Net.RunUntil(pair.Net.NowMs + 10000);
            Assert.AreEqual(1, r.Responses, "one response");
            Assert.AreEqual(0, r.Failures, "no failure");
            Assert.AreEqual(CoapCode.Content, r.LastCode, "2.05 Content");
            Assert.AreEqual("hello over dtls", r.LastText(), "payload");
            Assert.AreEqual(1, pair.Server.RequestsExecuted, "executed once");
        }

        [TestMethod]
        public void BlockwiseGetOfMoreThanTwoKilobytes()
        {
            CoapOverDtlsPair pair = Start();
            PatternResource big = new PatternResource("big", 2500);
            pair.Server.AddResource(big);
            CoapResponseRecorder r = new CoapResponseRecorder();
            Assert.IsTrue(pair.Get("/big", false, r) >= 0, "request accepted");
            pair.Net.RunUntil(pair.Net.NowMs + 30000);
            Assert.AreEqual(1, r.Responses, "one reassembled response");
            Assert.AreEqual(0, r.Failures, "no failure");
            Assert.AreEqual(CoapCode.Content, r.LastCode, "2.05 Content");
            Assert.AreEqual(2500, r.LastPayloadLength, "whole body");
            int wrong = -1;
            for (int i = 0; i < 2500 && wrong < 0; i++)
            {
                if (r.PayloadByte(i) != PatternResource.At(i))
                {
                    wrong = i;
                }
            }
            Assert.AreEqual(-1, wrong, "first wrong byte");
            // 2500 bytes in 512-byte blocks: five requests (Block2 0 to 4) each answered by a block.
            Assert.AreEqual(5, big.Gets, "one request per block");
        }

        [TestMethod]
        public void ObserveDeliversThreeNotifications()
        {
            CoapOverDtlsPair pair = Start();
            CounterResource counter = new CounterResource("counter");
            pair.Server.AddResource(counter);
            CoapResponseRecorder r = new CoapResponseRecorder();
            Assert.IsTrue(pair.Get("/counter", true, r) >= 0, "registration accepted");
            pair.Net.RunUntil(pair.Net.NowMs + 5000);
            Assert.AreEqual(1, r.Responses, "registration answered");
            Assert.AreEqual("0", r.LastText(), "first state");
            Assert.IsTrue(r.LastObserve >= 0, "the answer carries Observe");
            Assert.AreEqual(1, pair.Server.ObserverCount, "one observer");
            long previous = r.LastObserve;
            for (int n = 1; n <= 3; n++)
            {
                counter.Increment();
                Assert.AreEqual(1, pair.Server.Notify(counter, pair.Net.NowMs), string.Concat("notification ", n.ToString(), " sent"));
                pair.Net.RunUntil(pair.Net.NowMs + 5000);
                Assert.AreEqual(1 + n, r.Responses, string.Concat("notification ", n.ToString(), " delivered"));
                Assert.AreEqual(n.ToString(), r.LastText(), string.Concat("notification ", n.ToString(), " state"));
                Assert.IsTrue(r.LastObserve > previous, string.Concat("notification ", n.ToString(), " Observe grows"));
                previous = r.LastObserve;
            }
            Assert.AreEqual(0, r.Failures, "no failure");
            Assert.AreEqual(1, pair.Server.ObserverCount, "still observing");
        }

        private static CoapOverDtlsPair Start()
        {
            CoapConfig server = new CoapConfig();
            server.Seed = 3;
            server.BlockBufferSize = 512;
            CoapConfig client = new CoapConfig();
            client.Seed = 4;
            client.BlockBufferSize = 4096;
            CoapOverDtlsPair pair = new CoapOverDtlsPair(server, client);
            Assert.IsTrue(pair.Connect(), "dtls handshake");
            return pair;
        }
    }
}
