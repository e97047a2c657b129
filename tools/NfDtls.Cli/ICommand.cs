namespace NfDtls.Cli;

/// <summary>One `nfdtls` subcommand. Exit codes are a contract scripts rely on (see ExitCodes).</summary>
public interface ICommand
{
    /// <summary>Names this command answers to (e.g. "get", "put" …).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>One line for `nfdtls --help`.</summary>
    string Summary { get; }

    /// <summary>The options and arguments it takes (System.CommandLine parses them; see CommandTable).</summary>
    CommandSyntax Syntax { get; }

    /// <summary>`nfdtls NAME --help`: usage, options, exit codes and examples.</summary>
    void PrintHelp(TextWriter w, string name);

    /// <summary>Runs with the parsed arguments; <paramref name="name"/> is the name used.</summary>
    int Run(string name, ParsedArguments arguments);
}
