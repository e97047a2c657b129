using NfDtls.Dtls;

namespace NfDtls.Desktop.Dtls;

/// <summary>
/// Appends NSS key log lines ("CLIENT_RANDOM &lt;random hex&gt; &lt;master secret hex&gt;") so Wireshark/tshark can decrypt
/// captured DTLS. For debugging only.
/// </summary>
public sealed class NssKeyLogFile : IDtlsKeyLog, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly object _gate = new();

    public NssKeyLogFile(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true, NewLine = "\n" };
    }

    public int Lines { get; private set; }

    public void OnSecret(byte[] clientRandom32, byte[] masterSecret48)
    {
        lock (_gate)
        {
            _writer.WriteLine("CLIENT_RANDOM " + Convert.ToHexString(clientRandom32).ToLowerInvariant() + " " + Convert.ToHexString(masterSecret48).ToLowerInvariant());
            Lines++;
        }
    }

    public void Dispose() => _writer.Dispose();
}
