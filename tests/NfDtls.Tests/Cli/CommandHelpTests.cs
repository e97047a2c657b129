using NfDtls.Cli;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Cli;

/// <summary>
/// Every `nfdtls` command (found the way the tool finds them: every ICommand in the assembly) answers --help on
/// stdout with exit 0, a usage line and an example; the DTLS-using ones document -v and --keylog.
/// </summary>
public class CommandHelpTests
{
    /// <summary>Commands that speak DTLS (or may, for coaps URIs): issue 7 wants -v and --keylog on them.</summary>
    private static readonly string[] DtlsCommands = { "dtls-client", "dtls-server", "get", "put", "post", "delete", "observe", "discover", "serve", "gateway" };

    public static IEnumerable<object[]> AllCommandNames()
    {
        foreach (var type in typeof(ICommand).Assembly.GetTypes())
        {
            if (typeof(ICommand).IsAssignableFrom(type) && !type.IsAbstract && !type.IsInterface && type.GetConstructor(Type.EmptyTypes) != null)
            {
                var command = (ICommand)Activator.CreateInstance(type)!;
                foreach (string name in command.Names)
                {
                    yield return new object[] { name };
                }
            }
        }
    }

    [Fact]
    public void EveryKnownCommandIsFound()
    {
        var names = AllCommandNames().Select(o => (string)o[0]).ToHashSet();
        foreach (string expected in DtlsCommands.Append("provision"))
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(AllCommandNames))]
    public void HelpHasUsageAndExamples(string name)
    {
        var (code, output, err) = ProvisionCommandTests.Nfdtls(name, "--help");
        Assert.True(code == 0, name + " --help exited " + code + ": " + err);
        Assert.Contains("usage: nfdtls " + name, output);
        Assert.Contains("example", output);
        Assert.Contains("nfdtls " + name + " ", output.Substring(output.IndexOf("example", StringComparison.Ordinal)));
        Assert.Equal("", err);
        if (DtlsCommands.Contains(name))
        {
            Assert.Contains("--keylog FILE", output);
            Assert.Contains("-v", output);
        }
        // -h is the same
        var (shortCode, shortOutput, _) = ProvisionCommandTests.Nfdtls(name, "-h");
        Assert.Equal(0, shortCode);
        Assert.Equal(output, shortOutput);
    }

    [Fact]
    public void TopLevelHelpListsEveryCommand()
    {
        var (code, output, _) = ProvisionCommandTests.Nfdtls("--help");
        Assert.Equal(0, code);
        foreach (var o in AllCommandNames())
        {
            Assert.Contains((string)o[0], output);
        }
        var (none, _, _) = ProvisionCommandTests.Nfdtls();
        Assert.Equal(ExitCodes.Usage, none);
        var (unknown, _, unknownErr) = ProvisionCommandTests.Nfdtls("no-such-command");
        Assert.Equal(ExitCodes.Usage, unknown);
        Assert.Contains("unknown command", unknownErr);
    }
}
