using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NfDtls.PortabilityGuard;
using NfDtls.PortabilityGuard.ByteCode;
using NfDtls.PortabilityGuard.Checking;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Portability;

/// <summary>
/// The nanoFramework byte-code size (issue 11 part 2): MetadataProcessor's re-encoding of IL, calibrated on what MDP
/// reported for commit 0bb2224, and the guard's `bytecode` command that holds each device assembly to 48 KiB.
/// </summary>
public class ByteCodeTests(ITestOutputHelper output)
{
    /// <summary>The 0bb2224 core (a Release build of our own code, kept as a fixture so the calibration does not move
    /// with the code) and the sizes nanoFramework's MetadataProcessor gave for it split in two assemblies.</summary>
    private static readonly string Fixture = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "Core0bb2224", "NfDtls.Core.dll");

    private static readonly string[] DtlsSide = { "NfDtls.Crypto", "NfDtls.Wire", "NfDtls.Text", "NfDtls.Diagnostics", "NfDtls.Net", "NfDtls.Pki", "NfDtls.Dtls" };
    private static readonly string[] CoapSide = { "NfDtls.Coap", "NfDtls.Config", "NfDtls.Node", "NfDtls.Senml" };

    [Fact]
    public void Matches_MetadataProcessor_within_2_percent_on_the_0bb2224_core()
    {
        var table = ByteCodeTable.Read(Fixture);
        int dtls = table.BytesUnder(DtlsSide);
        int coap = table.BytesUnder(CoapSide);
        output.WriteLine("Crypto+Wire+Text+Diagnostics+Net+Pki+Dtls: " + dtls + " B (MDP 38,249)");
        output.WriteLine("Coap+Config+Node+Senml: " + coap + " B (MDP 28,659)");
        output.WriteLine("NfDtls.Core: " + table.Total + " B (MDP 66,908)");
        // The two groups are the whole assembly: no method escapes the comparison.
        Assert.Equal(table.Total, dtls + coap);
        AssertWithin(38_249, dtls, 0.02);
        AssertWithin(28_659, coap, 0.02);
        AssertWithin(66_908, table.Total, 0.02);
        // ... and above the 64 KiB MDP refuses, as it refused this assembly.
        Assert.True(table.Total >= ByteCodeTable.HardLimit);
    }

    [Fact]
    public void The_fixture_is_the_build_that_was_measured()
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        Assert.Equal("9703a23aa5bc5bed7dd681bc93e7b0cc8ac4b463f8b7b5f0746b8ec83b3e5982",
            Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(Fixture))).ToLowerInvariant());
    }

    [Fact]
    public void Tokens_and_branches_take_two_bytes_switch_one_plus_two_per_target_ldtoken_four()
    {
        // ldstr, call, ldfld, newobj, box: opcode + 2-byte index (ECMA: + 4)
        Assert.Equal(5 * 3, Price(0x72, 0, 0, 0, 0x70, 0x28, 1, 0, 0, 0x06, 0x7B, 1, 0, 0, 0x04, 0x73, 1, 0, 0, 0x06, 0x8C, 1, 0, 0, 0x02));
        // br (long) and br.s: 1 + 2, 1 + 1
        Assert.Equal(3 + 2, Price(0x38, 0, 0, 0, 0, 0x2B, 0));
        // switch with 3 targets: 1 + 1 (count) + 3 × 2
        Assert.Equal(8, Price(0x45, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
        // ldtoken keeps its 4-byte token; ldc.i8 its 8 bytes; ldc.i4 its 4; ldc.i4.s its 1
        Assert.Equal(5 + 9 + 5 + 2, Price(0xD0, 1, 0, 0, 0x02, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x20, 1, 2, 3, 4, 0x1F, 9));
        // two-byte opcodes with InlineVar (ldarg, stloc: 0xFE 0x09 / 0xFE 0x0E + uint16) and without operand (ceq)
        Assert.Equal(4 + 4 + 2, Price(0xFE, 0x09, 1, 0, 0xFE, 0x0E, 2, 0, 0xFE, 0x01));
        // ret, nop, ldarg.0: one byte each
        Assert.Equal(3, Price(0x2A, 0x00, 0x02));
    }

    [Fact]
    public void Each_exception_handler_adds_a_12_byte_entry_and_the_body_a_count_byte()
    {
        using var stream = File.OpenRead(typeof(ByteCodeTests).Assembly.Location);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        int Measure(string name, out int code, out int handlers)
        {
            var handle = reader.MethodDefinitions.Single(h => reader.GetString(reader.GetMethodDefinition(h).Name) == name);
            var method = reader.GetMethodDefinition(handle);
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            code = NanoByteCode.CodeSize(body.GetILBytes()!);
            handlers = body.ExceptionRegions.Length;
            return NanoByteCode.MethodSize(pe, method);
        }
        int one = Measure(nameof(OneHandler), out int code1, out int handlers1);
        Assert.Equal(1, handlers1);
        Assert.Equal(code1 + 12 + 1, one);
        int two = Measure(nameof(TwoHandlers), out int code2, out int handlers2);
        Assert.Equal(2, handlers2);
        Assert.Equal(code2 + 2 * 12 + 1, two);
    }

    [Fact]
    public void The_command_prints_every_device_assembly_and_fails_above_the_limit()
    {
        var stdout = new StringWriter();
        GuardProgram.Run(new[] { "bytecode", "--repo", RepoPaths.Root }, stdout, new StringWriter());
        foreach (var name in KnownTargets.Names)
        {
            var assembly = Path.GetFileName(KnownTargets.Get(name, GuardLayout.Layout).AssemblyPath);
            Assert.Contains("bytecode: " + assembly, stdout.ToString());
        }

        var over = new StringWriter();
        Assert.Equal(1, GuardProgram.Run(new[] { "bytecode", "--assembly", Fixture }, over, new StringWriter()));
        Assert.Contains("OVER BUDGET", over.ToString());
        var under = new StringWriter();
        Assert.Equal(0, GuardProgram.Run(new[] { "bytecode", "--assembly", Fixture, "--limit", "70000", "--namespaces" }, under, new StringWriter()));
        Assert.DoesNotContain("OVER BUDGET", under.ToString());
        Assert.Contains("NfDtls.Dtls.Record", under.ToString());
    }

    private static int Price(params byte[] il) => NanoByteCode.CodeSize(il);

    private static void AssertWithin(int expected, int actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= expected * tolerance,
            actual + " B is not within " + (tolerance * 100) + "% of " + expected + " B");

    private static int OneHandler(int x)
    {
        try
        {
            return 100 / x;
        }
        catch (DivideByZeroException)
        {
            return 0;
        }
    }

    private static int TwoHandlers(int x)
    {
        try
        {
            try
            {
                return 100 / x;
            }
            catch (DivideByZeroException)
            {
                return 0;
            }
        }
        finally
        {
            GC.KeepAlive(x);
        }
    }
}
