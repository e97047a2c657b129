namespace NfDtls.Cli;

/// <summary>A command-line mistake found after parsing (a bad value, a missing credential): printed with the command's usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
