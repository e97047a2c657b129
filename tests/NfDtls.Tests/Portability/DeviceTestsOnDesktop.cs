using System.Reflection;
using Xunit;

namespace NfDtls.Tests.Portability;

/// <summary>
/// Runs the nanoFramework device tests (tests/NfDtls.DeviceTests, compiled for desktop against a stand-in
/// TestFramework) the way the nanoFramework test runner does: every [TestClass], every [TestMethod], with
/// [Setup]/[Cleanup]. So the vector tests a board runs are known to pass against the same core before they ship.
/// </summary>
public class DeviceTestsOnDesktop
{
    private static string DeviceTestsAssembly => Path.Combine(RepoPaths.Root, "tests", "NfDtls.DeviceTests", "bin",
        GuardLayout.Configuration, "net10.0", "NfDtls.DeviceTests.dll");

    [Fact]
    public void Every_device_test_passes_on_desktop()
    {
        var assembly = Assembly.LoadFrom(DeviceTestsAssembly);
        var ran = new List<string>();
        var failed = new List<string>();
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
                try
                {
                    test.Invoke(test.IsStatic ? null : instance, null);
                }
                catch (TargetInvocationException e)
                {
                    failed.Add(name + ": " + e.InnerException?.Message);
                }
            }
            foreach (var cleanup in methods.Where(m => Has(m, "CleanupAttribute")))
            {
                cleanup.Invoke(cleanup.IsStatic ? null : instance, null);
            }
        }
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
        Assert.True(ran.Count >= 9, "device tests found: " + string.Join(", ", ran));
    }

    private static bool Has(MemberInfo member, string attribute) =>
        member.GetCustomAttributes(false).Any(a => a.GetType().Name == attribute);
}
