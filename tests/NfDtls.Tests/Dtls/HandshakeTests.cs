using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using Xunit;

namespace NfDtls.Tests.Dtls;

public class HandshakeTests
{
    [Fact]
    public void PskHandshakeConnectsBothSidesAndCarriesDataBothWays()
    {
        var rig = new DtlsRig();
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        Assert.Equal(1, rig.ClientEvents.Connected);
        Assert.Equal(1, rig.ServerEvents.Connected);
        Assert.Equal(1, rig.Server.SessionCount);
        DtlsSession s = rig.Server.FindSession(DtlsRig.ClientAddress)!;
        Assert.Equal(CipherSuite.TlsPskWithAes128Ccm8, s.CipherSuite);
        Assert.Equal(CipherSuite.TlsPskWithAes128Ccm8, rig.Client.Session.CipherSuite);
        Assert.True(s.UsesExtendedMasterSecret);
        Assert.True(rig.Client.Session.UsesExtendedMasterSecret);
        Assert.Equal("device-1", s.PskIdentityText());

        Assert.True(rig.Client.Send("hello"u8.ToArray(), 0, 5, rig.Now));
        rig.Pump();
        Assert.Equal("hello"u8.ToArray(), Assert.Single(rig.ServerEvents.Data));

        Assert.True(rig.Server.Send(DtlsRig.ClientAddress, "world!"u8.ToArray(), 0, 6, rig.Now));
        rig.Pump();
        Assert.Equal("world!"u8.ToArray(), Assert.Single(rig.ClientEvents.Data));
    }

    [Fact]
    public void ServerAnswersFirstHelloWithCookieAndNoState()
    {
        var rig = new DtlsRig();
        rig.Client.Connect(rig.Now);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        rig.Server.Receive(hello, 0, hello.Length, DtlsRig.ClientAddress, rig.Now);
        Assert.Equal(0, rig.Server.SessionCount);
        byte[] hvr = Assert.Single(rig.ToClient.Queue);
        Assert.Equal(HandshakeType.HelloVerifyRequest, hvr[13]);
        Assert.True(hvr.Length <= hello.Length);
    }

    [Fact]
    public void WrongPskEndsBothSidesByTimeoutWithoutDataAndIsDiagnosed()
    {
        // The client's Finished does not authenticate under the server's key: dropped silently (RFC 6347 §4.1.2.7),
        // as OpenSSL and GnuTLS do, so no forged record can end a handshake. Both sides give up on their timers, and
        // each can say why: the server saw records fail authentication, the client saw flight 4 repeated.
        var rig = new DtlsRig(clientKey: Convert.FromHexString("ffffffffffffffffffffffffffffffff"));
        rig.Handshake();
        Assert.False(rig.Client.IsConnected);
        DtlsSession server = rig.Server.FindSession(DtlsRig.ClientAddress)!;
        Assert.True(server.WaitingForPeerFinished);
        for (int i = 0; i < 2000 && (rig.Client.Session.IsActive || rig.Server.SessionCount > 0); i++)
        {
            rig.Now += 500;
            rig.Client.Tick(rig.Now);
            rig.Server.Tick(rig.Now);
            rig.Pump();
        }
        Assert.Equal(DtlsSessionState.Failed, rig.Client.Session.State);
        Assert.Equal(DtlsFailure.Timeout, rig.Client.Session.Failure);
        Assert.True(rig.Client.Session.LikelyWrongPsk);
        Assert.Equal(DtlsFailure.Timeout, server.Failure);
        Assert.True(server.LikelyWrongPsk);
        Assert.Equal(0, rig.Server.SessionCount);
        Assert.Equal(0, rig.ServerEvents.Connected);
        Assert.Equal(1, rig.ServerEvents.Closed);
        Assert.Equal(1, rig.ClientEvents.Closed);
        Assert.Empty(rig.ServerEvents.Data);
        Assert.DoesNotContain(rig.ClientEvents.Alerts, a => a.Description == AlertDescription.BadRecordMac);
        Assert.False(rig.Client.Send(new byte[4], 0, 4, rig.Now));
    }
}
