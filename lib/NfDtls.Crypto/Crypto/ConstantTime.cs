namespace NfDtls.Crypto
{
    /// <summary>Comparisons whose running time does not depend on where the inputs differ (MACs, tags, Finished).</summary>
    public static class ConstantTime
    {
        /// <summary>
        /// True when a[aOff..aOff+len) equals b[bOff..bOff+len). Always reads all <paramref name="len"/> bytes and
        /// branches only on the accumulated difference at the end.
        /// </summary>
        public static bool Equals(byte[] a, int aOffset, byte[] b, int bOffset, int length)
        {
            int diff = 0;
            for (int i = 0; i < length; i++)
            {
                diff |= a[aOffset + i] ^ b[bOffset + i];
            }
            return diff == 0;
        }
    }
}
