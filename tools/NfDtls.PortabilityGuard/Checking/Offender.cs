namespace NfDtls.PortabilityGuard.Checking;

/// <summary>One line that fails the guard and why.</summary>
public sealed record Offender(string Line, string Reason)
{
    public override string ToString() => Line + "    <- " + Reason;
}
