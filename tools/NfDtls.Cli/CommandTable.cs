using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace NfDtls.Cli;

/// <summary>
/// The list of subcommands and the dispatcher, on System.CommandLine: it parses (response files with @FILE, POSIX
/// bundling), answers --help with each command's own help text, --version with the tool's version, and the
/// [suggest:N] directive the completion scripts call; usage errors exit 2 with "did you mean" suggestions.
/// </summary>
public static class CommandTable
{
    // Every ICommand in this assembly (each lives in its own file under Commands/), listed by name,
    // so adding a command never touches a shared list.
    private static readonly ICommand[] Commands = typeof(CommandTable).Assembly.GetTypes()
        .Where(t => typeof(ICommand).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface && t.GetConstructor(Type.EmptyTypes) != null)
        .Select(t => (ICommand)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Names[0], StringComparer.Ordinal)
        .ToArray();

    public static int Run(string[] args)
    {
        ParseResult parse = Root(out _).Parse(args);
        return parse.Action is ParseErrorAction ? UsageErrors(parse) : parse.Invoke();
    }

    /// <summary>
    /// Parses a command's arguments without running it (tests, and anything that wants a command's options read the
    /// way the command reads them). A parse error is a <see cref="UsageException"/>.
    /// </summary>
    public static ParsedArguments Parse(params string[] args)
    {
        ParseResult parse = Root(out var built).Parse(args);
        if (parse.Errors.Count > 0)
        {
            throw new UsageException(string.Join("; ", parse.Errors.Select(e => e.Message)));
        }
        return built.TryGetValue(parse.CommandResult.Command, out var command) ? command.Arguments(parse) : throw new UsageException("no command");
    }

    /// <summary>The command tree: every ICommand under each of its names; <paramref name="built"/> maps them back.</summary>
    private static RootCommand Root(out Dictionary<Command, BuiltCommand> built)
    {
        built = new Dictionary<Command, BuiltCommand>();
        var root = new RootCommand("nfdtls: CoAP over DTLS 1.2 (RFC 7925 profile) from the command line");
        // -h and --help only (not the library's -? /? /h), answered with our own help text.
        root.Options.Remove(root.Options.OfType<HelpOption>().Single());
        root.Options.Add(new HelpOption("--help", "-h") { Action = new HelpText(built) });
        root.SetAction(_ =>
        {
            PrintHelp(Console.Out);
            return ExitCodes.Usage; // no command given
        });
        var help = new Command("help", "the list of commands") { Hidden = true };
        help.SetAction(_ =>
        {
            PrintHelp(Console.Out);
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(help);
        foreach (ICommand c in Commands)
        {
            foreach (string name in c.Names)
            {
                var (command, options, argument) = c.Syntax.Build(name, c.Summary);
                var entry = new BuiltCommand(c, name, options, argument);
                command.SetAction(entry.Invoke);
                built[command] = entry;
                root.Subcommands.Add(command);
            }
        }
        return root;
    }

    /// <summary>
    /// A parse error: what is wrong, the library's "did you mean" for mistyped commands and options, and where help is.
    /// Exit 2 (the library's own parse-error exit code is 1, which here means "failed").
    /// </summary>
    private static int UsageErrors(ParseResult parse)
    {
        var err = Console.Error;
        Command command = parse.CommandResult.Command;
        bool atRoot = command is RootCommand;
        string who = atRoot ? "nfdtls" : "nfdtls " + command.Name;
        string? unknownCommand = atRoot && parse.UnmatchedTokens.Count > 0 && parse.Tokens.Count > 0
            && parse.Tokens[0].Value == parse.UnmatchedTokens[0] && !parse.UnmatchedTokens[0].StartsWith('-')
            ? parse.UnmatchedTokens[0] : null;
        if (unknownCommand != null)
        {
            err.WriteLine("nfdtls: unknown command '" + unknownCommand + "'");
        }
        else
        {
            // Tokens nothing took, in this tool's words; then the library's other messages (a missing value …).
            foreach (string token in parse.UnmatchedTokens)
            {
                err.WriteLine(who + ": " + (token.StartsWith('-') ? "unknown option " + token : "unexpected argument '" + token + "'"));
            }
            foreach (var e in parse.Errors)
            {
                if (!parse.UnmatchedTokens.Any(t => e.Message.Contains("'" + t + "'", StringComparison.Ordinal)))
                {
                    err.WriteLine(who + ": " + e.Message);
                }
            }
        }
        err.Write(Suggestions(parse));
        if (atRoot)
        {
            PrintHelp(err);
        }
        else
        {
            err.WriteLine("see: " + who + " --help");
        }
        return ExitCodes.Usage;
    }

    /// <summary>
    /// The library's typo corrections ("'gett' was not matched. Did you mean one of the following? get"), kept for
    /// mistyped commands and options: a stray value (`x` after an unknown option) gets no list of look-alike switches.
    /// </summary>
    private static string Suggestions(ParseResult parse)
    {
        var text = new StringWriter();
        ((ParseErrorAction)parse.Action!).ShowHelp = false;
        parse.Invoke(new InvocationConfiguration { Output = text, Error = TextWriter.Null, EnableDefaultExceptionHandler = false });
        var kept = new System.Text.StringBuilder();
        bool keep = false;
        foreach (string line in text.ToString().Split('\n'))
        {
            string l = line.TrimEnd('\r');
            if (l.Length == 0)
            {
                continue;
            }
            if (l.StartsWith('\'') && l.Contains("' ", StringComparison.Ordinal))
            {
                string token = l[1..l.IndexOf("' ", StringComparison.Ordinal)];
                keep = token.StartsWith('-') || parse.CommandResult.Command is RootCommand;
            }
            if (keep)
            {
                kept.Append(l).Append('\n');
            }
        }
        return kept.ToString();
    }

    private static void PrintHelp(TextWriter w)
    {
        w.WriteLine("nfdtls: CoAP over DTLS 1.2 (RFC 7925 profile) from the command line");
        w.WriteLine();
        w.WriteLine("usage: nfdtls <command> [options]   (nfdtls <command> --help for its options)");
        w.WriteLine("       nfdtls --version;  nfdtls <command> @FILE reads more arguments from FILE, one or more a line");
        w.WriteLine();
        foreach (var c in Commands)
        {
            w.WriteLine("  " + string.Join("|", c.Names).PadRight(40) + c.Summary);
        }
    }

    /// <summary>--help / -h: the top-level list, or the command's own text.</summary>
    private sealed class HelpText(Dictionary<Command, BuiltCommand> built) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            if (built.TryGetValue(parseResult.CommandResult.Command, out var command))
            {
                command.Command.PrintHelp(Console.Out, command.Name);
            }
            else
            {
                PrintHelp(Console.Out);
            }
            return ExitCodes.Ok;
        }
    }

    private sealed class BuiltCommand(ICommand command, string name, Dictionary<string, Option> options, Argument<string>? argument)
    {
        public ICommand Command => command;
        public string Name => name;

        public ParsedArguments Arguments(ParseResult parse) => new(parse, options, argument);

        public int Invoke(ParseResult parse)
        {
            try
            {
                return command.Run(name, Arguments(parse));
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine("nfdtls " + name + ": " + e.Message);
                Console.Error.WriteLine("see: nfdtls " + name + " --help");
                return ExitCodes.Usage;
            }
        }
    }
}
