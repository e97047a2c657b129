using nanoFramework.TestFramework;
using NfDtls.Crypto;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    [TestClass]
    public class Sha256VectorTests
    {
        [TestMethod]
        public void NistShortMessages()
        {
            var sha = new Sha256();
            byte[] digest = new byte[Sha256.HashSize];
            for (int i = 0; i < CryptoVectors.Sha256.Length; i++)
            {
                string[] row = CryptoVectors.Sha256[i];
                byte[] message = VectorHex.Parse(row[0]);
                sha.Update(message, 0, message.Length);
                sha.Finish(digest, 0);
                VectorAssert.Bytes(row[1], digest, 0, string.Concat("SHA-256 vector ", i.ToString()));
            }
        }

        [TestMethod]
        public void NistOneMillionA()
        {
            // FIPS 180-4 long message, fed in 1000-byte chunks (a board's heap has no room for the whole million).
            byte[] chunk = new byte[1000];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = 0x61;
            }
            var sha = new Sha256();
            for (int fed = 0; fed < CryptoVectors.Sha256MillionACount; fed += chunk.Length)
            {
                sha.Update(chunk, 0, chunk.Length);
            }
            byte[] digest = new byte[Sha256.HashSize];
            sha.Finish(digest, 0);
            VectorAssert.Bytes(CryptoVectors.Sha256MillionADigest, digest, 0, "SHA-256 of a million 'a'");
        }
    }
}
