using NfDtls.BoardHeap;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.BoardHeap;

/// <summary>
/// The board-heap model against what nanoCLR (32-bit) measured (issue 11 part 3): every row within 5%. The code rows
/// are rebuilt from the 0bb2224 core fixture, so the calibration holds while the current objects change.
/// </summary>
public class BoardHeapCalibrationTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Rows => Calibration0bb2224.Rows.Select(r => new object[] { r.What });

    [Theory]
    [MemberData(nameof(Rows))]
    public void Reproduces_the_nanoCLR_figure_within_5_percent(string what)
    {
        var row = Calibration0bb2224.Rows.Single(r => r.What == what);
        HeapFigure figure = row.Measure(FixtureCore.Shared);
        double error = (figure.Total - row.NanoClrBytes) / (double)row.NanoClrBytes;
        output.WriteLine(what + ": model " + figure.Total + " B, nanoCLR " + row.NanoClrBytes + " B, "
            + (error * 100).ToString("+0.00;-0.00") + "%, " + figure.Objects + " objects");
        output.WriteLine(figure.Describe(10, 3));
        Assert.True(Math.Abs(error) <= 0.05, what + ": model " + figure.Total + " B vs nanoCLR " + row.NanoClrBytes + " B");
        Assert.Empty(figure.Warnings); // every object is priced by a rule, none by a desktop class's fields
    }

    [Fact]
    public void The_fixture_is_the_0bb2224_core_not_the_current_one()
    {
        var fixture = FixtureCore.Shared.Type("Dtls.DtlsClient");
        Assert.NotSame(typeof(NfDtls.Dtls.DtlsClient).Assembly, fixture.Assembly);
        Assert.Equal("NfDtls.Core", fixture.Assembly.GetName().Name);
    }
}
