using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>ECDHE_ECDSA handshakes (RPK and X.509, server-only and mutual) over the seeded lossy virtual network.</summary>
public class EcdheLossyLinkTests
{
    private sealed class LateSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target!.Send(buffer, offset, count, destination);
    }

    private static bool HandshakeAndData(int seed, LinkProfile profile, EcdheCredentials server, EcdheCredentials client, ICryptoProvider crypto, out int flights,
                                         int clientHandshakeBuffer = 4096)
    {
        var net = new VirtualNetwork(seed);
        var serverEvents = new RecordingEvents();
        var clientEvents = new RecordingEvents();
        void Configure(DtlsConfig c)
        {
            c.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            c.HandshakeBufferSize = 4096;
            c.FlightBufferSize = 4096;
            c.MaxRetransmissions = 12;
        }
        var ss = new LateSink();
        var cs = new LateSink();
        DtlsConfig sc = DtlsRig.Config(seed * 11 + 1, Configure, crypto);
        sc.Ecdhe = server;
        DtlsConfig cc = DtlsRig.Config(seed * 11 + 2, Configure, crypto);
        cc.Ecdhe = client;
        cc.HandshakeBufferSize = clientHandshakeBuffer;
        var dtlsServer = new DtlsServer(sc, ss, new PskTable(1), serverEvents);
        var dtlsClient = new DtlsClient(cc, cs, DtlsRig.ServerAddress, null!, null!, clientEvents);
        ss.Target = net.Attach(DtlsRig.ServerAddress, dtlsServer);
        cs.Target = net.Attach(DtlsRig.ClientAddress, dtlsClient);
        net.SetLinks(DtlsRig.ClientAddress, DtlsRig.ServerAddress, profile);
        dtlsClient.Connect(net.Now);
        net.Poke(dtlsClient);
        flights = 0;
        if (!net.RunUntil(net.Now + 30 * 60_000, () => dtlsClient.IsConnected && serverEvents.Connected > 0))
        {
            return false;
        }
        flights = dtlsClient.Session.FlightsSent + dtlsServer.FindSession(DtlsRig.ClientAddress)!.FlightsSent;
        byte[] payload = "over a lossy link"u8.ToArray();
        for (int attempt = 0; attempt < 60 && serverEvents.Data.Count == 0; attempt++)
        {
            dtlsClient.Send(payload, 0, payload.Length, net.Now);
            net.RunUntil(net.Now + 1000, () => serverEvents.Data.Count > 0);
        }
        return serverEvents.Data.Count > 0 && serverEvents.Data[0].AsSpan().SequenceEqual(payload)
               && dtlsClient.Session.CipherSuite == CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 && serverEvents.Connected == 1;
    }

    [Theory]
    [InlineData("rpk", false)]
    [InlineData("rpk", true)]
    [InlineData("x509", false)]
    [InlineData("x509", true)]
    public void HandshakesSurviveTwentyPercentLossEachWay(string kind, bool mutual)
    {
        var profile = new LinkProfile { Loss = 0.20, Duplicate = 0.05, Reorder = 0.1, LatencyMs = 20, JitterMs = 10 };
        int total = 0;
        const int seeds = 12;
        for (int seed = 1; seed <= seeds; seed++)
        {
            // most seeds on the desktop provider (speed), some on the portable one (what boards run)
            ICryptoProvider crypto = seed <= 2 ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;
            EcdheCredentials server = kind == "rpk"
                ? EcdheHandshakeTests.RpkServer(mutual, EcdheHandshakeTests.ClientKey)
                : EcdheHandshakeTests.X509Server(mutual);
            EcdheCredentials client = kind == "rpk"
                ? EcdheHandshakeTests.RpkClient(mutual ? EcdheHandshakeTests.ClientKey : null, EcdheHandshakeTests.ServerKey)
                : EcdheHandshakeTests.X509Client(mutual);
            Assert.True(HandshakeAndData(seed, profile, server, client, crypto, out int flights), kind + " mutual=" + mutual + " seed " + seed);
            total += flights;
        }
        Assert.True(total > seeds * 5, "the link lost nothing?");
    }

    [Fact]
    public void StreamedChainSurvivesLossAndReordering()
    {
        var profile = new LinkProfile { Loss = 0.20, Duplicate = 0.05, Reorder = 0.2, LatencyMs = 20, JitterMs = 10 };
        var bigCert = EcdheHandshakeTests.BigServerCertificate();
        for (int seed = 1; seed <= 10; seed++)
        {
            Assert.True(HandshakeAndData(seed, profile, EcdheHandshakeTests.X509Server(true, bigCert), EcdheHandshakeTests.X509Client(true),
                                         DesktopCryptoProvider.Instance, out _, clientHandshakeBuffer: 1536), "seed " + seed);
        }
    }
}
