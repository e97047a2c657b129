using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Resumption of ECDHE_ECDSA sessions (RFC 5246 §7.3, RFC 7627 §5.3): no P-256 work the second time, the same peer key
/// exposed as after the full handshake (raw public keys and X.509), and no resumption once the peer's key is no longer
/// trusted.
/// </summary>
public class EcdheResumptionTests
{
    /// <summary>Records the peer key each side's key exchange reports in OnConnected.</summary>
    private sealed class KeyEvents : IDtlsEvents
    {
        public readonly RecordingEvents Inner = new();
        public Func<DtlsKeyExchange?>? Kx;
        public readonly List<byte[]?> PeerKeys = new();

        public void OnConnected(DtlsSession session)
        {
            Inner.OnConnected(session);
            var key = new byte[65];
            bool has = Kx!() is EcdheEcdsaKeyExchange e && e.TryGetPeerKey(session, key, 0);
            PeerKeys.Add(has ? key : null);
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => Inner.OnApplicationData(session, buffer, offset, count);

        public void OnAlert(DtlsSession session, int level, int description) => Inner.OnAlert(session, level, description);

        public void OnClosed(DtlsSession session) => Inner.OnClosed(session);

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }
    }

    private sealed class Pair
    {
        public readonly QueueSink ToServer = new();
        public readonly QueueSink ToClient = new();
        public readonly KeyEvents ServerEvents = new();
        public readonly KeyEvents ClientEvents = new();
        public readonly DtlsServer Server;
        public readonly DtlsClient Client;
        public long Now;

        public Pair(EcdheCredentials server, EcdheCredentials client, Action<DtlsConfig> resumption, int seed = 40)
        {
            Server = new DtlsServer(DtlsRig.Config(seed, c =>
            {
                c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                c.Ecdhe = server;
                resumption(c);
            }), ToClient, new PskTable(1), ServerEvents);
            Client = new DtlsClient(DtlsRig.Config(seed + 1, c =>
            {
                c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
                c.Ecdhe = client;
                resumption(c);
            }), ToServer, DtlsRig.ServerAddress, null!, null!, ClientEvents);
            ServerEvents.Kx = () => Server.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);
            ClientEvents.Kx = () => Client.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);
        }

        public void Connect()
        {
            Now += 10;
            Client.Connect(Now);
            for (int i = 0; i < 50 && (ToServer.Queue.Count > 0 || ToClient.Queue.Count > 0); i++)
            {
                while (ToServer.Queue.Count > 0)
                {
                    byte[] d = ToServer.Queue.Dequeue();
                    Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, Now);
                }
                while (ToClient.Queue.Count > 0)
                {
                    byte[] d = ToClient.Queue.Dequeue();
                    Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, Now);
                }
            }
        }

        public DtlsSession? ServerSession => Server.FindSession(DtlsRig.ClientAddress);
    }

    private static void Cache(DtlsConfig c) => c.SessionCacheSize = 8;

    private static void Tickets(DtlsConfig c) => c.SessionTickets = true;

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void MutualRawPublicKeysResumeWithTheSamePeerKeys(string mode)
    {
        var p = new Pair(EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ClientKey),
                         EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey),
                         mode == "cache" ? Cache : Tickets);
        p.Connect();
        Assert.True(p.Client.IsConnected);
        Assert.False(p.Client.Session.WasResumed);
        int fullBytes = (int)(p.ToServer.Bytes + p.ToClient.Bytes);
        p.Connect();
        Assert.True(p.Client.IsConnected);
        Assert.True(p.Client.Session.WasResumed);
        Assert.True(p.ServerSession!.WasResumed);
        int resumedBytes = (int)(p.ToServer.Bytes + p.ToClient.Bytes) - fullBytes;
        Assert.True(resumedBytes < fullBytes, "resumed " + resumedBytes + " B vs full " + fullBytes + " B");
        // the same keys as after the full handshake, on both sides
        Assert.Equal(2, p.ServerEvents.PeerKeys.Count);
        Assert.NotNull(p.ServerEvents.PeerKeys[0]);
        Assert.Equal(p.ServerEvents.PeerKeys[0], p.ServerEvents.PeerKeys[1]);
        Assert.NotNull(p.ClientEvents.PeerKeys[0]);
        Assert.Equal(p.ClientEvents.PeerKeys[0], p.ClientEvents.PeerKeys[1]);
        var kx = (EcdheEcdsaKeyExchange)p.Server.FindKeyExchange(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8)!;
        Assert.True(p.Client.Send("hi"u8.ToArray(), 0, 2, p.Now));
        p.Connect(); // third: resumed again
        Assert.True(p.Client.Session.WasResumed);
        Assert.Equal(3, p.ServerEvents.Inner.Connected);
    }

    [Theory]
    [InlineData("cache")]
    [InlineData("tickets")]
    public void X509ServerSessionResumes(string mode)
    {
        var p = new Pair(EcdheHandshakeTests.X509Server(false), EcdheHandshakeTests.X509Client(false), mode == "cache" ? Cache : Tickets, 44);
        p.Connect();
        Assert.True(p.Client.IsConnected, p.Client.Session.Failure.ToString());
        p.Connect();
        Assert.True(p.Client.IsConnected);
        Assert.True(p.Client.Session.WasResumed);
        Assert.Equal(p.ClientEvents.PeerKeys[0], p.ClientEvents.PeerKeys[1]);
        Assert.NotNull(p.ClientEvents.PeerKeys[1]);
        Assert.Null(p.ServerEvents.PeerKeys[1]); // no client certificate then, none now
    }

    [Fact]
    public void ServerNoLongerTrustingTheClientKeyDoesNotResume()
    {
        var trusting = new Pair(EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ClientKey),
                                EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey), Tickets, 46);
        trusting.Connect();
        Assert.True(trusting.Client.IsConnected);
        byte[] keys = new byte[DtlsServer.TicketKeysLength];
        trusting.Server.SaveTicketKeys(keys, 0);
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = trusting.Client.SaveResumption(state, 0);

        // Same ticket keys, but the client's key is off the allow-list (trusts only the server's own key).
        var revoked = new Pair(EcdheHandshakeTests.RpkServer(true, EcdheHandshakeTests.ServerKey),
                               EcdheHandshakeTests.RpkClient(EcdheHandshakeTests.ClientKey, EcdheHandshakeTests.ServerKey), Tickets, 48);
        Assert.True(revoked.Server.LoadTicketKeys(keys, 0, keys.Length));
        Assert.True(revoked.Client.LoadResumption(state, 0, n));
        revoked.Connect();
        Assert.False(revoked.Client.IsConnected); // the full handshake it fell back to refuses the key
        Assert.Equal(0, revoked.ServerEvents.Inner.Connected);
    }

    [Fact]
    public void ClientNoLongerTrustingTheServerKeyDoesNotOfferTheSession()
    {
        var p = new Pair(EcdheHandshakeTests.RpkServer(false), EcdheHandshakeTests.RpkClient(null, EcdheHandshakeTests.ServerKey), Cache, 50);
        p.Connect();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = p.Client.SaveResumption(state, 0);
        Assert.True(n > 0);
        var q = new Pair(EcdheHandshakeTests.RpkServer(false), EcdheHandshakeTests.RpkClient(null, EcdheHandshakeTests.ClientKey), Cache, 52);
        Assert.True(q.Client.LoadResumption(state, 0, n));
        q.Client.Connect(0);
        byte[] hello = q.ToServer.Queue.Peek();
        Assert.Equal(0, hello[13 + 12 + 2 + 32]); // empty session_id: nothing offered
    }
}
