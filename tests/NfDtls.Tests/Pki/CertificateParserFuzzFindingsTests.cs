using NfDtls.Pki;
using Xunit;

namespace NfDtls.Tests.Pki;

/// <summary>
/// Findings of the coverage-guided fuzzing (tests/NfDtls.Fuzz, target x509), each with the input the fuzzer found,
/// minimised with afl-tmin, fed through the same public API.
/// </summary>
public class CertificateParserFuzzFindingsTests
{
    // A certificate whose structure is complete (lengths and nesting right, contents filler) and one byte after it.
    private const string CompleteThenOneMoreByte =
        "308201b130820136a00302010202143030303030303030303030303030303030303030300a30303030303030303030300f30303030303030" +
        "3030303030303030301e170d3030313030373030303030305a170d3030303130363030303030305a300f3030303030303030303030303030" +
        "3030763030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030" +
        "3030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030" +
        "303030303030303030a3533051301d0603303030041630303030303030303030303030303030303030303030301f06033030300418303030" +
        "303030303030303030303030303030303030303030300f0603551d1301013004053003010130300a30303030303030303030036930303030" +
        "3030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030" +
        "30303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030";

    [Fact]
    public void BytesAfterTheEndOfACertificateLeaveItIncomplete()
    {
        byte[] input = Convert.FromHexString(CompleteThenOneMoreByte);
        var parser = new CertificateParser();
        Assert.False(parser.Feed(input, 0, input.Length));
        Assert.Equal(CertificateError.Malformed, parser.Error);
        // IsComplete means "read whole without error": a refused certificate is never complete.
        Assert.False(parser.IsComplete);
    }

    [Fact]
    public void ARealCertificateWithATrailingByteIsRefusedAndIncomplete()
    {
        using var cert = TestPki.Make("trailing", new TestPki.Options(), null);
        byte[] der = cert.RawData;
        byte[] input = new byte[der.Length + 1];
        der.CopyTo(input, 0);

        var exact = new CertificateParser();
        Assert.True(exact.Feed(der, 0, der.Length));
        Assert.True(exact.IsComplete);

        var parser = new CertificateParser();
        Assert.True(parser.Feed(input, 0, der.Length)); // fed in two pieces, as a handshake fragment would
        Assert.True(parser.IsComplete);
        Assert.False(parser.Feed(input, der.Length, 1));
        Assert.Equal(CertificateError.Malformed, parser.Error);
        Assert.False(parser.IsComplete);
    }
}
