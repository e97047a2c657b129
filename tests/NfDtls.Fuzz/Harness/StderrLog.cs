using NfDtls.Diagnostics;

namespace NfDtls.Fuzz.Harness;

/// <summary>`replay -v`: the engines' own log on stderr, to see what an input does.</summary>
public sealed class StderrLog(string prefix) : ILog
{
    public bool Enabled => true;

    public void Write(string message) => Console.Error.WriteLine(prefix + message);
}
