namespace NfDtls.PortabilityGuard.Checking;

/// <summary>Reads and writes the one-entry-a-line files (shared API lists, baselines); '#' lines are comments.</summary>
public static class LineFile
{
    public static HashSet<string> ReadSet(string path)
    {
        if (!File.Exists(path))
        {
            throw new GuardException("not found: " + path);
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }
        return set;
    }

    public static void Write(string path, IEnumerable<string> header, IEnumerable<string> lines)
    {
        var sorted = new SortedSet<string>(lines, StringComparer.Ordinal);
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var h in header)
        {
            writer.WriteLine("# " + h);
        }
        foreach (var line in sorted)
        {
            writer.WriteLine(line);
        }
    }
}
