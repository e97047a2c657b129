using System.Net;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// An independent dissector's view: tshark captures our handshake on loopback, sees cipher suite 0xC0A8 in the
/// hellos, and decrypts the application data with our NSS key log (so the key log and the record layer agree
/// with Wireshark's DTLS implementation).
/// </summary>
public class DtlsCaptureTests
{
    [Fact]
    public void TsharkSeesCcm8AndDecryptsWithOurKeyLog()
    {
        string dir = Directory.CreateTempSubdirectory("nfdtls-capture").FullName;
        try
        {
            string pcap = Path.Combine(dir, "dtls.pcap");
            string keylogPath = Path.Combine(dir, "keys.txt");
            var keys = new PskTable(1);
            keys.Add("cap"u8.ToArray(), Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"));
            DtlsConfig serverConfig = DtlsUdpClient.DefaultConfig();
            using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, serverConfig);
            server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
            int port = server.LocalEndPoint.Port;

            // 8 datagrams: ClientHello, HelloVerifyRequest, ClientHello, flight 4, flight 5, flight 6, data, echo.
            using (var capture = PeerProcess.Start("tshark", new[] { "-i", "lo", "-f", "udp port " + port, "-c", "8", "-w", pcap }))
            {
                Assert.True(capture.WaitFor("Capturing on", TimeSpan.FromSeconds(60)), capture.Output);
                // "Capturing on" comes a moment before dumpcap really reads the interface; on a loaded machine that moment
                // is long, and a missed ClientHello leaves -c 8 waiting for ever.
                Thread.Sleep(1500);
                server.Start();
                using var keyLog = new NssKeyLogFile(keylogPath);
                DtlsConfig clientConfig = DtlsUdpClient.DefaultConfig();
                clientConfig.KeyLog = keyLog;
                using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), "cap"u8.ToArray(),
                                                     Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"), clientConfig);
                Assert.True(client.Connect(TimeSpan.FromSeconds(10)));
                Assert.Equal(1, keyLog.Lines);
                Assert.True(client.Send(Encoding.ASCII.GetBytes("secret-text")));
                Assert.NotNull(client.Receive(TimeSpan.FromSeconds(10)));
                Assert.True(capture.WaitForExit(TimeSpan.FromSeconds(60)), "tshark did not see 8 datagrams: " + capture.Output);
            }

            using var read = PeerProcess.Start("tshark", new[]
            {
                "-r", pcap, "-o", "tls.keylog_file:" + keylogPath, "-d", "udp.port==" + port + ",dtls",
                "-T", "fields", "-e", "dtls.handshake.ciphersuite", "-e", "dtls.record.content_type", "-e", "data.data",
            });
            Assert.True(read.WaitForExit(TimeSpan.FromSeconds(30)));
            string fields = read.Stdout;
            Assert.Contains("0xc0a8", fields);
            Assert.DoesNotContain("0xc0ae", fields);
            // "secret-text" decrypted twice (request and echo): only possible with the right master secret.
            string hex = Convert.ToHexString(Encoding.ASCII.GetBytes("secret-text")).ToLowerInvariant();
            Assert.Equal(2, fields.Split(hex).Length - 1);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
