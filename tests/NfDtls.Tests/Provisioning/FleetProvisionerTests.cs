using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NfDtls.Config;
using NfDtls.Desktop.Provisioning;
using Xunit;

namespace NfDtls.Tests.Provisioning;

public class FleetProvisionerTests
{
    private static ProvisionedFleet Make(int nodes, params string[] security) =>
        FleetProvisioner.Create(new ProvisioningPlan { Nodes = nodes, Security = security, GatewayHost = "10.1.2.3", GatewayPort = 15684 });

    private static byte[] PointOf(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return new byte[] { 4 }.Concat(q.X!).Concat(q.Y!).ToArray();
    }

    [Fact]
    public void PskFleetHasUniqueKeysAndTheGatewayFindsEachByIdentity()
    {
        var fleet = Make(12, "psk");
        Assert.Equal(Enumerable.Range(1, 12).Select(i => "node-" + i.ToString("000")), fleet.Nodes.Select(n => n.NodeId));
        Assert.Equal(12, fleet.Nodes.Select(n => Convert.ToHexString(n.PskKey)).Distinct().Count());
        foreach (var n in fleet.Nodes)
        {
            Assert.True(NodeSettingsCheck.Check(n, out string? error), error);
            Assert.Equal("10.1.2.3", n.GatewayHost);
            Assert.Equal(15684, n.GatewayPort);
            Assert.Equal(16, n.PskKey.Length);
            var byName = fleet.Gateway.FindByPskIdentity(n.PskIdentity)!;
            var id = Encoding.UTF8.GetBytes("xx" + n.PskIdentity);
            var byBytes = fleet.Gateway.FindByPskIdentity(id, 2, id.Length - 2)!;
            Assert.Same(byName, byBytes);
            Assert.Equal(n.NodeId, byName.Id);
            Assert.Equal(n.PskKey, byName.PskKey);
        }
        Assert.Null(fleet.Gateway.FindByPskIdentity("node-013"));
        Assert.Null(fleet.Gateway.FindByPskIdentity(new byte[] { 0xff, 0xfe }, 0, 2));
        Assert.Equal(15684, fleet.Gateway.Port);
    }

    [Fact]
    public void RpkNodesHoldMatchingKeyPairsAndPinTheGatewayKey()
    {
        var fleet = Make(3, "rpk");
        using var gwKey = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = fleet.Gateway.PrivateKey });
        Assert.Equal(fleet.Gateway.PublicKey, PointOf(gwKey));
        foreach (var n in fleet.Nodes)
        {
            Assert.True(NodeSettingsCheck.Check(n, out string? error), error);
            Assert.Null(n.PskKey);
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = n.PrivateKey });
            Assert.Equal(n.PublicKey, PointOf(key));
            Assert.Equal(fleet.Gateway.PublicKey, n.GatewayPublicKey);
            Assert.Equal(n.NodeId, fleet.Gateway.FindByPublicKey(n.PublicKey)!.Id);
            var spki = key.ExportSubjectPublicKeyInfo();
            Assert.Equal(n.NodeId, fleet.Gateway.FindByPublicKey(spki, 0, spki.Length)!.Id);
            Assert.Null(fleet.Gateway.FindByPskIdentity(n.NodeId));
        }
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Null(fleet.Gateway.FindByPublicKey(PointOf(stranger)));
        Assert.Null(fleet.Gateway.FindByPublicKey(new byte[91]));
    }

    [Fact]
    public void X509CertificatesChainToTheFleetCaWithTheRightUsages()
    {
        var fleet = Make(2, "x509");
        using var ca = X509CertificateLoader.LoadCertificate(fleet.Gateway.CaCertificate!);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        using var gw = X509CertificateLoader.LoadCertificate(fleet.Gateway.Certificate!);
        AssertChains(gw, ca, "1.3.6.1.5.5.7.3.1");
        Assert.Equal(fleet.Gateway.PublicKey, PointOf(gw.GetECDsaPublicKey()!));
        Assert.Equal("10.1.2.3", gw.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Single().ToString());
        foreach (var n in fleet.Nodes)
        {
            Assert.True(NodeSettingsCheck.Check(n, out string? error), error);
            Assert.Equal(fleet.Gateway.CaCertificate, n.CaCertificate);
            using var cert = X509CertificateLoader.LoadCertificate(n.Certificate);
            Assert.Equal("CN=" + n.NodeId, cert.Subject);
            AssertChains(cert, ca, "1.3.6.1.5.5.7.3.2");
            Assert.Equal(n.PublicKey, PointOf(cert.GetECDsaPublicKey()!));
            var g = fleet.Gateway.FindByPublicKey(n.PublicKey)!;
            Assert.Equal(n.NodeId, g.Id);
            Assert.Equal(n.Certificate, g.Certificate);
            // Small enough for a board: the node holds its own and parses the gateway's.
            Assert.InRange(n.Certificate.Length, 200, 700);
        }
        var caKey = ECDsa.Create();
        caKey.ImportPkcs8PrivateKey(fleet.CaPrivateKeyPkcs8, out _);
        Assert.Equal(PointOf(ca.GetECDsaPublicKey()!), PointOf(caKey));
    }

    private static void AssertChains(X509Certificate2 leaf, X509Certificate2 ca, string eku)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(eku));
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        var other = new OidCollection { new Oid(eku == "1.3.6.1.5.5.7.3.1" ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1") };
        using var wrongUse = new X509Chain();
        wrongUse.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        wrongUse.ChainPolicy.CustomTrustStore.Add(ca);
        wrongUse.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        wrongUse.ChainPolicy.ApplicationPolicy.Add(other[0]);
        Assert.False(wrongUse.Build(leaf));
    }

    [Fact]
    public void MixedFleetGivesModesOutRoundRobin()
    {
        var fleet = Make(7, "psk", "rpk", "x509");
        Assert.Equal(new[] { "psk", "rpk", "x509", "psk", "rpk", "x509", "psk" }, fleet.Nodes.Select(n => n.Security));
        Assert.Equal(fleet.Nodes.Select(n => n.Security), fleet.Gateway.Nodes.Select(n => n.Security));
    }

    [Fact]
    public void SeededRandomGivesTheSameKeysTwiceAndAnotherSeedDifferentOnes()
    {
        var plan = new ProvisioningPlan { Nodes = 3, Security = new[] { "psk", "rpk" } };
        var now = DateTimeOffset.UtcNow;
        var a = FleetProvisioner.Create(plan, new SeededTestRandom(7), now);
        var b = FleetProvisioner.Create(plan, new SeededTestRandom(7), now);
        var c = FleetProvisioner.Create(plan, new SeededTestRandom(8), now);
        Assert.Equal(a.Nodes[0].PskKey, b.Nodes[0].PskKey);
        Assert.Equal(a.Nodes[1].PrivateKey, b.Nodes[1].PrivateKey);
        Assert.Equal(a.Gateway.PrivateKey, b.Gateway.PrivateKey);
        Assert.NotEqual(a.Nodes[0].PskKey, c.Nodes[0].PskKey);
        Assert.NotEqual(a.Nodes[1].PrivateKey, c.Nodes[1].PrivateKey);
    }

    [Fact]
    public void BaseSettingsAndOverridesAreApplied()
    {
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 2,
            Prefix = "lab-",
            BaseSettingsText = "max_datagram_size = 600\nmax_record_plaintext = 500\nreading_period_ms = 30000\n",
            ReadingPeriodMs = 5000,
            WifiSsid = "home",
            WifiPassword = "correct horse",
            PskKeyLength = 32,
        });
        var n = fleet.Nodes[1];
        Assert.Equal("lab-002", n.NodeId);
        Assert.Equal(600, n.MaxDatagramSize);
        Assert.Equal(5000, n.ReadingPeriodMs);
        Assert.Equal("home", n.WifiSsid);
        Assert.Equal(32, n.PskKey.Length);
    }

    [Theory]
    [InlineData(0, "psk", 16, null, "nodes")]
    [InlineData(1, "tls", 16, null, "security")]
    [InlineData(1, "psk", 8, null, "psk key length")]
    [InlineData(1, "psk", 16, "colour = red", "board settings: line 1")]
    [InlineData(1, "psk", 16, "max_datagram_size = 100", "node node-001: max_datagram_size")]
    public void BadPlansAreRefusedNamingWhatToChange(int nodes, string security, int pskBytes, string? baseText, string expected)
    {
        var e = Assert.Throws<ProvisioningException>(() => FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = nodes, Security = new[] { security }, PskKeyLength = pskBytes, BaseSettingsText = baseText,
        }));
        Assert.StartsWith(expected, e.Message);
    }
}
