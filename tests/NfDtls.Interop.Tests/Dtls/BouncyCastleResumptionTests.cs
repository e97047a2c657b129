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

/// <summary>
/// Session resumption with BouncyCastle 2.7's DTLS 1.2, PSK, over real UDP. Its client resumes a TlsSession by session
/// ID (no tickets): against our server the second handshake is abbreviated on both ends. Its DTLS server gives session
/// IDs and asks <c>GetSessionToResume</c>, but its DTLS server protocol does not resume (older sources say "no server
/// support for session resumption"; 2.7 still answers a full handshake), so against it our client shows the other half
/// of the contract: it offers the saved session and falls back to a full handshake transparently.
/// </summary>
public class BouncyCastleResumptionTests
{
    private static readonly byte[] Identity = "bc-resume"u8.ToArray();
    private static readonly byte[] Key = Convert.FromHexString("6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b");

    private sealed class ResumingClient(TlsSession? resume) : PskTlsClient(new BcTlsCrypto(new SecureRandom()), new BasicTlsPskIdentity(Identity, Key))
    {
        public TlsSession? Established;

        public override TlsSession? GetSessionToResume() => resume;

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            Established = m_context.Session;
        }
    }

    private sealed class Identities : TlsPskIdentityManager
    {
        public byte[]? GetHint() => null;

        public byte[]? GetPsk(byte[] identity) => identity.AsSpan().SequenceEqual(Identity) ? Key : null;
    }

    /// <summary>A PSK server with a session cache of its own (BouncyCastle asks the server for a session by ID).</summary>
    private sealed class CachingServer(Dictionary<string, TlsSession> cache) : PskTlsServer(new BcTlsCrypto(new SecureRandom()), new Identities())
    {
        public bool Resumed;

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };

        public override TlsSession? GetSessionToResume(byte[] sessionID)
        {
            lock (cache)
            {
                return cache.TryGetValue(Convert.ToHexString(sessionID), out TlsSession? s) ? s : null;
            }
        }

        public override byte[] GetNewSessionID() => SecureRandom.GetNextBytes(new SecureRandom(), 32);

        public override void NotifySession(TlsSession session)
        {
            base.NotifySession(session);
            Resumed = m_context.SecurityParameters.IsResumedSession;
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            TlsSession s = m_context.Session;
            lock (cache)
            {
                cache[Convert.ToHexString(s.SessionID)] = s;
            }
        }
    }

    [Fact]
    public void BouncyCastleClientResumesWithOurServer()
    {
        var keys = new PskTable(1);
        keys.Add(Identity, Key);
        DtlsConfig config = DtlsUdpClient.DefaultConfig();
        config.SessionCacheSize = 8;
        using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys, config);
        var resumed = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        server.Connected += s => resumed.Enqueue(s.WasResumed);
        server.DataReceived += (s, buf, off, n) => server.SendFromHandler(s.Peer, buf, off, n);
        server.Start();

        TlsSession? session = null;
        for (int run = 0; run < 2; run++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Connect(server.LocalEndPoint);
            var client = new ResumingClient(session);
            DtlsTransport transport = new DtlsClientProtocol().Connect(client, new UdpSocketTransport(socket));
            try
            {
                byte[] text = Encoding.ASCII.GetBytes("bc run " + run);
                transport.Send(text, 0, text.Length);
                byte[] buf = new byte[100];
                int n = transport.Receive(buf, 0, buf.Length, 5000);
                Assert.Equal("bc run " + run, Encoding.ASCII.GetString(buf, 0, Math.Max(n, 0)));
                session = client.Established;
                Assert.NotNull(session);
                Assert.True(session!.IsResumable);
            }
            finally
            {
                transport.Close();
            }
        }
        Assert.Equal(new[] { false, true }, resumed.ToArray());
    }

    [Fact]
    public void OurClientFallsBackToAFullHandshakeWithBouncyCastleServer()
    {
        var cache = new Dictionary<string, TlsSession>();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var serverEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        var resumedOnServer = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        string? failure = null;
        var serverThread = new Thread(() =>
        {
            try
            {
                for (int run = 0; run < 2; run++)
                {
                    // Each connection: wait for a ClientHello from a new client port, then serve it.
                    byte[] peek = new byte[1500];
                    EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
                    socket.ReceiveFrom(peek, SocketFlags.Peek, ref remote);
                    socket.Connect(remote);
                    var bcServer = new CachingServer(cache);
                    DtlsTransport t = new DtlsServerProtocol().Accept(bcServer, new UdpSocketTransport(socket));
                    resumedOnServer.Enqueue(bcServer.Resumed);
                    byte[] buf = new byte[100];
                    int n = t.Receive(buf, 0, buf.Length, 5000);
                    if (n > 0)
                    {
                        t.Send(buf, 0, n);
                    }
                    // wait for the client's close_notify, then take the next connection from any address
                    t.Receive(buf, 0, buf.Length, 2000);
                    t.Close();
                    socket.Connect(new IPEndPoint(IPAddress.Any, 0));
                }
            }
            catch (Exception e)
            {
                failure = e.ToString();
            }
        }) { IsBackground = true };
        serverThread.Start();

        byte[]? state = null;
        for (int run = 0; run < 2; run++)
        {
            using var client = new DtlsUdpClient(serverEndPoint, Identity, Key, DtlsUdpClient.DefaultConfig());
            bool offered = false;
            if (state != null)
            {
                Assert.True(client.LoadResumption(state));
                offered = true;
            }
            Assert.True(client.Connect(TimeSpan.FromSeconds(10)), "handshake " + run + ": " + client.Session.Failure + " " + failure);
            Assert.False(client.Session.WasResumed); // declined: a full handshake, no error
            if (run == 1)
            {
                Assert.True(offered, "the second hello did not offer the saved session");
            }
            Assert.True(client.Send(Encoding.ASCII.GetBytes("to bc " + run)));
            byte[]? back = client.Receive(TimeSpan.FromSeconds(5));
            Assert.NotNull(back);
            Assert.Equal("to bc " + run, Encoding.ASCII.GetString(back!));
            state = client.SaveResumption();
            client.Close();
            Thread.Sleep(200);
        }
        Assert.True(serverThread.Join(10000), failure);
        Assert.Null(failure);
        Assert.Equal(new[] { false, false }, resumedOnServer.ToArray());
    }
}
