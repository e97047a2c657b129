using nanoFramework.TestFramework;
using NfDtls.Crypto;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>P-256 on the board's interpreter: RFC 6979 signatures, RFC 5903 and NIST CAVP ECDH, bad points refused.</summary>
    [TestClass]
    public class P256VectorTests
    {
        [TestMethod]
        public void Rfc6979DeterministicSignatures()
        {
            IEcdsaP256 ecdsa = PortableCryptoProvider.Instance.CreateEcdsaP256();
            byte[] privateKey = VectorHex.Parse(CryptoVectors.Rfc6979Private);
            byte[] publicKey = new byte[65];
            Assert.IsTrue(ecdsa.DerivePublicKey(privateKey, 0, publicKey, 0), "derive public key");
            VectorAssert.Bytes(CryptoVectors.Rfc6979Public, publicKey, 0, "RFC 6979 public key");

            var sha = new Sha256();
            byte[] hash = new byte[Sha256.HashSize];
            byte[] signature = new byte[64];
            for (int i = 0; i < CryptoVectors.Rfc6979Signatures.Length; i++)
            {
                string[] row = CryptoVectors.Rfc6979Signatures[i];
                byte[] message = VectorHex.Ascii(row[0]);
                sha.Update(message, 0, message.Length);
                sha.Finish(hash, 0);
                Assert.IsTrue(ecdsa.Sign(privateKey, 0, hash, 0, signature, 0), row[0]);
                VectorAssert.Bytes(string.Concat(row[1], row[2]), signature, 0, string.Concat("RFC 6979 signature of ", row[0]));
                Assert.IsTrue(ecdsa.Verify(publicKey, 0, 65, hash, 0, signature, 0), string.Concat("verify ", row[0]));
                hash[5] ^= 1;
                Assert.IsFalse(ecdsa.Verify(publicKey, 0, 65, hash, 0, signature, 0), string.Concat("altered hash accepted for ", row[0]));
            }
        }

        [TestMethod]
        public void Rfc5903Ecdh()
        {
            IEcdhP256 initiator = PortableCryptoProvider.Instance.CreateEcdhP256();
            byte[] pub = new byte[65];
            byte[] shared = new byte[32];
            Assert.IsTrue(initiator.ImportPrivateKey(VectorHex.Parse(CryptoVectors.Rfc5903I), 0), "import i");
            Assert.IsTrue(initiator.ExportPublicKey(pub, 0), "export gi");
            VectorAssert.Bytes(CryptoVectors.Rfc5903GI, pub, 0, "RFC 5903 g^i");
            byte[] gr = VectorHex.Parse(CryptoVectors.Rfc5903GR);
            Assert.IsTrue(initiator.DeriveSharedSecret(gr, 0, gr.Length, shared, 0), "derive g^ir");
            VectorAssert.Bytes(CryptoVectors.Rfc5903GirX, shared, 0, "RFC 5903 g^ir");

            // The same point with Y altered is off the curve: refused, no secret.
            gr[64] ^= 1;
            Assert.IsFalse(initiator.DeriveSharedSecret(gr, 0, gr.Length, shared, 0), "off-curve point accepted");
        }

        [TestMethod]
        public void NistCavpEcdh()
        {
            IEcdhP256 ecdh = PortableCryptoProvider.Instance.CreateEcdhP256();
            byte[] pub = new byte[65];
            byte[] shared = new byte[32];
            for (int i = 0; i < CryptoVectors.CavpEcdh.Length; i++)
            {
                string[] row = CryptoVectors.CavpEcdh[i];
                string count = string.Concat("CAVP COUNT ", i.ToString());
                Assert.IsTrue(ecdh.ImportPrivateKey(VectorHex.Parse(row[2]), 0), count);
                Assert.IsTrue(ecdh.ExportPublicKey(pub, 0), count);
                VectorAssert.Bytes(string.Concat("04", row[3], row[4]), pub, 0, count);
                byte[] peer = VectorHex.Parse(string.Concat("04", row[0], row[1]));
                Assert.IsTrue(ecdh.DeriveSharedSecret(peer, 0, peer.Length, shared, 0), count);
                VectorAssert.Bytes(row[5], shared, 0, count);
            }
        }
    }
}
