namespace NfDtls.PortabilityGuard;

/// <summary>A problem with the guard's inputs (missing assembly, list or project file): reported, exit code 2.</summary>
public sealed class GuardException : Exception
{
    public GuardException(string message) : base(message) { }
}
