namespace NfDtls.PortabilityGuard.Checking;

/// <summary>One line that fails the guard, why, and (when the IL uses it directly) the methods that use it.</summary>
public sealed record Offender(string Line, string Reason)
{
    public IReadOnlyCollection<string> UsedIn { get; init; } = Array.Empty<string>();

    public override string ToString() => Line + "    <- " + Reason
        + (UsedIn.Count > 0 ? " (used in " + string.Join(", ", UsedIn) + ")" : "");
}
