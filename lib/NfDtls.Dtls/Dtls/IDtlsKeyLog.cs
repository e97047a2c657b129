namespace NfDtls.Dtls
{
    /// <summary>
    /// Receives each session's master secret for the NSS key log format ("CLIENT_RANDOM &lt;hex random&gt; &lt;hex secret&gt;")
    /// so Wireshark can decrypt captures. Debugging only: never enable it in production.
    /// </summary>
    public interface IDtlsKeyLog
    {
        /// <summary>Both arrays are exactly sized (32 and 48 bytes) and only valid during the call.</summary>
        void OnSecret(byte[] clientRandom32, byte[] masterSecret48);
    }
}
