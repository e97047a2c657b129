using nanoFramework.TestFramework;
using NfDtls.Crypto;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    [TestClass]
    public class TlsPrfVectorTests
    {
        [TestMethod]
        public void PublishedVector()
        {
            byte[] secret = VectorHex.Parse(CryptoVectors.TlsPrfSecret);
            byte[] seed = VectorHex.Parse(CryptoVectors.TlsPrfSeed);
            byte[] label = VectorHex.Ascii(CryptoVectors.TlsPrfLabel);
            int length = CryptoVectors.TlsPrfOutput.Length / 2;
            byte[] output = new byte[length + 2];
            new TlsPrf().Derive(secret, 0, secret.Length, label, 0, label.Length, seed, 0, seed.Length, output, 1, length);
            VectorAssert.Bytes(CryptoVectors.TlsPrfOutput, output, 1, "TLS 1.2 PRF");
            Assert.AreEqual(0, output[0] | output[length + 1], "PRF wrote outside its range");
        }
    }
}
