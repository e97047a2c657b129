namespace NfDtls.Cli;

/// <summary>
/// A small `--flag value` / `--switch` parser shared by every command, so flags read the same everywhere.
/// Unknown flags and missing values are usage errors (exit 2) with a message naming the flag.
/// </summary>
public sealed class Options
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = new();

    /// <summary>Parses <paramref name="args"/>; <paramref name="valueFlags"/> take a value, <paramref name="switchFlags"/> do not.</summary>
    public static Options Parse(string[] args, string[] valueFlags, string[] switchFlags)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a.StartsWith('-') && a.Length > 1)
            {
                string name = a;
                string? inline = null;
                int eq = a.IndexOf('=');
                if (a.StartsWith("--") && eq > 0)
                {
                    name = a[..eq];
                    inline = a[(eq + 1)..];
                }
                if (Array.IndexOf(switchFlags, name) >= 0 && inline == null)
                {
                    o._switches.Add(name);
                }
                else if (Array.IndexOf(valueFlags, name) >= 0)
                {
                    string value = inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException("option " + name + " needs a value"));
                    if (!o._values.TryGetValue(name, out var list))
                    {
                        o._values[name] = list = new List<string>();
                    }
                    list.Add(value);
                }
                else
                {
                    throw new UsageException("unknown option " + a);
                }
            }
            else
            {
                o.Positional.Add(a);
            }
        }
        return o;
    }

    /// <summary>
    /// Removes `FLAG VALUE` / `FLAG=VALUE` from <paramref name="args"/> before the command's own parsing (for options
    /// that rewrite the rest, like --settings); the last one wins. Returns the other arguments, in order.
    /// </summary>
    public static string[] Take(string[] args, string flag, out string? value)
    {
        value = null;
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == flag)
            {
                value = i + 1 < args.Length ? args[++i] : throw new UsageException("option " + flag + " needs a value");
            }
            else if (args[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                value = args[i][(flag.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        return rest.ToArray();
    }

    public bool Has(string flag) => _switches.Contains(flag) || _values.ContainsKey(flag);

    public string? Get(string flag) => _values.TryGetValue(flag, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string flag) => _values.TryGetValue(flag, out var v) ? v : Array.Empty<string>();

    public string Require(string flag) => Get(flag) ?? throw new UsageException("missing required option " + flag);

    public int GetInt(string flag, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = Get(flag);
        if (s == null)
        {
            return fallback;
        }
        if (!int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) || v < min || v > max)
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
        if (!double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || v < 0)
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

    /// <summary>HOST:PORT (IPv6 as [addr]:port); HOST may be a name.</summary>
    public static System.Net.IPEndPoint ParseEndPoint(string text, string flag)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port) || port < 0 || port > 65535)
        {
            throw new UsageException(flag + " wants HOST:PORT, not '" + text + "'");
        }
        string host = text[..colon].Trim('[', ']');
        if (!System.Net.IPAddress.TryParse(host, out var address))
        {
            var found = System.Net.Dns.GetHostAddresses(host);
            address = found.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? found.FirstOrDefault()
                ?? throw new UsageException("cannot resolve " + host);
        }
        return new System.Net.IPEndPoint(address, port);
    }
}

/// <summary>A command-line mistake: printed with the command's usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
