using NfDtls.Cli.Completion;

namespace NfDtls.Cli.Commands;

/// <summary>`nfdtls completion bash|zsh|pwsh`: prints the script that makes that shell complete nfdtls.</summary>
public sealed class CompletionCommand : ICommand
{
    public IReadOnlyList<string> Names { get; } = new[] { "completion" };

    public string Summary => "shell completion: source <(nfdtls completion bash), or zsh, pwsh";

    public CommandSyntax Syntax { get; } = new CommandSyntax().Argument("SHELL").Completes("SHELL", () => CompletionScripts.Shells);

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("usage: nfdtls completion bash|zsh|pwsh");
        w.WriteLine();
        w.WriteLine("Prints a script that makes the shell complete nfdtls commands, options and option values (--suite,");
        w.WriteLine("--security, --board …; file names otherwise). The script asks nfdtls itself, so it stays right as");
        w.WriteLine("commands change: nfdtls \"[suggest:N]\" \"LINE\" prints the candidates for LINE with the cursor at N.");
        w.WriteLine();
        w.WriteLine("exit codes: 0 printed, 2 no or unknown shell");
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  source <(nfdtls completion bash)                                   # this bash session");
        w.WriteLine("  nfdtls completion bash > ~/.local/share/bash-completion/completions/nfdtls");
        w.WriteLine("  nfdtls completion zsh > \"${fpath[1]}/_nfdtls\"                      # zsh, with compinit");
        w.WriteLine("  nfdtls completion pwsh | Out-String | Invoke-Expression             # PowerShell ($PROFILE)");
    }

    public int Run(string name, ParsedArguments o)
    {
        if (o.Positional.Count == 0)
        {
            throw new UsageException("which shell? bash, zsh or pwsh");
        }
        string script = CompletionScripts.For(o.Positional[0])
            ?? throw new UsageException("no completion for '" + o.Positional[0] + "' (bash, zsh or pwsh)");
        Console.Out.Write(script);
        return ExitCodes.Ok;
    }
}
