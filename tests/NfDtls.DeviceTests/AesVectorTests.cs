using nanoFramework.TestFramework;
using NfDtls.Crypto;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    [TestClass]
    public class AesVectorTests
    {
        [TestMethod]
        public void Fips197Blocks()
        {
            var aes = new Aes128();
            byte[] output = new byte[Aes128.BlockSize];
            for (int i = 0; i < CryptoVectors.Aes128.Length; i++)
            {
                string[] row = CryptoVectors.Aes128[i];
                aes.SetKey(VectorHex.Parse(row[0]), 0);
                aes.EncryptBlock(VectorHex.Parse(row[1]), 0, output, 0);
                VectorAssert.Bytes(row[2], output, 0, string.Concat("FIPS 197 block ", i.ToString()));
            }
        }

        [TestMethod]
        public void CcmSealsOpensAndRefusesATamperedTag()
        {
            for (int i = 0; i < CryptoVectors.AesCcm.Length; i++)
            {
                string[] row = CryptoVectors.AesCcm[i];
                byte[] key = VectorHex.Parse(row[1]);
                byte[] nonce = VectorHex.Parse(row[2]);
                byte[] aad = VectorHex.Parse(row[3]);
                byte[] plain = VectorHex.Parse(row[4]);
                byte[] expected = VectorHex.Parse(row[5]);
                var ccm = new Aes128Ccm(expected.Length - plain.Length);
                ccm.SetKey(key, 0);

                byte[] sealedBuf = new byte[expected.Length];
                Assert.IsTrue(ccm.Seal(nonce, 0, nonce.Length, aad, 0, aad.Length, plain, 0, plain.Length, sealedBuf, 0), row[0]);
                VectorAssert.Bytes(row[5], sealedBuf, 0, row[0]);

                byte[] opened = new byte[plain.Length];
                Assert.IsTrue(ccm.Open(nonce, 0, nonce.Length, aad, 0, aad.Length, sealedBuf, 0, sealedBuf.Length, opened, 0), row[0]);
                VectorAssert.Bytes(row[4], opened, 0, row[0]);

                // RFC 3610 §2.5: a wrong tag releases no plaintext.
                sealedBuf[sealedBuf.Length - 1] ^= 1;
                Assert.IsFalse(ccm.Open(nonce, 0, nonce.Length, aad, 0, aad.Length, sealedBuf, 0, sealedBuf.Length, opened, 0),
                    string.Concat(row[0], ": tampered tag accepted"));
            }
        }
    }
}
