using nanoFramework.TestFramework;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// The DTLS engines back to back in memory, one handshake per kind of credential, then application data both
    /// ways: PSK (RFC 4279), ECDHE-ECDSA with raw public keys (RFC 7250) and ECDHE-ECDSA with X.509 certificates on
    /// both sides (RFC 7925 §4.4.2). Each side must end up holding the key the other really has. The two ECDHE
    /// handshakes cost the most here on a board (P-256 on the interpreter).
    /// </summary>
    [TestClass]
    public class DtlsHandshakeTests
    {
        [TestMethod]
        public void PskHandshakeCarriesDataBothWays()
        {
            DtlsPair pair = new DtlsPair(DtlsTestConfigs.Psk(11), DtlsTestConfigs.Psk(12),
                DtlsTestConfigs.PskIdentity(), DtlsTestConfigs.PskKey());
            Assert.IsTrue(pair.Handshake(60000), string.Concat("psk handshake stopped at ", pair.Client.Session.HandshakeStep));
            Assert.AreEqual(CipherSuite.TlsPskWithAes128Ccm8, pair.Client.Session.CipherSuite, "psk suite");
            Assert.AreEqual("node-001", pair.Server.FindSession(pair.Net.AddressOf(DtlsPair.ClientIndex)).PskIdentityText(), "server knows the identity");
            ExchangeData(pair);
        }

        [TestMethod]
        public void RawPublicKeyHandshakeCarriesDataBothWays()
        {
            DtlsConfig server = DtlsTestConfigs.RawPublicKey(21, GatewayTestCredentials.GatewayPrivateKey, GatewayTestCredentials.RpkPublicKey, true);
            DtlsConfig client = DtlsTestConfigs.RawPublicKey(22, GatewayTestCredentials.RpkPrivateKey, GatewayTestCredentials.GatewayPublicKey, false);
            DtlsPair pair = new DtlsPair(server, client, null, null);
            Assert.IsTrue(pair.Handshake(60000), string.Concat("rpk handshake stopped at ", pair.Client.Session.HandshakeStep));
            AssertPeerKeys(pair, EcdheEcdsaKeyExchange.CertTypeRawPublicKey, GatewayTestCredentials.RpkPublicKey);
            ExchangeData(pair);
        }

        [TestMethod]
        public void X509HandshakeWithClientCertificateCarriesDataBothWays()
        {
            DtlsPair pair = new DtlsPair(DtlsTestConfigs.X509Server(31), DtlsTestConfigs.X509Client(32), null, null);
            Assert.IsTrue(pair.Handshake(60000), string.Concat("x509 handshake stopped at ", pair.Client.Session.HandshakeStep));
            AssertPeerKeys(pair, EcdheEcdsaKeyExchange.CertTypeX509, GatewayTestCredentials.X509PublicKey);
            ExchangeData(pair);
        }

        /// <summary>Both sides authenticated the other with the expected kind of credential and hold its real key.</summary>
        private static void AssertPeerKeys(DtlsPair pair, int certificateType, string clientPublicKeyHex)
        {
            Assert.AreEqual(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, pair.Client.Session.CipherSuite, "ecdhe suite");
            Assert.IsTrue(pair.ClientEvents.HasPeerKey, "client has the server key");
            VectorAssert.Bytes(GatewayTestCredentials.GatewayPublicKey, pair.ClientEvents.PeerKey, 0, "server key seen by the client");
            Assert.IsTrue(pair.ServerEvents.HasPeerKey, "server has the client key");
            VectorAssert.Bytes(clientPublicKeyHex, pair.ServerEvents.PeerKey, 0, "client key seen by the server");
            Assert.AreEqual(certificateType, pair.ClientEvents.PeerKeyType, "server credential type");
            Assert.AreEqual(certificateType, pair.ServerEvents.PeerKeyType, "client credential type");
        }

        private static void ExchangeData(DtlsPair pair)
        {
            Assert.IsTrue(pair.Deliver(true, "reading 21.5 C", 1), "data to the server");
            Assert.IsTrue(pair.Deliver(false, "ack 21.5 C", 1), "data to the client");
            Assert.IsTrue(pair.Deliver(true, "second record", 1), "second record to the server");
            Assert.AreEqual(2, pair.ServerEvents.DataRecords, "server received two records");
            Assert.AreEqual(1, pair.ClientEvents.DataRecords, "client received one record");
            Assert.AreEqual(0, pair.ServerEvents.Closed + pair.ClientEvents.Closed, "no session closed");
            Assert.AreEqual(0, pair.ServerEvents.Alerts + pair.ClientEvents.Alerts, "no alert");
        }
    }
}
