using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// The stateless cookie exchange under attack (issue 16, findings 6 and 7): a HelloVerifyRequest never amplifies,
/// and a cookie expires with time even on a server nobody talks to (RFC 6347 §4.2.1).
/// </summary>
public class CookieExchangeTests
{
    /// <summary>Rotation period of the cookie secret (mirrors CookieGenerator.RotationMs: 5 minutes).</summary>
    private const long Period = 5 * 60 * 1000;

    [Fact]
    public void ADatagramOfManyClientHellosDrawsOneHelloVerifyRequestNoLargerThanItself()
    {
        // Finding 6: one 64,990-byte datagram of 970 ClientHellos drew 970 replies.
        var rig = new DtlsRig();
        rig.Client.Connect(0);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        int copies = 65000 / hello.Length;
        byte[] datagram = new byte[copies * hello.Length];
        for (int i = 0; i < copies; i++)
        {
            Array.Copy(hello, 0, datagram, i * hello.Length, hello.Length);
        }
        Assert.True(copies > 100);

        rig.Server.Receive(datagram, 0, datagram.Length, DtlsRig.ClientAddress, 0);

        Assert.Equal(1, rig.ToClient.Count);
        Assert.Equal(1, rig.Server.HelloVerifyRequestsSent);
        Assert.True(rig.ToClient.Bytes <= datagram.Length);
        Assert.Equal(22, ContentType(rig.ToClient.Sent[0]));
        Assert.Equal(HandshakeType.HelloVerifyRequest, rig.ToClient.Sent[0][13]);
        Assert.Equal(0, rig.Server.SessionCount);
    }

    [Fact]
    public void EachDatagramStillGetsItsOwnHelloVerifyRequest()
    {
        // The limit is per datagram: a client that retransmits its hello is answered every time.
        var rig = new DtlsRig();
        rig.Client.Connect(0);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        for (int i = 0; i < 3; i++)
        {
            rig.Server.Receive(hello, 0, hello.Length, DtlsRig.ClientAddress, i * 1000);
        }
        Assert.Equal(3, rig.Server.HelloVerifyRequestsSent);
        Assert.Equal(3, rig.ToClient.Count);
    }

    [Theory]
    [InlineData(1000L, true)]                     // a moment later: fine
    [InlineData(Period - 1000, true)]              // still the secret it was made with
    [InlineData(24L * 3600 * 1000, false)]         // finding 7: a day later on a quiet server
    [InlineData(2 * Period + 1000, false)]         // two periods later, no hello in between
    public void ACookieIsAcceptedOnlyWhileItsSecretIsInItsWindow(long delayMs, bool accepted)
    {
        var rig = new DtlsRig();
        byte[] withCookie = CookieHello(rig, 0);

        rig.Server.Receive(withCookie, 0, withCookie.Length, DtlsRig.ClientAddress, delayMs);

        Assert.Equal(accepted ? 1 : 0, rig.Server.SessionCount);
        Assert.Equal(accepted ? 1 : 2, rig.Server.HelloVerifyRequestsSent); // refused: a fresh cookie instead
    }

    [Theory]
    [InlineData(Period + 1000, true)]         // the previous secret, within the period after the rotation
    [InlineData(2 * Period - 1000, true)]
    [InlineData(2 * Period + 1000, false)]    // the previous secret's window is over (on a quiet server)
    public void ThePreviousSecretIsAcceptedOnlyWithinItsWindow(long atMs, bool accepted)
    {
        var rig = new DtlsRig();
        // The cookie clock starts with the first hello the server sees (t = 0); the cookie is made just before the
        // first rotation (t = Period - 1000), so it belongs to the secret that is "previous" after t = Period.
        var other = new DtlsRig(7);
        byte[] first = FirstHello(other);
        rig.Server.Receive(first, 0, first.Length, PeerAddress(9), 0);
        rig.ToClient.Queue.Clear(); // that hello's HelloVerifyRequest went to the other client
        byte[] withCookie = CookieHello(rig, Period - 1000);

        rig.Server.Receive(withCookie, 0, withCookie.Length, DtlsRig.ClientAddress, atMs);

        Assert.Equal(accepted ? 1 : 0, rig.Server.SessionCount);
    }

    [Fact]
    public void AClientThatComesBackADayLaterGetsAFreshCookieAndConnects()
    {
        var rig = new DtlsRig();
        byte[] hello = FirstHello(rig);
        rig.Server.Receive(hello, 0, hello.Length, DtlsRig.ClientAddress, 0);
        rig.ToClient.Queue.Clear();
        rig.Now = 24L * 3600 * 1000;
        rig.Client.Connect(rig.Now);
        rig.Pump();
        Assert.True(rig.Client.IsConnected);
    }

    /// <summary>Runs the first two hellos at <paramref name="atMs"/> and returns the client's hello with the cookie (not delivered).</summary>
    private static byte[] CookieHello(DtlsRig rig, long atMs)
    {
        rig.Client.Connect(atMs);
        byte[] hello = rig.ToServer.Queue.Dequeue();
        rig.Server.Receive(hello, 0, hello.Length, DtlsRig.ClientAddress, atMs);
        byte[] verify = rig.ToClient.Queue.Dequeue();
        Assert.Equal(HandshakeType.HelloVerifyRequest, verify[13]);
        rig.Client.Receive(verify, 0, verify.Length, DtlsRig.ServerAddress, atMs);
        byte[] withCookie = rig.ToServer.Queue.Dequeue();
        Assert.Equal(HandshakeType.ClientHello, withCookie[13]);
        return withCookie;
    }

    private static byte[] FirstHello(DtlsRig rig)
    {
        rig.Client.Connect(0);
        return rig.ToServer.Queue.Dequeue();
    }

    private static NfDtls.Net.PeerAddress PeerAddress(int host) => NfDtls.Net.PeerAddress.FromIPv4(10, 0, 0, host, 40000);

    private static int ContentType(byte[] datagram) => datagram[0];
}
