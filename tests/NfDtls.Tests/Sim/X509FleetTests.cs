using NfDtls.Crypto;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Node;
using NfDtls.Tests.Dtls;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Sim;

/// <summary>X.509 nodes (certificates from the fleet CA) next to PSK and RPK ones, on the simulated network.</summary>
public class X509FleetTests(ITestOutputHelper output)
{
    private static FleetPlan Plan(int nodes, int minutes, LinkProfile link, int seed = 1) =>
        new() { Nodes = nodes, DurationMs = minutes * 60_000L, Link = link, Seed = seed };

    private string Report(FleetRunner r)
    {
        string report = FleetReport.Write(r.Recorder, r.Network.Stats, new[] { "test" });
        output.WriteLine(report);
        return report;
    }

    [Fact]
    public void MixedPskRpkX509FleetAuthenticatesAndDelivers()
    {
        var (runner, fleet) = SensorFleetTests.Make(Plan(6, 5, LinkProfile.Lossy(0.05)),
            new SensorFleetOptions { ReadingPeriodMs = 30_000, Security = new[] { "psk", "rpk", "x509" } });
        runner.Run();
        Report(runner);
        var r = runner.Recorder;
        for (int i = 2; i < 6; i += 3)
        {
            Assert.Equal("x509", fleet.Settings(i).Security);
            Assert.NotNull(fleet.Settings(i).Certificate);
            Assert.Equal(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, fleet.Nodes[i]!.Dtls.Session.CipherSuite);
            Assert.True(fleet.Nodes[i]!.HandshakesCompleted >= 1);
        }
        Assert.Equal(0, r.HandshakesFailed);
        Assert.Equal(0, r.RefusedHandshakes);
        Assert.Equal(r.ReadingsSent, r.ReadingsDelivered);
        // Named by the key in its certificate: every node's readings were credited to it.
        Assert.All(r.DeliveredPerNode, d => Assert.True(d >= 9));

        long psk = fleet.NodeMemoryByMode["psk"], rpk = fleet.NodeMemoryByMode["rpk"], x509 = fleet.NodeMemoryByMode["x509"];
        output.WriteLine("node construction bytes: psk " + psk + ", rpk " + rpk + ", x509 " + x509);
        Assert.True(x509 > psk, "ECDHE with a verifier costs more than PSK");
        Assert.Equal(Math.Max(psk, Math.Max(rpk, x509)), r.NodeMemoryBytes);
        // Board figures: the board-heap model's price of a node with the same settings, named so in the report.
        var settings = fleet.Settings(0);
        var (random, sensor, sink) = (new HmacDrbg(new SeededEntropy(1)), new NoSensor(), new NullSink());
        long model = NfDtls.BoardHeap.BoardHeapModel.Measure(
            () => new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, sink, NullLog.Instance),
            settings, random, sensor, sink).Total;
        Assert.Equal(model, psk);
        Assert.Contains("memory      node " + FleetReport.N(r.NodeMemoryBytes) + " B (board figure",
            FleetReport.Write(r, runner.Network.Stats, new[] { "test" }));
    }

    private sealed class NoSensor : ISensor
    {
        public int Read(SensorReading[] into, long nowMs) => 0;
    }

    private sealed class NullSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    [Fact]
    public void NodeWithCertificateFromAnotherCaIsRefusedAndReported()
    {
        var (runner, fleet) = SensorFleetTests.Make(Plan(3, 5, LinkProfile.Perfect()),
            new SensorFleetOptions { ReadingPeriodMs = 30_000, Security = new[] { "x509" } });
        // Node 2 gets a certificate (and key) issued by a different CA: well formed, signed, just not ours.
        var other = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 3, Security = new[] { "x509" }, GatewayHost = "10.0.0.1" },
            SeededRandom.Create(99, -1000), SensorFleet.Epoch);
        Assert.NotEqual(other.Gateway.CaCertificate, fleet.Credentials.CaCertificate);
        fleet.Settings(2).Certificate = other.Nodes[2].Certificate;
        fleet.Settings(2).PrivateKey = other.Nodes[2].PrivateKey;
        fleet.Settings(2).PublicKey = other.Nodes[2].PublicKey;
        runner.Run();
        string report = Report(runner);
        var r = runner.Recorder;
        Assert.Equal(0, r.DeliveredPerNode[2]);
        Assert.True(r.DeliveredPerNode[0] >= 9 && r.DeliveredPerNode[1] >= 9);
        Assert.True(fleet.Nodes[2]!.HandshakesFailed >= 1);
        Assert.True(r.RefusedHandshakes >= 1);
        Assert.Equal(r.RefusedHandshakes, fleet.Gateway!.RefusedHandshakes);
        string key = Assert.Single(r.RefusedIdentities.Keys);
        Assert.Contains("unknown CA", key);
        Assert.Contains("unknown_ca", key);
        Assert.Contains(key, report);
    }

    [Fact]
    public void CertificateOutsideItsValidityIsRefused()
    {
        // The simulated world starts eleven years after the certificates were issued (valid for ten).
        DateTimeOffset Late(long ms) => SensorFleet.Epoch.AddYears(11).AddMilliseconds(ms);
        var (runner, fleet) = SensorFleetTests.Make(Plan(2, 3, LinkProfile.Perfect()),
            new SensorFleetOptions { ReadingPeriodMs = 30_000, Security = new[] { "x509" }, TimeOf = Late });
        runner.Run();
        Report(runner);
        var r = runner.Recorder;
        Assert.Equal(0, r.ReadingsDelivered);
        Assert.Equal(0, r.HandshakesDone);
        Assert.True(r.HandshakesFailed >= 2);
    }
}
