using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// DTLS configurations for the engine tests, from the fixed fleet credentials of
    /// <see cref="GatewayTestCredentials"/> (made by FleetProvisioner; certificates valid 2025-12-31T23:55Z to
    /// 2035-12-30T00:00Z, checked against the fixed clock <see cref="FixedWallClock"/> inside that): PSK as node-001,
    /// raw public keys as node-002 and the gateway, X.509 as node-003 and the gateway under the fleet CA.
    /// Retransmissions start after a second (RFC 6347 §4.2.4.1), so a lost flight costs little virtual time.
    /// </summary>
    public static class DtlsTestConfigs
    {
        /// <summary>node-001's identity (RFC 4279).</summary>
        public static byte[] PskIdentity()
        {
            return VectorHex.Ascii("node-001");
        }

        public static byte[] PskKey()
        {
            return VectorHex.Parse(GatewayTestCredentials.PskKey);
        }

        /// <summary>The server's key store: node-001 only.</summary>
        public static PskTable PskKeys()
        {
            PskTable keys = new PskTable(1);
            keys.Add(PskIdentity(), PskKey());
            return keys;
        }

        /// <summary>TLS_PSK_WITH_AES_128_CCM_8 (the default suite), randomness from a counting seed.</summary>
        public static DtlsConfig Psk(int seed)
        {
            DtlsConfig c = new DtlsConfig();
            c.Random = new HmacDrbg(new CountingEntropy(seed));
            c.InitialRetransmitMs = 1000;
            return c;
        }

        /// <summary>ECDHE-ECDSA with raw public keys both ways (RFC 7250): our key and the one peer key we accept.</summary>
        public static DtlsConfig RawPublicKey(int seed, string privateKeyHex, string peerPublicKeyHex, bool server)
        {
            EcdheCredentials e = new EcdheCredentials();
            e.PrivateKey = VectorHex.Parse(privateKeyHex);
            e.RawPublicKeys = true;
            e.TrustedKeys = new RpkAllowList(1);
            byte[] spki = new byte[P256Spki.Length];
            P256Spki.Encode(VectorHex.Parse(peerPublicKeyHex), 0, spki, 0);
            e.TrustedKeys.AddSpki(spki, 0, spki.Length);
            e.RequestClientCertificate = server;
            e.RequireClientCertificate = server;
            return Ecdhe(seed, e);
        }

        /// <summary>ECDHE-ECDSA with X.509 both ways (RFC 7925 §4.4.2): the server asks for and requires a client certificate.</summary>
        public static DtlsConfig X509Server(int seed)
        {
            EcdheCredentials e = X509(GatewayTestCredentials.GatewayPrivateKey, GatewayTestCredentials.GatewayCertificate);
            e.RequestClientCertificate = true;
            e.RequireClientCertificate = true;
            return Ecdhe(seed, e);
        }

        /// <summary>node-003 with its certificate; the gateway's must chain to the fleet CA and name 10.0.0.1 (its subjectAltName).</summary>
        public static DtlsConfig X509Client(int seed)
        {
            EcdheCredentials e = X509(GatewayTestCredentials.X509PrivateKey, GatewayTestCredentials.X509Certificate);
            e.ExpectedServerAddress = new byte[] { 10, 0, 0, 1 };
            return Ecdhe(seed, e);
        }

        private static EcdheCredentials X509(string privateKeyHex, string certificateHex)
        {
            EcdheCredentials e = new EcdheCredentials();
            e.PrivateKey = VectorHex.Parse(privateKeyHex);
            e.CertificateChain = new byte[][] { VectorHex.Parse(certificateHex) };
            e.TrustAnchors = new TrustAnchorStore(1);
            byte[] ca = VectorHex.Parse(GatewayTestCredentials.CaCertificate);
            e.TrustAnchors.AddCertificate(ca, 0, ca.Length);
            e.Clock = new FixedWallClock();
            return e;
        }

        private static DtlsConfig Ecdhe(int seed, EcdheCredentials credentials)
        {
            DtlsConfig c = Psk(seed);
            c.CipherSuites = new int[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            c.Ecdhe = credentials;
            return c;
        }
    }
}
