namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// One assembly the guard watches: where it is, its reviewed baseline, the nanoFramework API lists its lines must
/// be in, assemblies it may use freely (our own, themselves guarded) and PORTABLE.md rules that do not apply to it
/// (a device adapter may read the clock; the core may not).
/// </summary>
public sealed record GuardTarget(
    string Name,
    string AssemblyPath,
    string BaselinePath,
    IReadOnlyList<string> ApiListPaths,
    IReadOnlyList<string> TrustedAssemblies,
    IReadOnlySet<string> AllowedRuleIds)
{
    /// <summary>mscorlib-1.17.txt and its NoReflection sibling: a line in the first but not the second would not run
    /// on the NoReflection firmware flavour (PORTABLE.md). Null: not checked.</summary>
    public (string Mscorlib, string NoReflection)? NoReflectionPair { get; init; }
}
