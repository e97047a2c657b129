using NfDtls.PortabilityGuard.Checking;
using Xunit;

namespace NfDtls.Tests.Portability;

/// <summary>The guard bites: the deliberately bad fixture fails, by name and rule; the portable twin passes.</summary>
public class FixtureGuardTests
{
    private static readonly string Bad = GuardLayout.FixtureAssembly("NonPortableFixture");
    private static readonly string Good = GuardLayout.FixtureAssembly("PortableFixture");

    private static IReadOnlyList<Offender> BadOffenders(string baseline)
    {
        var result = BaselineCheck.Run(GuardLayout.Target(Bad, baseline));
        Assert.False(result.Passed);
        return result.Offenders;
    }

    [Theory]
    [InlineData("M System.Threading.Monitor::Enter(System.Object,System.Boolean&):System.Void", "[lock]")]
    [InlineData("T System.Runtime.CompilerServices.DefaultInterpolatedStringHandler", "[interpolation]")]
    [InlineData("M System.Type::GetTypeFromHandle(System.RuntimeTypeHandle):System.Type", "[reflection]")]
    [InlineData("M System.Object::GetType():System.Type", "[reflection]")]
    [InlineData("M System.Array::Empty``1<System.Object>():!!0[]", "[array-empty]")]
    [InlineData("M System.Array::Clone():System.Object", "[array-clone]")]
    [InlineData("T System.Collections.Generic.List`1<System.Int32>", "[generics]")]
    [InlineData("T System.Nullable`1<System.Int32>", "[nullable]")]
    [InlineData("T System.ReadOnlySpan`1<System.Byte>", "[span]")]
    [InlineData("M System.Math::Max(System.Int32,System.Int32):System.Int32", "[separate-package]")]
    [InlineData("T System.Text.StringBuilder", "[separate-package]")]
    [InlineData("M System.BitConverter::ToInt32(System.Byte[],System.Int32):System.Int32", "[bitconverter]")]
    [InlineData("T System.Linq.Enumerable", "[linq-async]")]
    [InlineData("T System.Threading.Tasks.Task", "[linq-async]")]
    [InlineData("M System.Threading.Interlocked::Add(System.Int64&,System.Int64):System.Int64", "[interlocked]")]
    [InlineData("T System.Int32[,]", "[multi-dim]")]
    [InlineData("M System.DateTime::get_UtcNow():System.DateTime", "[clock]")]
    [InlineData("M System.Environment::get_TickCount64():System.Int64", "[environment]")]
    public void Each_forbidden_construct_is_named_with_its_rule(string line, string rule)
    {
        var baseline = GuardLayout.TempFile();
        try
        {
            var offender = Assert.Single(BadOffenders(baseline), o => o.Line == line);
            Assert.Contains("PORTABLE.md " + rule, offender.Reason);
            Assert.Contains(BaselineCheck.NotInBaseline, offender.Reason);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Theory]
    [InlineData("M System.Threading.Monitor::Enter(System.Object,System.Boolean&):System.Void", "NonPortableFixture.Bad::Lock")]
    [InlineData("M System.Math::Max(System.Int32,System.Int32):System.Int32", "NonPortableFixture.Bad::MathAndBitConverter")]
    [InlineData("M System.Array::Empty``1<System.Object>():!!0[]", "NonPortableFixture.Bad::ParamsWithNoArguments")]
    public void Each_offender_names_the_methods_that_use_it(string line, string method)
    {
        var baseline = GuardLayout.TempFile();
        try
        {
            var offender = Assert.Single(BadOffenders(baseline), o => o.Line == line);
            Assert.Equal(new[] { method }, offender.UsedIn);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void Its_own_generic_method_is_named()
    {
        var baseline = GuardLayout.TempFile();
        try
        {
            var offender = Assert.Single(BadOffenders(baseline), o => o.Line == "M NonPortableFixture.Bad::Echo``1(!!0):!!0");
            Assert.Equal(BaselineCheck.OwnGeneric, offender.Reason);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void Writing_the_bad_references_into_a_baseline_does_not_make_them_pass()
    {
        var baseline = GuardLayout.TempFile();
        try
        {
            var (code, output) = GuardLayout.Run("update-baseline", "--assembly", Bad, "--baseline", baseline);
            Assert.Equal(1, code);
            Assert.Contains("M System.Math::Max(System.Int32,System.Int32):System.Int32", File.ReadAllLines(baseline));
            var offenders = BadOffenders(baseline);
            Assert.DoesNotContain(offenders, o => o.Reason.Contains(BaselineCheck.NotInBaseline));
            var max = Assert.Single(offenders, o => o.Line == "M System.Math::Max(System.Int32,System.Int32):System.Int32");
            Assert.Contains("not in the nanoFramework API (mscorlib-1.17.txt)", max.Reason);
            Assert.Contains("M System.Threading.Monitor::Enter(System.Object,System.Boolean&):System.Void", output);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void The_command_line_fails_naming_the_offenders()
    {
        var baseline = GuardLayout.TempFile();
        try
        {
            var (code, output) = GuardLayout.Run("check", "--assembly", Bad, "--baseline", baseline);
            Assert.Equal(1, code);
            Assert.Contains("NonPortableFixture (NonPortableFixture.dll): FAILED", output);
            Assert.Contains("  M System.Runtime.CompilerServices.DefaultInterpolatedStringHandler::ToStringAndClear():System.String", output);
            Assert.Contains("  T System.Collections.Generic.List`1<System.Int32>", output);
            Assert.Contains("  M System.Threading.Monitor::Enter(System.Object,System.Boolean&):System.Void", output);
            Assert.Contains("      used in NonPortableFixture.Bad::Lock", output);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void The_portable_fixture_passes_with_its_baseline()
    {
        var baseline = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "PortableFixture", "PortableApi.baseline.txt");
        var result = BaselineCheck.Run(GuardLayout.Target(Good, baseline));
        Assert.True(result.Passed, string.Join("\n", result.Offenders));
        // Explicit Monitor.Enter/Exit, events (Delegate.Combine), string switch, ArrayList: all portable.
        Assert.Contains("M System.Threading.Monitor::Enter(System.Object):System.Void", result.Used);
        Assert.Contains("M System.Delegate::Combine(System.Delegate,System.Delegate):System.Delegate", result.Used);
        Assert.DoesNotContain(result.Used, l => l.Contains('`'));
    }

    [Fact]
    public void Compiler_attributes_are_ignored_but_other_attributes_are_not()
    {
        Assert.True(BaselineCheck.IsCompilerAttribute("M System.Runtime.CompilerServices.CompilationRelaxationsAttribute::.ctor(System.Int32):System.Void"));
        Assert.True(BaselineCheck.IsCompilerAttribute("T System.Runtime.CompilerServices.NullableAttribute"));
        Assert.False(BaselineCheck.IsCompilerAttribute("T System.Runtime.CompilerServices.RuntimeHelpers"));
        Assert.False(BaselineCheck.IsCompilerAttribute("T System.Diagnostics.DebuggableAttribute"));
    }
}
