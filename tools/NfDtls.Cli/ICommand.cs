namespace NfDtls.Cli;

/// <summary>One `nfdtls` subcommand. Exit codes are a contract scripts rely on (see ExitCodes).</summary>
public interface ICommand
{
    /// <summary>Names this command answers to (e.g. "get", "put" …).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>One line for `nfdtls --help`.</summary>
    string Summary { get; }

    /// <summary>Runs with the arguments after the command name (args[0] is the name used).</summary>
    int Run(string name, string[] args);
}
