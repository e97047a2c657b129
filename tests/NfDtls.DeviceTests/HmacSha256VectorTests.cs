using nanoFramework.TestFramework;
using NfDtls.Crypto;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    [TestClass]
    public class HmacSha256VectorTests
    {
        [TestMethod]
        public void Rfc4231Cases()
        {
            var hmac = new HmacSha256();
            byte[] mac = new byte[HmacSha256.MacSize];
            for (int i = 0; i < CryptoVectors.HmacSha256.Length; i++)
            {
                string[] row = CryptoVectors.HmacSha256[i];
                byte[] key = VectorHex.Parse(row[1]);
                byte[] data = VectorHex.Parse(row[2]);
                hmac.SetKey(key, 0, key.Length);
                hmac.Update(data, 0, data.Length);
                hmac.Finish(mac, 0);
                VectorAssert.Bytes(row[3], mac, 0, string.Concat("RFC 4231 case ", row[0]));
            }
        }
    }
}
