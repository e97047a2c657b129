using System.CommandLine;
using System.CommandLine.Completions;

namespace NfDtls.Cli;

/// <summary>
/// What one command accepts, declared as data and turned into a System.CommandLine <see cref="Command"/> per name:
/// value options (`--flag VALUE` or `--flag=VALUE`; given twice, the last wins and repeatable ones like --ca keep
/// all), switches (`-v|--verbose` declares aliases) and at most one positional argument. The library does the
/// tokenizing, response files (@FILE), "did you mean" and completion; the commands read values through
/// <see cref="ParsedArguments"/>.
/// </summary>
public sealed class CommandSyntax
{
    private readonly List<string> _values = new();
    private readonly List<string> _switches = new();
    private readonly Dictionary<string, Func<IEnumerable<string>>> _completions = new(StringComparer.Ordinal);
    private string? _argument;

    /// <summary>Options that take a value.</summary>
    public CommandSyntax Values(params string[] flags)
    {
        _values.AddRange(flags);
        return this;
    }

    /// <summary>Options without a value; "-v|--verbose" is one switch with two names.</summary>
    public CommandSyntax Switches(params string[] flags)
    {
        _switches.AddRange(flags);
        return this;
    }

    /// <summary>One optional positional argument (a URI, a shell name); the command says when it is missing.</summary>
    public CommandSyntax Argument(string name)
    {
        _argument = name;
        return this;
    }

    /// <summary>What a shell offers when completing <paramref name="flag"/>'s value (or the positional argument's, by its name).</summary>
    public CommandSyntax Completes(string flag, Func<IEnumerable<string>> values)
    {
        _completions[flag] = values;
        return this;
    }

    /// <summary>The command for <paramref name="name"/>, and every option by each of its names.</summary>
    internal (Command Command, Dictionary<string, Option> Options, Argument<string>? Argument) Build(string name, string description)
    {
        var command = new Command(name, description);
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (string flag in _values)
        {
            string[] names = flag.Split('|');
            var option = new Option<string>(names[0], names[1..])
            {
                // One value per occurrence (`--ca a b` is --ca a and a stray b); every occurrence is kept.
                Arity = ArgumentArity.OneOrMore,
                AllowMultipleArgumentsPerToken = false,
                CustomParser = r => r.Tokens.Count > 0 ? r.Tokens[^1].Value : null,
            };
            Complete(option.CompletionSources, flag);
            Add(command, options, option, names);
        }
        foreach (string flag in _switches)
        {
            string[] names = flag.Split('|');
            Add(command, options, new Option<bool>(names[0], names[1..]) { Arity = ArgumentArity.Zero }, names);
        }
        Argument<string>? argument = null;
        if (_argument != null)
        {
            argument = new Argument<string>(_argument) { Arity = ArgumentArity.ZeroOrOne };
            // An unknown option before the argument would be taken as its value: call it what it is.
            argument.Validators.Add(r =>
            {
                foreach (var token in r.Tokens)
                {
                    if (token.Value.Length > 1 && token.Value[0] == '-')
                    {
                        r.AddError("unknown option " + token.Value);
                    }
                }
            });
            Complete(argument.CompletionSources, _argument);
            command.Add(argument);
        }
        return (command, options, argument);
    }

    private void Complete(List<Func<CompletionContext, IEnumerable<CompletionItem>>> sources, string key)
    {
        if (_completions.TryGetValue(key, out var values))
        {
            sources.Add(_ => values());
        }
    }

    private static void Add(Command command, Dictionary<string, Option> options, Option option, string[] names)
    {
        command.Add(option);
        foreach (string n in names)
        {
            options.Add(n, option);
        }
    }
}
