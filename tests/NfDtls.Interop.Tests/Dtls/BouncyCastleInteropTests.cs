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
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };
    }

    /// <summary>BouncyCastle's datagram transport over a connected UDP socket.</summary>
    private sealed class SocketTransport(Socket socket) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1232;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (!socket.Poll(Math.Max(1, waitMillis) * 1000, SelectMode.SelectRead))
            {
                return -1;
            }
            try
            {
                return socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return -1;
            }
        }

        public void Send(byte[] buf, int off, int len) => socket.Send(buf, off, len, SocketFlags.None);

        public void Send(ReadOnlySpan<byte> buffer) => socket.Send(buffer);

        public void Close()
        {
        }
    }

    [Fact]
    public void BouncyCastleClientAgainstOurServer()
    {
        var keys = new PskTable(1);
        keys.Add(Identity, Key);
        using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, DtlsUdpClient.DefaultConfig());
        DtlsSession? connected = null;
        server.Connected += s => connected = s;
        server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
        server.Start();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(server.LocalEndPoint);
        var client = new PskClient();
        DtlsTransport transport = new DtlsClientProtocol().Connect(client, new SocketTransport(socket));
        try
        {
            Assert.Equal(0xC0A8, client.Suite);
            transport.Send("ping from bouncycastle"u8.ToArray(), 0, 22);
            byte[] buf = new byte[100];
            int n = transport.Receive(buf, 0, buf.Length, 5000);
            Assert.Equal("ping from bouncycastle", Encoding.ASCII.GetString(buf, 0, Math.Max(n, 0)));
            Assert.NotNull(connected);
            Assert.Equal(0xC0A8, connected!.CipherSuite);
        }
        finally
        {
            transport.Close();
        }
    }

    [Fact]
    public void OurClientAgainstBouncyCastleServer()
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
                DtlsTransport t = new DtlsServerProtocol().Accept(new PskServer(), new SocketTransport(socket));
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

        using var client = new DtlsUdpClient(serverEndPoint, Identity, Key);
        Assert.True(client.Connect(TimeSpan.FromSeconds(10)), "handshake: " + client.Session.Failure + " " + failure);
        Assert.Equal(0xC0A8, client.Session.CipherSuite);
        Assert.True(client.Send("ping to bouncycastle"u8.ToArray()));
        byte[]? back = client.Receive(TimeSpan.FromSeconds(10));
        Assert.Equal("ping to bouncycastle", back == null ? "(nothing) " + failure : Encoding.ASCII.GetString(back));
        serverThread.Join(5000);
        Assert.Null(failure);
    }
}
