using NfDtls.Diagnostics;

namespace NfDtls.Desktop.Dtls;

/// <summary>An <see cref="ILog"/> that writes time-stamped lines to a TextWriter (the CLI's -v).</summary>
public sealed class TextLog(TextWriter writer, string prefix = "") : ILog
{
    private readonly object _gate = new();

    public bool Enabled => true;

    public void Write(string message)
    {
        lock (_gate)
        {
            writer.WriteLine(prefix + DateTime.UtcNow.ToString("HH:mm:ss.fff") + " " + message);
        }
    }
}
