namespace NfDtls.Crypto
{
    /// <summary>
    /// The ASCII PRF labels of TLS 1.2 / DTLS 1.2, built once. Shared read-only arrays: never write into them.
    /// </summary>
    public static class TlsLabels
    {
        /// <summary>RFC 5246 §8.1.</summary>
        public static readonly byte[] MasterSecret = Ascii("master secret");

        /// <summary>RFC 7627 §4 (extended master secret: seed is the session hash).</summary>
        public static readonly byte[] ExtendedMasterSecret = Ascii("extended master secret");

        /// <summary>RFC 5246 §6.3 (seed is server_random + client_random).</summary>
        public static readonly byte[] KeyExpansion = Ascii("key expansion");

        /// <summary>RFC 5246 §7.4.9.</summary>
        public static readonly byte[] ClientFinished = Ascii("client finished");

        /// <summary>RFC 5246 §7.4.9.</summary>
        public static readonly byte[] ServerFinished = Ascii("server finished");

        // No System.Text on the device: labels are plain ASCII, one char to one byte.
        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (byte)s[i];
            }
            return b;
        }
    }
}
