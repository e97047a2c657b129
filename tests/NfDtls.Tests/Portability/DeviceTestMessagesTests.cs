using System.Text;
using Xunit;

namespace NfDtls.Tests.Portability;

/// <summary>
/// nanoFramework's test adapter splits each result line it reads from the device on commas, so a failure whose
/// message holds a comma is reported as "not run" (issue 11 §5). The message is an assertion's last argument: none of
/// the literals written there in tests/NfDtls.DeviceTests may hold a comma.
/// </summary>
public class DeviceTestMessagesTests
{
    [Fact]
    public void AssertionMessagesInTheDeviceTestsHoldNoCommas()
    {
        var offenders = new List<string>();
        int assertions = 0;
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "NfDtls.DeviceTests"), "*.cs"))
        {
            string source = File.ReadAllText(file);
            foreach (var (line, literal) in MessageLiterals(source, ref assertions))
            {
                if (literal.Contains(','))
                {
                    offenders.Add(Path.GetFileName(file) + ":" + line + ": \"" + literal + "\"");
                }
            }
        }
        Assert.True(assertions > 100, "found only " + assertions + " assertions: the scan is broken");
        Assert.True(offenders.Count == 0, "assertion messages with commas:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void TheScanFindsACommaInAMessageAndNotInOtherArguments()
    {
        int n = 0;
        var found = MessageLiterals("Assert.AreEqual(\"a, b\", Name(\"c, d\"), string.Concat(\"ok \", x.ToString(), \"so, not\"));\n"
                                    + "VectorAssert.Bytes(\"00\", b, 0, \"fine\");", ref n).Select(m => m.Literal).ToList();
        Assert.Equal(2, n);
        Assert.Equal(new[] { "ok ", "so, not", "fine" }, found);
    }

    /// <summary>The string literals in the last argument of every <c>Assert.X(...)</c> call, with their line.</summary>
    private static IEnumerable<(int Line, string Literal)> MessageLiterals(string source, ref int assertions)
    {
        var result = new List<(int, string)>();
        int at = 0;
        while ((at = source.IndexOf("Assert.", at, StringComparison.Ordinal)) >= 0)
        {
            int open = source.IndexOf('(', at);
            at += 7;
            if (open < 0 || !source[at..open].All(char.IsLetter))
            {
                continue;
            }
            assertions++;
            int line = source[..open].Count(c => c == '\n') + 1;
            // Walk the argument list: depth of parentheses, string literals skipped whole; remember where the last
            // top-level argument starts.
            int depth = 0;
            int lastArgument = open + 1;
            var literals = new List<(int Start, string Text)>();
            for (int i = open; i < source.Length; i++)
            {
                char c = source[i];
                if (c == '"')
                {
                    var text = new StringBuilder();
                    int start = i;
                    for (i++; i < source.Length && source[i] != '"'; i++)
                    {
                        if (source[i] == '\\')
                        {
                            i++;
                        }
                        text.Append(source[i]);
                    }
                    literals.Add((start, text.ToString()));
                }
                else if (c == '\'')
                {
                    i += source[i + 1] == '\\' ? 3 : 2;
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    result.AddRange(literals.Where(l => l.Start > lastArgument).Select(l => (line, l.Text)));
                    at = i;
                    break;
                }
                else if (c == ',' && depth == 1)
                {
                    lastArgument = i;
                }
            }
        }
        return result;
    }
}
