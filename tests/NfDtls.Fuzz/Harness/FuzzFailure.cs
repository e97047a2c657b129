namespace NfDtls.Fuzz.Harness;

/// <summary>A broken invariant (a round trip that does not round-trip, a datagram larger than configured...).</summary>
public sealed class FuzzFailure(string message) : Exception(message)
{
    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzFailure(what);
        }
    }
}
