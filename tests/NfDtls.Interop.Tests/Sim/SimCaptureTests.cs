using NfDtls.Interop.Tests.Peers;
using NfDtls.Sim;
using Xunit;

namespace NfDtls.Interop.Tests.Sim;

/// <summary>
/// The simulator's capture is real DTLS: tshark (Wireshark's dissectors, nobody here wrote them) opens the pcap,
/// decrypts it with the NSS key log, and finds the CoAP POSTs of SenML readings and the gateway's 2.04 answers inside.
/// </summary>
public class SimCaptureTests
{
    [Fact]
    public void TsharkDecryptsCoapFromTheSimulatorsPcapWithItsKeyLog()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nfdtls-simcap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string pcap = Path.Combine(dir, "sim.pcap"), keys = Path.Combine(dir, "keys.txt");
            int exit = SimProgram.Run(new[]
            {
                "--nodes", "3", "--duration", "2m", "--period", "30s", "--network", "lossy", "--seed", "5",
                "--pcap", pcap, "--keylog", keys, "--quiet",
            });
            Assert.Equal(0, exit);
            Assert.Equal(3, File.ReadAllLines(keys).Count(l => l.StartsWith("CLIENT_RANDOM ", StringComparison.Ordinal)));

            // Without the keys: DTLS, but no CoAP visible.
            using (var blind = PeerProcess.Start("tshark", new[] { "-r", pcap, "-d", "udp.port==5684,dtls", "-Y", "coap" }, dir, false))
            {
                Assert.True(blind.WaitForExit(TimeSpan.FromSeconds(60)), "tshark hung");
                Assert.DoesNotContain("/readings", blind.Stdout);
            }
            using var tshark = PeerProcess.Start("tshark", new[]
            {
                "-r", pcap, "-d", "udp.port==5684,dtls", "-o", "tls.keylog_file:" + keys, "-Y", "coap",
                "-T", "fields", "-e", "ip.src", "-e", "coap.code", "-e", "coap.opt.uri_path_recon", "-e", "coap.opt.ctype", "-e", "json.value.string",
            }, dir, false);
            Assert.True(tshark.WaitForExit(TimeSpan.FromSeconds(60)), "tshark hung");
            string[] lines = tshark.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // Requests: POST (code 2) to /readings as SenML JSON (110) from each of the three nodes.
            var posts = lines.Where(l => l.Split('\t') is [_, "2", ..]).ToArray();
            Assert.True(posts.Length >= 3 * 3, "three nodes, a reading every 30 s for 2 min:\n" + tshark.Output);
            Assert.All(posts, p => Assert.Contains("/readings", p));
            Assert.Contains(posts, p => p.Contains("urn:dev:node-001:", StringComparison.Ordinal));
            Assert.Equal(3, posts.Select(p => p.Split('\t')[0]).Distinct().Count());
            // Answers: 2.04 Changed (code 68) from the gateway.
            Assert.Contains(lines, l => l.StartsWith("10.0.0.1\t68", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
