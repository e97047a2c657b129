using System.Diagnostics;
using System.Text;
using NfDtls.Tests.Cli;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>`nfdtls dtls-client` / `nfdtls dtls-server` as child processes: output and exit codes (the issue 3 contract).</summary>
public class DtlsCommandTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    [Fact]
    public void HelpShowsExamples()
    {
        var (code, output, _) = ProvisionCommandTests.Nfdtls("dtls-client", "--help");
        Assert.Equal(0, code);
        Assert.Contains("examples:", output);
        Assert.Contains("--psk-identity", output);
        (code, output, _) = ProvisionCommandTests.Nfdtls("dtls-server", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--echo", output);
    }

    [Fact]
    public void MissingOptionIsAUsageError()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--psk-identity", "a", "--psk-key", Key);
        Assert.Equal(2, code);
        Assert.Contains("--connect", err);
    }

    [Fact]
    public void ClientTimesOutWithoutServer()
    {
        int port = FreePort();
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", "127.0.0.1:" + port, "--psk-identity", "a", "--psk-key", Key, "--send", "x", "--timeout", "1.5");
        Assert.Equal(4, code);
        Assert.Contains("timed out", err);
    }

    [Fact]
    public void ClientAndServerCommandsTalkAndWrongKeyFails()
    {
        using var server = Start("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--echo", "--count", "1");
        string listening = server.ReadLine(TimeSpan.FromSeconds(30)) ?? "";
        Assert.StartsWith("listening 127.0.0.1:", listening);
        string address = listening["listening ".Length..];

        var (bad, _, badErr) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", "ffeeddccbbaa99887766554433221100", "--send", "x", "--timeout", "5");
        Assert.Equal(3, bad);
        Assert.Contains("handshake failed", badErr);

        var (code, output, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", address, "--psk-identity", "dev", "--psk-key", Key, "--send", "hello nfdtls", "--timeout", "5");
        Assert.True(code == 0, err);
        Assert.Contains("hello nfdtls", output);
        Assert.Contains("suite TLS_PSK_WITH_AES_128_CCM_8", err);

        Assert.True(server.Process.WaitForExit(10000), "server did not exit after --count 1");
        Assert.Equal(0, server.Process.ExitCode);
        string all = server.ReadAll();
        Assert.Contains("handshake 127.0.0.1:", all);
        Assert.Contains("identity dev suite TLS_PSK_WITH_AES_128_CCM_8", all);
        Assert.Contains("hello nfdtls", all);
    }

    [Fact]
    public void ServerWithCidKeepsTheSessionWhenTheClientsPortChanges()
    {
        using var server = Start("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "dev", "--psk-key", Key, "--cid", "6", "--echo", "--count", "1");
        string listening = server.ReadLine(TimeSpan.FromSeconds(30)) ?? "";
        Assert.StartsWith("listening 127.0.0.1:", listening);
        var address = System.Net.IPEndPoint.Parse(listening["listening ".Length..]);

        using var client = new RebindingClient(address, Encoding.UTF8.GetBytes("dev"), Convert.FromHexString(Key));
        Assert.True(client.Connect(TimeSpan.FromSeconds(10)), "handshake");
        Assert.True(client.Session.UsesConnectionId);
        Assert.Equal(6, client.Session.PeerConnectionIdLength); // the server's CID in our records
        Assert.Equal(0, client.Session.OwnConnectionIdLength);  // send-only: plain records back
        Assert.Equal("before", client.SendAndWait("before", TimeSpan.FromSeconds(10)));
        string oldPort = client.LocalPort;
        client.Rebind(); // what a NAT does: the same client, a new source port
        Assert.NotEqual(oldPort, client.LocalPort);
        Assert.Equal("after", client.SendAndWait("after", TimeSpan.FromSeconds(10))); // the echo found the new port
        client.Close();

        Assert.True(server.Process.WaitForExit(10000), "server did not exit after --count 1");
        Assert.Equal(0, server.Process.ExitCode);
        string all = server.ReadAll();
        Assert.Contains("suite TLS_PSK_WITH_AES_128_CCM_8 connection-id 6/0", all);
        Assert.Contains("moved 127.0.0.1:" + oldPort + " -> 127.0.0.1:" + client.LocalPort + " (connection ID)", all);
        Assert.Contains("record 127.0.0.1:" + client.LocalPort + " after", all);
        Assert.Single(all.Split('\n'), l => l.StartsWith("handshake ", StringComparison.Ordinal));
    }

    [Fact]
    public void CidFlagWantsZeroOrFourToThirtyTwo()
    {
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-server", "--listen", "127.0.0.1:0", "--psk-identity", "a", "--psk-key", Key, "--cid", "2");
        Assert.Equal(2, code);
        Assert.Contains("--cid wants 0 (no Connection ID) or a length from 4 to 32", err);
        Assert.Equal(0, NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("dtls-server"), 0));
        Assert.Equal(6, NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("dtls-server", "--cid", "6"), 0));
        Assert.Equal(32, NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("dtls-server", "--cid=32"), 0));
        Assert.Equal(4, NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("gateway"), 4));
        Assert.Equal(0, NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("gateway", "--cid", "0"), 4));
        foreach (string bad in new[] { "3", "33", "-1", "six", "4.5" })
        {
            Assert.Throws<NfDtls.Cli.UsageException>(() => NfDtls.Cli.ConnectionIdArgument.Get(NfDtls.Cli.CommandTable.Parse("gateway", "--cid", bad), 4));
        }
        (code, string help, _) = ProvisionCommandTests.Nfdtls("gateway", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--cid LENGTH", help);
        Assert.Contains("--cid 0", help);
    }

    /// <summary>
    /// A DTLS client (send-only CID) on a socket it can swap for another: a NAT rebinding seen from the server. Driven
    /// synchronously on the test's thread.
    /// </summary>
    private sealed class RebindingClient : NfDtls.Dtls.IDtlsEvents, NfDtls.Net.IDatagramSink, IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly NfDtls.Dtls.DtlsClient _dtls;
        private readonly byte[] _buffer = new byte[2048];
        private readonly NfDtls.Net.PeerAddress _from = new();
        private readonly Queue<string> _received = new();
        private System.Net.Sockets.Socket _socket = Bind();

        public RebindingClient(System.Net.IPEndPoint server, byte[] identity, byte[] key)
        {
            var config = NfDtls.Desktop.Dtls.DtlsUdpClient.DefaultConfig();
            config.ConnectionIdLength = NfDtls.Dtls.DtlsConfig.ConnectionIdSendOnly;
            _dtls = new NfDtls.Dtls.DtlsClient(config, this, NfDtls.Desktop.Net.UdpEndpointHost.ToPeerAddress(server), identity, key, this);
        }

        public NfDtls.Dtls.DtlsSession Session => _dtls.Session;
        public string LocalPort => ((System.Net.IPEndPoint)_socket.LocalEndPoint!).Port.ToString();

        private static System.Net.Sockets.Socket Bind()
        {
            var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            return s;
        }

        public bool Connect(TimeSpan timeout)
        {
            _dtls.Connect(_clock.ElapsedMilliseconds);
            return Pump(() => _dtls.IsConnected, timeout);
        }

        public string? SendAndWait(string text, TimeSpan timeout)
        {
            byte[] b = Encoding.UTF8.GetBytes(text);
            Assert.True(_dtls.Send(b, 0, b.Length, _clock.ElapsedMilliseconds));
            return Pump(() => _received.Count > 0, timeout) ? _received.Dequeue() : null;
        }

        public void Rebind()
        {
            _socket.Dispose();
            _socket = Bind();
        }

        public void Close() => _dtls.Close(_clock.ElapsedMilliseconds);

        private bool Pump(Func<bool> done, TimeSpan timeout)
        {
            long end = _clock.ElapsedMilliseconds + (long)timeout.TotalMilliseconds;
            while (!done())
            {
                long now = _clock.ElapsedMilliseconds;
                if (now >= end)
                {
                    return false;
                }
                if (_dtls.NextDeadline <= now)
                {
                    _dtls.Tick(now);
                    continue;
                }
                if (_socket.Poll(20_000, System.Net.Sockets.SelectMode.SelectRead))
                {
                    System.Net.EndPoint remote = new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0);
                    int n = _socket.ReceiveFrom(_buffer, ref remote);
                    NfDtls.Desktop.Net.UdpEndpointHost.FromEndPoint((System.Net.IPEndPoint)remote, _from);
                    _dtls.Receive(_buffer, 0, n, _from, _clock.ElapsedMilliseconds);
                }
            }
            return true;
        }

        public void Send(byte[] buffer, int offset, int count, NfDtls.Net.PeerAddress destination) =>
            _socket.SendTo(buffer, offset, count, System.Net.Sockets.SocketFlags.None, NfDtls.Desktop.Net.UdpEndpointHost.ToEndPoint(destination));

        public void OnConnected(NfDtls.Dtls.DtlsSession session)
        {
        }

        public void OnApplicationData(NfDtls.Dtls.DtlsSession session, byte[] buffer, int offset, int count) =>
            _received.Enqueue(Encoding.UTF8.GetString(buffer, offset, count));

        public void OnAlert(NfDtls.Dtls.DtlsSession session, int level, int description)
        {
        }

        public void OnClosed(NfDtls.Dtls.DtlsSession session)
        {
        }

        public void OnUnknownPskIdentity(NfDtls.Dtls.DtlsSession session)
        {
        }

        public void Dispose() => _socket.Dispose();
    }

    private static int FreePort()
    {
        using var s = new System.Net.Sockets.UdpClient(0);
        return ((System.Net.IPEndPoint)s.Client.LocalEndPoint!).Port;
    }

    private static NfdtlsProcess Start(params string[] args) => NfdtlsProcess.Start(args);
}
