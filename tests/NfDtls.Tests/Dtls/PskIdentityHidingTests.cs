using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Issue 16, finding 8: PSK identities must not be enumerable. RFC 4279 §2 lets a server carry on with a key the client
/// cannot know, so an unknown identity fails exactly like a wrong key; only the server itself (log, events) knows.
/// </summary>
public class PskIdentityHidingTests
{
    private static readonly byte[] Unknown = "intruder"u8.ToArray(); // as long as DtlsRig.Identity ("device-1")
    private static readonly byte[] WrongKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100");

    [Fact]
    public void AnUnknownIdentityLooksToTheClientExactlyLikeAWrongKey()
    {
        Outcome unknown = Run(Unknown, DtlsRig.Key);
        Outcome wrongKey = Run(DtlsRig.Identity, WrongKey);

        Assert.False(unknown.ClientConnected);
        Assert.False(wrongKey.ClientConnected);
        // Everything the client can see: what the server sent (sizes, content types) and how the client's session ended.
        Assert.Equal(wrongKey.ServerDatagrams, unknown.ServerDatagrams);
        Assert.Equal(wrongKey.ClientFailure, unknown.ClientFailure);
        Assert.Equal(wrongKey.ClientAlert, unknown.ClientAlert);
        Assert.NotEqual(AlertDescription.UnknownPskIdentity, unknown.ClientAlert);
        Assert.DoesNotContain(unknown.ClientAlertsReceived, a => a.Description == AlertDescription.UnknownPskIdentity);
    }

    [Fact]
    public void TheServerStillKnowsItsEventCounterAndLogTellTheTwoApart()
    {
        var log = new ListLog();
        Outcome unknown = Run(Unknown, DtlsRig.Key, c => c.Log = log);
        Assert.Equal(new[] { "intruder" }, unknown.ServerEvents.UnknownIdentities);
        Assert.Equal(1, unknown.Server.UnknownPskIdentities);
        Assert.Contains(log.Lines, l => l.Contains("unknown PSK identity 'intruder'"));

        var wrongLog = new ListLog();
        Outcome wrongKey = Run(DtlsRig.Identity, WrongKey, c => c.Log = wrongLog);
        Assert.Empty(wrongKey.ServerEvents.UnknownIdentities);
        Assert.Equal(0, wrongKey.Server.UnknownPskIdentities);
        Assert.DoesNotContain(wrongLog.Lines, l => l.Contains("unknown PSK identity"));
    }

    [Fact]
    public void TheEventComesAfterTheServersAnswerToTheDatagramHasLeft()
    {
        // The application's handler (a gateway printing "refused …") must not add to the time the client can measure.
        var events = new RecordingEvents();
        int sentWhenReported = -1;
        var toClient = new QueueSink();
        var reporting = new ReportingEvents(events, () => sentWhenReported = toClient.Count);
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var server = new DtlsServer(DtlsRig.Config(1), toClient, keys, reporting);
        var toServer = new QueueSink();
        var client = new DtlsClient(DtlsRig.Config(2), toServer, DtlsRig.ServerAddress, Unknown, DtlsRig.Key, new RecordingEvents());
        client.Connect(0);
        int sentBeforeFlight5 = 0;
        for (int i = 0; i < 10 && sentWhenReported < 0; i++)
        {
            while (toServer.Queue.Count > 0)
            {
                var d = toServer.Queue.Dequeue();
                sentBeforeFlight5 = toClient.Count;
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
            }
            while (toClient.Queue.Count > 0)
            {
                var d = toClient.Queue.Dequeue();
                client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
            }
        }
        Assert.Equal(1, server.UnknownPskIdentities);
        // Flight 5 (ClientKeyExchange, ChangeCipherSpec, Finished) came in one datagram; whatever the server sent in
        // answer to it (today: the bad_record_mac alert) had left before the event was raised.
        Assert.True(sentWhenReported >= sentBeforeFlight5);
        Assert.Equal(toClient.Count, sentWhenReported);
    }

    [Fact]
    public void WithHidingOffTheClientIsToldAtOnce()
    {
        Outcome unknown = Run(Unknown, DtlsRig.Key, c => c.HideUnknownPskIdentity = false);
        Assert.Equal(DtlsFailure.PeerAlert, unknown.ClientFailure);
        Assert.Equal(AlertDescription.UnknownPskIdentity, unknown.ClientAlert);
        Assert.Equal(new[] { "intruder" }, unknown.ServerEvents.UnknownIdentities);
    }

    [Fact]
    public void AKnownIdentityWithTheRightKeyStillConnects()
    {
        Outcome ok = Run(DtlsRig.Identity, DtlsRig.Key);
        Assert.True(ok.ClientConnected);
        Assert.Empty(ok.ServerEvents.UnknownIdentities);
    }

    [Fact]
    public void AnOverlongIdentityIsHiddenToo()
    {
        byte[] longIdentity = Enumerable.Repeat((byte)'a', 200).ToArray(); // MaxPskIdentityLength is 128
        Outcome overlong = Run(longIdentity, DtlsRig.Key, c => c.MaxPskIdentityLength = 128);
        Outcome wrongKey = Run(DtlsRig.Identity, WrongKey, c => c.MaxPskIdentityLength = 128);
        Assert.Equal(wrongKey.ClientAlert, overlong.ClientAlert);
        Assert.Equal(1, overlong.Server.UnknownPskIdentities);
    }

    private sealed class ListLog : NfDtls.Diagnostics.ILog
    {
        public readonly List<string> Lines = new();
        public bool Enabled => true;
        public void Write(string line) => Lines.Add(line);
    }

    private sealed class ReportingEvents(RecordingEvents inner, Action onUnknown) : IDtlsEvents
    {
        public void OnConnected(DtlsSession session) => inner.OnConnected(session);
        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => inner.OnApplicationData(session, buffer, offset, count);
        public void OnAlert(DtlsSession session, int level, int description) => inner.OnAlert(session, level, description);
        public void OnClosed(DtlsSession session) => inner.OnClosed(session);
        public void OnUnknownPskIdentity(DtlsSession session)
        {
            onUnknown();
            inner.OnUnknownPskIdentity(session);
        }
    }

    internal sealed record Outcome(
        List<string> ServerDatagrams, bool ClientConnected, DtlsFailure ClientFailure, int ClientAlert,
        List<(int Level, int Description)> ClientAlertsReceived, DtlsServer Server, RecordingEvents ServerEvents);

    /// <summary>A full handshake attempt, retransmissions and timeouts included, until the client's session ends.</summary>
    internal static Outcome Run(byte[] identity, byte[] key, Action<DtlsConfig>? configureServer = null, RecordingEvents? serverEvents = null)
    {
        var keys = new PskTable(2);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var toServer = new QueueSink();
        var toClient = new QueueSink();
        var se = serverEvents ?? new RecordingEvents();
        var ce = new RecordingEvents();
        var server = new DtlsServer(DtlsRig.Config(1, configureServer), toClient, keys, se);
        var client = new DtlsClient(DtlsRig.Config(2), toServer, DtlsRig.ServerAddress, identity, key, ce);
        long now = 0;
        client.Connect(now);
        for (int round = 0; round < 200 && client.Session.IsActive; round++)
        {
            bool moved = false;
            while (toServer.Queue.Count > 0)
            {
                var d = toServer.Queue.Dequeue();
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, now);
                moved = true;
            }
            while (toClient.Queue.Count > 0)
            {
                var d = toClient.Queue.Dequeue();
                client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, now);
                moved = true;
            }
            if (!moved)
            {
                now = Math.Min(client.NextDeadline, server.NextDeadline);
                if (now == long.MaxValue)
                {
                    break;
                }
                client.Tick(now);
                server.Tick(now);
            }
        }
        var seen = toClient.Sent.Select(d => d.Length + "/" + d[0]).ToList();
        return new Outcome(seen, client.IsConnected, client.Session.Failure, client.Session.AlertDescription, ce.Alerts, server, se);
    }
}
