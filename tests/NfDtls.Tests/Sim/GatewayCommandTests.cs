using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NfDtls.Crypto;
using NfDtls.Desktop.Net;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Node;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Tests.Sim;

/// <summary>
/// `nfdtls gateway` as a user runs it (a child process on a real UDP port), with SensorNodes on real sockets pushing
/// to it: their readings are printed, an unknown identity is refused and printed, the summary counts both.
/// </summary>
public sealed class GatewayCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nfdtls-gateway-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private sealed class Thermometer : ISensor
    {
        public int Read(SensorReading[] into, long nowMs)
        {
            into[0].Set("temperature", "Cel", 21.5);
            return 1;
        }
    }

    [Fact]
    public void NodesOnUdpReachTheGatewayCommandAndAnIntruderIsRefused()
    {
        Directory.CreateDirectory(_dir);
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 2, GatewayHost = "127.0.0.1" }, SeededRandom.Create(9, 9), DateTimeOffset.UtcNow);
        string credentials = Path.Combine(_dir, "gateway.json");
        File.WriteAllText(credentials, fleet.Gateway.ToJson());
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "nfdtls.dll"), "gateway", "--credentials", credentials,
                                   "--listen", "127.0.0.1:" + port, "--for", "6" })
        {
            psi.ArgumentList.Add(a);
        }
        var output = new StringBuilder();
        using var gateway = Process.Start(psi)!;
        gateway.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        gateway.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        gateway.BeginOutputReadLine();
        gateway.BeginErrorReadLine();
        var hosts = new List<UdpEndpointHost>();
        try
        {
            string Text() { lock (output) return output.ToString(); }
            var wait = Stopwatch.StartNew();
            while (!Text().Contains("gateway listening") && wait.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
            Assert.Contains("gateway listening on 127.0.0.1:" + port, Text());

            var settings = fleet.Nodes.Append(Intruder()).ToArray();
            foreach (var s in settings)
            {
                s.GatewayHost = "127.0.0.1";
                s.GatewayPort = port;
                s.ReadingPeriodMs = 300;
                var host = new UdpEndpointHost(new IPEndPoint(IPAddress.Loopback, 0), 2048);
                hosts.Add(host);
                host.Start(new SensorNode(s, PortableCryptoProvider.Instance, new HmacDrbg(Desktop.Crypto.DesktopEntropySource.Instance),
                    new Thermometer(), host, NullLog.Instance));
            }
            Assert.True(gateway.WaitForExit(30_000), Text());
            gateway.WaitForExit();
            string text = Text();
            Assert.Equal(0, gateway.ExitCode);
            Assert.Contains(" node-001 temperature = 21.5 Cel", text);
            Assert.Contains(" node-002 temperature = 21.5 Cel", text);
            Assert.Contains("refused unknown identity 'intruder'", text);
            Assert.Matches(@"gateway: 2 handshakes, \d+ samples accepted", text);
            Assert.DoesNotMatch(@" 0 handshakes refused", text);
        }
        finally
        {
            foreach (var h in hosts) h.Dispose();
            if (!gateway.HasExited) gateway.Kill(true);
        }
    }

    private static NfDtls.Config.NodeSettings Intruder() =>
        new() { NodeId = "intruder", PskIdentity = "intruder", PskKey = new byte[16], Confirmable = true };
}
