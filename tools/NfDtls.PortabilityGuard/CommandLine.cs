namespace NfDtls.PortabilityGuard;

/// <summary>Positional arguments plus --flag VALUE (repeatable) and --switch options.</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = new();

    public static CommandLine Parse(IEnumerable<string> args, ISet<string> valueFlags, ISet<string> switchFlags)
    {
        var result = new CommandLine();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (valueFlags.Contains(a))
            {
                if (!e.MoveNext())
                {
                    throw new UsageException(a + " needs a value");
                }
                if (!result._values.TryGetValue(a, out var list))
                {
                    result._values[a] = list = new List<string>();
                }
                list.Add(e.Current);
            }
            else if (switchFlags.Contains(a))
            {
                result._switches.Add(a);
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException("unknown option " + a);
            }
            else
            {
                result.Positional.Add(a);
            }
        }
        return result;
    }

    public string? Value(string flag) => _values.TryGetValue(flag, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Values(string flag) => _values.TryGetValue(flag, out var v) ? v : new List<string>();

    public bool Has(string flag) => _switches.Contains(flag);
}

/// <summary>Bad command line: usage printed, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
