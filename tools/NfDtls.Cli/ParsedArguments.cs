using System.CommandLine;
using System.Globalization;

namespace NfDtls.Cli;

/// <summary>
/// A command's arguments as System.CommandLine parsed them, read by flag name, with values a file may supply
/// (--settings) for flags not given. Bad values are <see cref="UsageException"/>s naming the flag (exit 2).
/// </summary>
public sealed class ParsedArguments
{
    private readonly ParseResult _result;
    private readonly IReadOnlyDictionary<string, Option> _options;
    private readonly Dictionary<Option, string> _supplied = new();

    internal ParsedArguments(ParseResult result, IReadOnlyDictionary<string, Option> options, Argument<string>? argument)
    {
        _result = result;
        _options = options;
        string? positional = argument == null ? null : result.GetValue(argument);
        Positional = positional == null ? Array.Empty<string>() : new[] { positional };
    }

    /// <summary>The positional argument, if the command takes one and it was given.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Given on the command line (or in a response file), not supplied from a file.</summary>
    public bool Given(string flag) => _result.GetResult(Option(flag)) is { Implicit: false };

    public bool Has(string flag) => Given(flag) || _supplied.ContainsKey(Option(flag));

    /// <summary>The value of <paramref name="flag"/> for when it is not given (a settings file's credentials).</summary>
    public void Supply(string flag, string value) => _supplied[Option(flag)] = value;

    /// <summary>The last value given, else a supplied one, else null.</summary>
    public string? Get(string flag)
    {
        var all = GetAll(flag);
        return all.Count > 0 ? all[^1] : null;
    }

    /// <summary>Every value given, in order (repeatable options such as --ca).</summary>
    public IReadOnlyList<string> GetAll(string flag)
    {
        Option option = Option(flag);
        if (_result.GetResult(option) is { Implicit: false } given)
        {
            return given.Tokens.Select(t => t.Value).ToArray();
        }
        return _supplied.TryGetValue(option, out string? value) ? new[] { value } : Array.Empty<string>();
    }

    public string Require(string flag) => Get(flag) ?? throw new UsageException("missing required option " + flag);

    public int GetInt(string flag, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = Get(flag);
        if (s == null)
        {
            return fallback;
        }
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new UsageException("option " + flag + " wants a whole number from " + min + " to " + max + ", not '" + s + "'");
        }
        return v;
    }

    public double GetDouble(string flag, double fallback)
    {
        string? s = Get(flag);
        if (s == null)
        {
            return fallback;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0)
        {
            throw new UsageException("option " + flag + " wants a non-negative number, not '" + s + "'");
        }
        return v;
    }

    public byte[] GetHex(string flag)
    {
        string s = Require(flag);
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }
        try
        {
            return Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            throw new UsageException("option " + flag + " wants hex bytes, e.g. 0102a0ff");
        }
    }

    private Option Option(string flag) =>
        _options.TryGetValue(flag, out var option) ? option : throw new ArgumentException("the command declares no option " + flag, nameof(flag));
}
