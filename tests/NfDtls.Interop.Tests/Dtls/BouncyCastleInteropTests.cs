using System.Net;
using System.Net.Sockets;
using System.Text;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>A third implementation: BouncyCastle's DTLS 1.2 (NuGet BouncyCastle.Cryptography 2.7.0) over real UDP, both directions.</summary>
public class BouncyCastleInteropTests
{
    private static readonly byte[] Identity = "bc-interop"u8.ToArray();
    private static readonly byte[] Key = Convert.FromHexString("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");

    private sealed class PskClient() : PskTlsClient(new BcTlsCrypto(new SecureRandom()), new BasicTlsPskIdentity(Identity, Key))
    {
        public int Suite;

        /// <summary>RFC 9146: the CID this client asks to receive; null offers no connection_id extension.</summary>
        public byte[]? ConnectionId;

        public override IDictionary<int, byte[]> GetClientExtensions()
        {
            IDictionary<int, byte[]> extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
            if (ConnectionId != null)
            {
                TlsExtensionsUtilities.AddConnectionIDExtension(extensions, ConnectionId);
            }
            return extensions;
        }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };

        public override void NotifySelectedCipherSuite(int selectedCipherSuite)
        {
            Suite = selectedCipherSuite;
            base.NotifySelectedCipherSuite(selectedCipherSuite);
        }
    }

    private sealed class Identities : TlsPskIdentityManager
    {
        public byte[]? GetHint() => null;

        public byte[]? GetPsk(byte[] identity) => identity.AsSpan().SequenceEqual(Identity) ? Key : null;
    }

    private sealed class PskServer() : PskTlsServer(new BcTlsCrypto(new SecureRandom()), new Identities())
    {
        /// <summary>RFC 9146: the CID this server issues to a client that offers the extension; null declines.</summary>
        public byte[]? ConnectionId;

        protected override byte[] GetNewConnectionID() => ConnectionId!;
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };
    }

    /// <param name="clientCid">-1: BouncyCastle offers no connection_id; else the length of the CID it asks for (0: none,
    /// it only sends CIDs). Our server issues 8-byte CIDs in the CID cases (RFC 9146 against another implementation).</param>
    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(0)]
    public void BouncyCastleClientAgainstOurServer(int clientCid)
    {
        var keys = new PskTable(1);
        keys.Add(Identity, Key);
        DtlsConfig config = DtlsUdpClient.DefaultConfig();
        config.ConnectionIdLength = clientCid >= 0 ? 8 : 0;
        using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, config);
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
        server.Start();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(server.LocalEndPoint);
        var client = new PskClient { ConnectionId = clientCid >= 0 ? Enumerable.Range(0xA0, clientCid).Select(i => (byte)i).ToArray() : null };
        DtlsTransport transport = new DtlsClientProtocol().Connect(client, new UdpSocketTransport(socket));
        try
        {
            Assert.Equal(0xC0A8, client.Suite);
            transport.Send("ping from bouncycastle"u8.ToArray(), 0, 22);
            byte[] buf = new byte[100];
            int n = transport.Receive(buf, 0, buf.Length, 5000);
            Assert.Equal("ping from bouncycastle", Encoding.ASCII.GetString(buf, 0, Math.Max(n, 0)));
            Assert.NotNull(connected);
            Assert.Equal(0xC0A8, connected!.CipherSuite);
            Assert.Equal(clientCid >= 0, connected.UsesConnectionId);
            Assert.Equal(clientCid >= 0 ? 8 : 0, connected.OwnConnectionIdLength);
            Assert.Equal(Math.Max(clientCid, 0), connected.PeerConnectionIdLength);
            // a second record each way after the first, in the negotiated format
            transport.Send("second"u8.ToArray(), 0, 6);
            n = transport.Receive(buf, 0, buf.Length, 5000);
            Assert.Equal("second", Encoding.ASCII.GetString(buf, 0, Math.Max(n, 0)));
        }
        finally
        {
            transport.Close();
        }
    }

    /// <param name="clientCid">Our client's <see cref="DtlsConfig.ConnectionIdLength"/> (0 off, -1 send-only); the
    /// BouncyCastle server issues a 4-byte CID whenever the client offers the extension.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(DtlsConfig.ConnectionIdSendOnly)]
    public void OurClientAgainstBouncyCastleServer(int clientCid)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var serverEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Exception? failure = null;
        var serverThread = new Thread(() =>
        {
            try
            {
                // Learn the client's address from its first datagram (left in the queue), then talk only to it.
                EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
                socket.ReceiveTimeout = 10000;
                socket.ReceiveFrom(new byte[2048], SocketFlags.Peek, ref remote);
                socket.Connect(remote);
                var bcServer = new PskServer { ConnectionId = new byte[] { 0x51, 0x52, 0x53, 0x54 } };
                DtlsTransport t = new DtlsServerProtocol().Accept(bcServer, new UdpSocketTransport(socket));
                byte[] buf = new byte[1500];
                int n = t.Receive(buf, 0, buf.Length, 10000);
                if (n > 0)
                {
                    t.Send(buf, 0, n); // echo
                }
                Thread.Sleep(200);
                t.Close();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true };
        serverThread.Start();

        DtlsConfig config = DtlsUdpClient.DefaultConfig();
        config.ConnectionIdLength = clientCid;
        using var client = new DtlsUdpClient(serverEndPoint, Identity, Key, config);
        Assert.True(client.Connect(TimeSpan.FromSeconds(10)), "handshake: " + client.Session.Failure + " " + failure);
        Assert.Equal(0xC0A8, client.Session.CipherSuite);
        Assert.Equal(clientCid != 0, client.Session.UsesConnectionId);
        Assert.Equal(clientCid > 0 ? clientCid : 0, client.Session.OwnConnectionIdLength);
        Assert.Equal(clientCid != 0 ? 4 : 0, client.Session.PeerConnectionIdLength);
        Assert.True(client.Send("ping to bouncycastle"u8.ToArray()));
        byte[]? back = client.Receive(TimeSpan.FromSeconds(10));
        Assert.Equal("ping to bouncycastle", back == null ? "(nothing) " + failure : Encoding.ASCII.GetString(back));
        serverThread.Join(5000);
        Assert.Null(failure);
    }
}
