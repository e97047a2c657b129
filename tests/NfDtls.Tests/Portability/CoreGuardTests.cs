using NfDtls.PortabilityGuard.Checking;
using NfDtls.PortabilityGuard.References;
using Xunit;

namespace NfDtls.Tests.Portability;

/// <summary>The real portable assemblies against their reviewed baselines and nanoFramework's API (issue 2).</summary>
public class CoreGuardTests
{
    [Theory]
    [InlineData("crypto")]
    [InlineData("dtls")]
    [InlineData("coap")]
    [InlineData("node")]
    [InlineData("device")]
    [InlineData("devicetests")]
    public void Passes_with_its_baseline(string target)
    {
        var result = BaselineCheck.Run(KnownTargets.Get(target, GuardLayout.Layout));
        Assert.True(result.Passed, target + " fails the portability guard:\n" + string.Join("\n", result.Offenders)
            + "\n(if the new references are intended and portable: dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- update-baseline)");
        Assert.NotEmpty(result.Used);
    }

    [Theory]
    [InlineData("crypto")]
    [InlineData("dtls")]
    [InlineData("coap")]
    [InlineData("node")]
    public void Every_baseline_line_is_in_the_shared_mscorlib_list(string layer)
    {
        var target = KnownTargets.Get(layer, GuardLayout.Layout);
        var mscorlib = LineFile.ReadSet(GuardLayout.Layout.ApiList("mscorlib-1.17.txt"));
        var baseline = LineFile.ReadSet(target.BaselinePath);
        Assert.NotEmpty(baseline);
        Assert.All(baseline, line => Assert.Contains(line, mscorlib));
    }

    [Fact]
    public void Core_references_are_in_the_shared_line_format()
    {
        var refs = ReferenceReader.Read(KnownTargets.Get("dtls", GuardLayout.Layout).AssemblyPath);
        var format = new System.Text.RegularExpressions.Regex(@"^(T [\w.`/]+|[MF] [\w.`/]+::[\w.`]+(\([^)]*\))?:\S+)$");
        Assert.All(refs.Lines, line => Assert.Matches(format, line));
        Assert.Contains("T System.Object", refs.Lines);
        Assert.Contains("M System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32):System.Void", refs.Lines);
        Assert.Empty(refs.OwnGenericDefinitions);
    }

    [Fact]
    public void A_reference_missing_from_the_baseline_is_named()
    {
        var target = KnownTargets.Get("dtls", GuardLayout.Layout);
        var lines = File.ReadAllLines(target.BaselinePath);
        const string dropped = "M System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32):System.Void";
        Assert.Contains(dropped, lines);
        var baseline = GuardLayout.TempFile(lines.Where(l => l != dropped).ToArray());
        try
        {
            var result = BaselineCheck.Run(target with { BaselinePath = baseline });
            var offender = Assert.Single(result.Offenders);
            Assert.Equal(dropped, offender.Line);
            Assert.Equal(BaselineCheck.NotInBaseline, offender.Reason);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void A_baseline_line_outside_nanoFramework_fails_even_if_unused()
    {
        var target = KnownTargets.Get("dtls", GuardLayout.Layout);
        const string math = "M System.Math::Max(System.Int32,System.Int32):System.Int32";
        const string clone = "M System.Array::Clone():System.Object";
        var baseline = GuardLayout.TempFile(File.ReadAllLines(target.BaselinePath).Concat(new[] { math, clone }).ToArray());
        try
        {
            var result = BaselineCheck.Run(target with { BaselinePath = baseline });
            Assert.False(result.Passed);
            Assert.Equal(new[] { clone, math }, result.Offenders.Select(o => o.Line));
            Assert.Contains("not in the nanoFramework API", result.Offenders[1].Reason);
            // Array.Clone is in mscorlib 1.17 but not on the NoReflection firmware.
            Assert.Contains("array-clone", result.Offenders[0].Reason);
            Assert.Contains("NoReflection", result.Offenders[0].Reason);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void SocketException_ErrorCode_is_accepted_for_the_device_under_its_nanoFramework_declaring_type()
    {
        // `e.ErrorCode` compiles to ExternalException::get_ErrorCode on .NET, SocketException::get_ErrorCode on nanoFramework.
        var device = KnownTargets.Get("device", GuardLayout.Layout);
        var lines = new[]
        {
            "M System.Runtime.InteropServices.ExternalException::get_ErrorCode():System.Int32",
            "T System.Runtime.InteropServices.ExternalException",
        };
        Assert.Empty(BaselineCheck.ApiOffenders(device, lines));
        // The core has no System.Net: there the same lines stay offenders.
        var core = KnownTargets.Get("dtls", GuardLayout.Layout);
        Assert.Equal(2, BaselineCheck.ApiOffenders(core, lines).Count);
    }

    [Fact]
    public void The_command_line_check_passes_and_lists_the_core()
    {
        var (code, output) = GuardLayout.Run("check", "dtls");
        Assert.True(code == 0, output);
        Assert.Contains("dtls (NfDtls.Dtls.dll): OK", output);

        (code, output) = GuardLayout.Run("list", "dtls");
        Assert.Equal(0, code);
        Assert.Contains("T System.Object\n", output.Replace("\r", ""));
    }

    [Fact]
    public void Bad_usage_and_missing_inputs_exit_2()
    {
        Assert.Equal(2, GuardLayout.Run("frobnicate").Code);
        Assert.Equal(2, GuardLayout.Run("check", "nosuchtarget").Code);
        Assert.Equal(2, GuardLayout.Run("check", "--assembly", "/nonexistent/X.dll", "--baseline", "/nonexistent/b.txt").Code);
    }
}
