namespace NfDtls.Fuzz.Harness;

/// <summary>
/// One fuzz target: takes one input, drives one parser or engine through its public API and throws when an invariant
/// breaks. Any exception that leaves <see cref="Execute"/> is a finding (afl-fuzz records it as a crash).
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name on the command line and the corpus folder (corpus/NAME).</summary>
    public abstract string Name { get; }

    /// <summary>One line for `list` and the README.</summary>
    public abstract string Description { get; }

    public abstract void Execute(byte[] data, int length);

    /// <summary>`replay -v`: targets say how far an input got (handshakes completed...).</summary>
    public static bool Verbose;
}
