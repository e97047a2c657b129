using System.Net;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// Wireshark's view of an abbreviated handshake (RFC 5246 §7.3): tshark captures a resumed session of ours and sees
/// ClientHello, HelloVerifyRequest, ServerHello and the two Finished messages — no Certificate, ServerKeyExchange,
/// ServerHelloDone or ClientKeyExchange — and decrypts both Finished and the data with our NSS key log (the master
/// secret of the resumed session logged under its new client random).
/// </summary>
public class DtlsResumptionCaptureTests
{
    [Theory]
    [InlineData("tickets")]
    [InlineData("cache")]
    public void TsharkSeesAnAbbreviatedHandshakeAndDecryptsIt(string mode)
    {
        string dir = Directory.CreateTempSubdirectory("nfdtls-resume-capture").FullName;
        try
        {
            string pcap = Path.Combine(dir, "resumed.pcap");
            string keylogPath = Path.Combine(dir, "keys.txt");
            byte[] key = Convert.FromHexString("b0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
            var keys = new PskTable(1);
            keys.Add("cap"u8.ToArray(), key);
            DtlsConfig serverConfig = DtlsUdpClient.DefaultConfig();
            serverConfig.SessionTickets = mode == "tickets";
            serverConfig.SessionCacheSize = mode == "cache" ? 4 : 0;
            using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, serverConfig);
            server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
            server.Start();
            int port = server.LocalEndPoint.Port;
            using var keyLog = new NssKeyLogFile(keylogPath);
            DtlsConfig ClientConfig()
            {
                DtlsConfig c = DtlsUdpClient.DefaultConfig();
                c.KeyLog = keyLog;
                c.SessionTickets = mode == "tickets";
                return c;
            }

            byte[]? state;
            using (var first = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), "cap"u8.ToArray(), key, ClientConfig()))
            {
                Assert.True(first.Connect(TimeSpan.FromSeconds(10)));
                state = first.SaveResumption();
                first.Close();
            }
            Assert.NotNull(state);

            // 7 datagrams: ClientHello, HelloVerifyRequest, ClientHello, ServerHello+ChangeCipherSpec+Finished,
            // ChangeCipherSpec+Finished, data, echo.
            using (var capture = PeerProcess.Start("tshark", new[] { "-i", "lo", "-f", "udp port " + port, "-c", "7", "-w", pcap }))
            {
                Assert.True(capture.WaitFor("Capturing on", TimeSpan.FromSeconds(60)), capture.Output);
                Thread.Sleep(1500); // dumpcap reads the interface a moment after it says so
                using var client = new DtlsUdpClient(new IPEndPoint(IPAddress.Loopback, port), "cap"u8.ToArray(), key, ClientConfig());
                Assert.True(client.LoadResumption(state!));
                Assert.True(client.Connect(TimeSpan.FromSeconds(10)));
                Assert.True(client.Session.WasResumed);
                Assert.Equal(2, keyLog.Lines);
                Assert.True(client.Send(Encoding.ASCII.GetBytes("resumed-secret")));
                Assert.NotNull(client.Receive(TimeSpan.FromSeconds(10)));
                Assert.True(capture.WaitForExit(TimeSpan.FromSeconds(60)), "tshark did not see 7 datagrams: " + capture.Output);
            }

            using var read = PeerProcess.Start("tshark", new[]
            {
                "-r", pcap, "-o", "tls.keylog_file:" + keylogPath, "-d", "udp.port==" + port + ",dtls",
                "-T", "fields", "-e", "dtls.handshake.type", "-e", "dtls.handshake.ciphersuite", "-e", "data.data",
            });
            Assert.True(read.WaitForExit(TimeSpan.FromSeconds(30)));
            string fields = read.Stdout;
            var types = new HashSet<int>();
            foreach (string line in fields.Split('\n'))
            {
                string first = line.Split('\t')[0];
                foreach (string t in first.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    types.Add(int.Parse(t));
                }
            }
            Assert.Contains(1, types);  // ClientHello
            Assert.Contains(3, types);  // HelloVerifyRequest
            Assert.Contains(2, types);  // ServerHello
            Assert.Contains(20, types); // Finished: only readable when decrypted with our key log
            Assert.DoesNotContain(11, types); // Certificate
            Assert.DoesNotContain(12, types); // ServerKeyExchange
            Assert.DoesNotContain(14, types); // ServerHelloDone
            Assert.DoesNotContain(16, types); // ClientKeyExchange
            Assert.Contains("0xc0a8", fields);
            string hex = Convert.ToHexString(Encoding.ASCII.GetBytes("resumed-secret")).ToLowerInvariant();
            Assert.Equal(2, fields.Split(hex).Length - 1);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
