using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// <see cref="DtlsConfig.MaxTicketLength"/>: a client keeps room for exactly the tickets its server seals
/// (<see cref="DtlsConfig.NfDtlsTicketLength"/>; a board's heap is tight), and a longer ticket is not kept: the session
/// is resumed by its session ID when the server has a cache, else the next handshake is a full one.
/// </summary>
public class TicketRoomTests
{
    private static readonly int Exact = DtlsConfig.NfDtlsTicketLength("device-1".Length);

    private static DtlsRig Rig(int room, bool cache)
    {
        return new DtlsRig(3, c =>
        {
            c.SessionTickets = true;
            c.SessionCacheSize = cache ? 4 : 0;
            c.MaxTicketLength = room;
        });
    }

    private static void Reconnect(DtlsRig rig)
    {
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Now += 10;
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
    }

    [Fact]
    public void RoomForExactlyTheServersTicketResumesWithIt()
    {
        var rig = Rig(Exact, cache: false);
        rig.Handshake();
        byte[] saved = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(saved, 0);
        Assert.True(n > Exact, "the saved state holds the ticket: " + n);
        Reconnect(rig);
        Assert.True(rig.Client.Session.WasResumed);
        // The saved state loads into a client with the same room, not into one with less.
        var small = Rig(Exact - 1, cache: false);
        Assert.False(small.Client.LoadResumption(saved, 0, n));
        var same = Rig(Exact, cache: false);
        Assert.True(same.Client.LoadResumption(saved, 0, n));
    }

    [Fact]
    public void ATicketTooLongToKeepFallsBackToTheSessionIdOrAFullHandshake()
    {
        var withCache = Rig(Exact - 1, cache: true);
        withCache.Handshake();
        Assert.True(withCache.Client.HasResumableSession); // by its session ID
        Reconnect(withCache);
        Assert.True(withCache.Client.Session.WasResumed);

        var ticketsOnly = Rig(Exact - 1, cache: false);
        ticketsOnly.Handshake();
        Assert.False(ticketsOnly.Client.HasResumableSession); // neither a ticket nor a session ID to offer
        Reconnect(ticketsOnly);
        Assert.False(ticketsOnly.Client.Session.WasResumed);
    }

    [Fact]
    public void NoRoomMeansNoTicketAndANegativeRoomIsRefused()
    {
        var rig = Rig(0, cache: true);
        rig.Handshake();
        Reconnect(rig);
        Assert.True(rig.Client.Session.WasResumed); // by session ID
        Assert.Throws<System.ArgumentException>(() => Rig(-1, cache: false));
    }
}
