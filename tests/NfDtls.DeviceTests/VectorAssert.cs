using nanoFramework.TestFramework;
using NfDtls.Vectors;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// Compares computed bytes with a vector's hex, naming the vector when they differ. No commas in the message:
    /// nanoFramework's test adapter splits its result lines on commas.
    /// </summary>
    public static class VectorAssert
    {
        public static void Bytes(string expectedHex, byte[] actual, int offset, string what)
        {
            string got = VectorHex.Of(actual, offset, expectedHex.Length / 2);
            Assert.IsTrue(VectorHex.SameHex(expectedHex, got), string.Concat(what, ": expected ", expectedHex, " but got ", got));
        }
    }
}
