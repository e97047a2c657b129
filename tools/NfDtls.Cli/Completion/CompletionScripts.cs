namespace NfDtls.Cli.Completion;

/// <summary>
/// Shell scripts that complete `nfdtls` by asking nfdtls itself: System.CommandLine's [suggest:POSITION] directive
/// takes the line typed so far and prints one candidate a line (commands, options, values of --suite, --security,
/// --board …). The line's first word is replaced by "nfdtls" (the root command's name), whatever path started it.
/// When nfdtls offers nothing (a file argument), the shell completes file names.
/// </summary>
public static class CompletionScripts
{
    public static readonly string[] Shells = { "bash", "zsh", "pwsh" };

    public static string? For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "pwsh" or "powershell" => PowerShell,
        _ => null,
    };

    public const string Bash = """
        # nfdtls completion for bash. Now:  source <(nfdtls completion bash)
        # Every new shell:  nfdtls completion bash > ~/.local/share/bash-completion/completions/nfdtls
        _nfdtls_complete()
        {
            local typed="${COMP_LINE:0:COMP_POINT}"
            typed="nfdtls${typed#*"${COMP_WORDS[0]}"}"
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(nfdtls "[suggest:${#typed}]" "$typed" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -o bashdefault -F _nfdtls_complete nfdtls

        """;

    public const string Zsh = """
        #compdef nfdtls
        # nfdtls completion for zsh. Now:  source <(nfdtls completion zsh)   (after compinit)
        # Every new shell:  nfdtls completion zsh > "${fpath[1]}/_nfdtls"
        _nfdtls() {
          local line="nfdtls ${(j: :)${(@)words[2,CURRENT]}}"
          local -a candidates
          candidates=(${(f)"$(nfdtls "[suggest:${#line}]" "$line" 2>/dev/null)"})
          if (( ${#candidates} )); then
            compadd -- $candidates
          else
            _files
          fi
        }
        if [[ "${funcstack[1]}" == "_nfdtls" ]]; then
          _nfdtls "$@"
        else
          compdef _nfdtls nfdtls
        fi

        """;

    public const string PowerShell = """
        # nfdtls completion for PowerShell. Now:  nfdtls completion pwsh | Out-String | Invoke-Expression
        # Every new shell: add that line to $PROFILE.
        Register-ArgumentCompleter -Native -CommandName nfdtls -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $typed = $commandAst.ToString()
            $typed = $typed.Substring(0, [Math]::Min($typed.Length, $cursorPosition - $commandAst.Extent.StartOffset))
            $line = 'nfdtls' + $typed.Substring($commandAst.CommandElements[0].Extent.Text.Length)
            if ($wordToComplete -eq '' -and -not $line.EndsWith(' ')) { $line += ' ' }
            nfdtls "[suggest:$($line.Length)]" "$line" 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
