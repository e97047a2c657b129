using System.Diagnostics;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Portability;

/// <summary>
/// Runs the nanoFramework device tests (tests/NfDtls.DeviceTests, compiled for desktop against a stand-in
/// TestFramework) the way the nanoFramework test runner does: every [TestClass], every [TestMethod], with
/// [Setup]/[Cleanup]. So the tests a board runs are known to pass against the same core before they ship. Each
/// test's desktop time is printed (tests/NfDtls.DeviceTests/README.md has them, with what to expect on a board).
/// </summary>
public class DeviceTestsOnDesktop(ITestOutputHelper output)
{
    private static string DeviceTestsAssembly => Path.Combine(RepoPaths.Root, "tests", "NfDtls.DeviceTests", "bin",
        GuardLayout.Configuration, "net10.0", "NfDtls.DeviceTests.dll");

    [Fact]
    public void Every_device_test_passes_on_desktop()
    {
        var assembly = Assembly.LoadFrom(DeviceTestsAssembly);
        var ran = new List<string>();
        var failed = new List<string>();
        var all = Stopwatch.StartNew();
        foreach (var type in assembly.GetTypes().Where(t => Has(t, "TestClassAttribute")).OrderBy(t => t.FullName))
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            var instance = type.IsAbstract ? null : Activator.CreateInstance(type);
            foreach (var setup in methods.Where(m => Has(m, "SetupAttribute")))
            {
                setup.Invoke(setup.IsStatic ? null : instance, null);
            }
            foreach (var test in methods.Where(m => Has(m, "TestMethodAttribute")).OrderBy(m => m.Name))
            {
                var name = type.Name + "." + test.Name;
                ran.Add(name);
                var clock = Stopwatch.StartNew();
                try
                {
                    test.Invoke(test.IsStatic ? null : instance, null);
                }
                catch (TargetInvocationException e)
                {
                    failed.Add(name + ": " + e.InnerException?.Message);
                }
                output.WriteLine(name + ": " + clock.ElapsedMilliseconds + " ms");
            }
            foreach (var cleanup in methods.Where(m => Has(m, "CleanupAttribute")))
            {
                cleanup.Invoke(cleanup.IsStatic ? null : instance, null);
            }
        }
        output.WriteLine("all " + ran.Count + " device tests: " + all.ElapsedMilliseconds + " ms");
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.Contains("Sha256VectorTests.NistOneMillionA", ran);
        Assert.Contains("AesVectorTests.CcmSealsOpensAndRefusesATamperedTag", ran);
        Assert.Contains("TlsPrfVectorTests.PublishedVector", ran);
        Assert.Contains("HmacSha256VectorTests.Rfc4231Cases", ran);
        Assert.Contains("P256VectorTests.Rfc6979DeterministicSignatures", ran);
        Assert.Contains("P256VectorTests.NistCavpEcdh", ran);
        Assert.Contains("GatewayCoreTests.EveryReadingOfThreeNodesIsForwardedOnce", ran);
        Assert.Contains("GatewayCoreTests.AResentReadingIsAcknowledgedButNotForwardedAgain", ran);
        Assert.Contains("GatewayCoreTests.AnUnknownNodeIsRefused", ran);
        Assert.Contains("GatewayCoreTests.ANodeUsingAnotherKindOfCredentialIsRefused", ran);
        Assert.Contains("DtlsHandshakeTests.PskHandshakeCarriesDataBothWays", ran);
        Assert.Contains("DtlsHandshakeTests.RawPublicKeyHandshakeCarriesDataBothWays", ran);
        Assert.Contains("DtlsHandshakeTests.X509HandshakeWithClientCertificateCarriesDataBothWays", ran);
        Assert.Contains("LossyLinkTests.PskHandshakeSurvivesThirtyPercentLoss", ran);
        Assert.Contains("HostileRecordTests.TruncatedForgedAndReplayedRecordsAreDropped", ran);
        Assert.Contains("CoapOverDtlsTests.GetOverDtls", ran);
        Assert.Contains("CoapOverDtlsTests.BlockwiseGetOfMoreThanTwoKilobytes", ran);
        Assert.Contains("CoapOverDtlsTests.ObserveDeliversThreeNotifications", ran);
        Assert.Contains("BoardNodeTests.Esp32NodeDeliversEveryReadingOnceForFiveMinutes", ran);
        Assert.Contains("BoardNodeTests.Esp32NodeDeliversEveryReadingOnceOverALossyLink", ran);
        Assert.True(ran.Count >= 20, "device tests found: " + string.Join(", ", ran));
    }

    private static bool Has(MemberInfo member, string attribute) =>
        member.GetCustomAttributes(false).Any(a => a.GetType().Name == attribute);
}
