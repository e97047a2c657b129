namespace NfDtls.Simulation.Capture;

/// <summary>
/// NSS key log format (the file Wireshark's tls.keylog_file reads): one `CLIENT_RANDOM &lt;client random hex&gt; &lt;master secret hex&gt;`
/// line per session, which lets a dissector decrypt TLS 1.2 / DTLS 1.2 records.
/// </summary>
public sealed class KeyLogWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();

    public KeyLogWriter(TextWriter writer)
    {
        _writer = writer;
    }

    public static KeyLogWriter Create(string path) => new(new StreamWriter(path) { AutoFlush = true, NewLine = "\n" });

    public int Lines { get; private set; }

    public void Write(byte[] clientRandom, int clientRandomOffset, byte[] masterSecret, int masterSecretOffset)
    {
        string line = "CLIENT_RANDOM " + Convert.ToHexString(clientRandom, clientRandomOffset, 32).ToLowerInvariant() + " "
            + Convert.ToHexString(masterSecret, masterSecretOffset, 48).ToLowerInvariant();
        lock (_gate)
        {
            _writer.WriteLine(line);
            Lines++;
        }
    }

    public void Dispose() => _writer.Dispose();
}
