namespace NfDtls.Cli;

/// <summary>The list of subcommands and the dispatcher.</summary>
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
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(Console.Out);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        foreach (var c in Commands)
        {
            if (c.Names.Contains(args[0]))
            {
                try
                {
                    return c.Run(args[0], args[1..]);
                }
                catch (UsageException e)
                {
                    Console.Error.WriteLine("nfdtls " + args[0] + ": " + e.Message);
                    Console.Error.WriteLine("see: nfdtls " + args[0] + " --help");
                    return ExitCodes.Usage;
                }
            }
        }
        Console.Error.WriteLine("nfdtls: unknown command '" + args[0] + "'");
        PrintHelp(Console.Error);
        return ExitCodes.Usage;
    }

    private static void PrintHelp(TextWriter w)
    {
        w.WriteLine("nfdtls: CoAP over DTLS 1.2 (RFC 7925 profile) from the command line");
        w.WriteLine();
        w.WriteLine("usage: nfdtls <command> [options]   (nfdtls <command> --help for its options)");
        w.WriteLine();
        foreach (var c in Commands)
        {
            w.WriteLine("  " + string.Join("|", c.Names).PadRight(40) + c.Summary);
        }
    }
}
