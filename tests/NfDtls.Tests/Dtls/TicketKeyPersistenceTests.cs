using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// What a host needs to keep the ticket keys across restarts (RFC 5077 §5.5): the rotation count that says when to save
/// again, saving at a time (ages current, a due key rotated), and loading with the downtime counted.
/// </summary>
public class TicketKeyPersistenceTests
{
    private static Action<DtlsConfig> Tickets(int rotationSeconds, int lifetimeSeconds) => c =>
    {
        c.SessionTickets = true;
        c.TicketKeyRotationSeconds = rotationSeconds;
        c.SessionLifetimeSeconds = lifetimeSeconds;
    };

    private static (byte[] Keys, byte[] State, int StateLength) HandshakeAndSave(DtlsRig rig)
    {
        rig.Handshake();
        Assert.False(rig.Client.Session.WasResumed);
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        Assert.True(n > 0);
        byte[] keys = new byte[DtlsServer.TicketKeysLength];
        Assert.Equal(DtlsServer.TicketKeysLength, rig.Server.SaveTicketKeys(keys, 0, rig.Now));
        return (keys, state, n);
    }

    private static bool ResumesOn(DtlsRig restarted, byte[] state, int n)
    {
        Assert.True(restarted.Client.LoadResumption(state, 0, n));
        restarted.Handshake();
        Assert.True(restarted.Client.IsConnected);
        return restarted.Client.Session.WasResumed;
    }

    [Fact]
    public void RotationsAreCountedAndSavingAtATimeRotatesADueKey()
    {
        var rig = new DtlsRig(40, Tickets(100, 1000));
        Assert.Equal(0, rig.Server.TicketKeyRotations);
        rig.Handshake();
        Assert.Equal(0, rig.Server.TicketKeyRotations);
        byte[] before = new byte[DtlsServer.TicketKeysLength];
        rig.Server.SaveTicketKeys(before, 0, rig.Now);
        // No handshake for 150 s: saving at that time rotates the key (the old one becomes the previous one).
        byte[] after = new byte[DtlsServer.TicketKeysLength];
        rig.Server.SaveTicketKeys(after, 0, rig.Now + 150_000);
        Assert.Equal(1, rig.Server.TicketKeyRotations);
        Assert.NotEqual(before.AsSpan(2, 20).ToArray(), after.AsSpan(2, 20).ToArray());
        Assert.Equal(before.AsSpan(2, 20).ToArray(), after.AsSpan(2 + 24, 20).ToArray());
        Assert.Equal(1, rig.Server.TicketKeyRotations);
        byte[] none = new byte[DtlsServer.TicketKeysLength];
        Assert.Equal(0, new DtlsRig(41, c => c.SessionCacheSize = 2).Server.SaveTicketKeys(none, 0, 5));
    }

    [Fact]
    public void DowntimeCountsTowardsTheTicketLifetime()
    {
        var rig = new DtlsRig(42, Tickets(86400, 600));
        rig.Now = 1_000;
        var (keys, state, n) = HandshakeAndSave(rig);

        // Stopped for 5 minutes: the 10-minute ticket still resumes.
        var shortStop = new DtlsRig(43, Tickets(86400, 600));
        Assert.True(shortStop.Server.LoadTicketKeys(keys, 0, keys.Length, 300_000));
        Assert.True(ResumesOn(shortStop, state, n));

        // Stopped for 11 minutes: the same ticket has outlived its lifetime although the new process is young.
        var longStop = new DtlsRig(44, Tickets(86400, 600));
        Assert.True(longStop.Server.LoadTicketKeys(keys, 0, keys.Length, 660_000));
        Assert.False(ResumesOn(longStop, state, n));
    }

    [Fact]
    public void DowntimeCountsTowardsTheRotationPeriod()
    {
        var rig = new DtlsRig(45, Tickets(100, 10_000));
        var (keys, _, _) = HandshakeAndSave(rig);
        var restarted = new DtlsRig(46, Tickets(100, 10_000));
        Assert.True(restarted.Server.LoadTicketKeys(keys, 0, keys.Length, 120_000));
        byte[] saved = new byte[DtlsServer.TicketKeysLength];
        restarted.Server.SaveTicketKeys(saved, 0, 0);
        Assert.Equal(1, restarted.Server.TicketKeyRotations);
        Assert.Equal(keys.AsSpan(2, 20).ToArray(), saved.AsSpan(2 + 24, 20).ToArray()); // the loaded key is now the previous one

        var kept = new DtlsRig(47, Tickets(100, 10_000));
        Assert.True(kept.Server.LoadTicketKeys(keys, 0, keys.Length, 50_000));
        kept.Server.SaveTicketKeys(saved, 0, 0);
        Assert.Equal(0, kept.Server.TicketKeyRotations);
        Assert.Equal(keys.AsSpan(2, 20).ToArray(), saved.AsSpan(2, 20).ToArray());
        Assert.False(kept.Server.LoadTicketKeys(keys, 0, keys.Length - 1, 0));
    }
}
