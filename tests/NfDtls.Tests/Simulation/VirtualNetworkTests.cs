using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Simulation;

public class VirtualNetworkTests
{
    /// <summary>Sends a numbered datagram every 10 ms until it has sent <c>count</c>; records what it receives.</summary>
    private sealed class Pinger(PeerAddress peer, int count) : IDatagramEndpoint
    {
        public IDatagramSink? Sink;
        public readonly List<(long Time, int Value)> Received = new();
        private int _sent;
        private long _next;

        public long NextDeadline => _sent < count ? _next : long.MaxValue;

        public void Receive(byte[] buffer, int offset, int count2, PeerAddress from, long nowMs) =>
            Received.Add((nowMs, buffer[offset]));

        public void Tick(long nowMs)
        {
            Sink!.Send(new[] { (byte)_sent }, 0, 1, peer);
            _sent++;
            _next = nowMs + 10;
        }
    }

    private static List<(long, int)> Run(int seed, LinkProfile profile)
    {
        var a = PeerAddress.FromIPv4(10, 0, 0, 1, 1000);
        var b = PeerAddress.FromIPv4(10, 0, 0, 2, 2000);
        var net = new VirtualNetwork(seed, profile);
        var pa = new Pinger(b, 200);
        var pb = new Pinger(a, 0);
        pb.Sink = net.Attach(b, pb);
        pa.Sink = net.Attach(a, pa);
        net.RunUntil(10_000);
        return pb.Received;
    }

    [Fact]
    public void PerfectLinkDeliversEverythingInOrder()
    {
        var got = Run(1, LinkProfile.Perfect());
        Assert.Equal(Enumerable.Range(0, 200), got.Select(g => g.Item2));
    }

    [Fact]
    public void SameSeedSameRunDifferentSeedDifferentRun()
    {
        var profile = LinkProfile.Lossy(0.3);
        var one = Run(42, profile);
        var two = Run(42, profile);
        var three = Run(43, profile);
        Assert.Equal(one, two);
        Assert.NotEqual(one, three);
        // 30% loss, some duplication: clearly fewer than sent, clearly more than none.
        int distinct = one.Select(g => g.Item2).Distinct().Count();
        Assert.InRange(distinct, 100, 180);
    }

    [Fact]
    public void DownLinkDropsEverything()
    {
        Assert.Empty(Run(5, new LinkProfile { Down = true }));
    }

    /// <summary>Records every datagram with its source address.</summary>
    private sealed class Listener : IDatagramEndpoint
    {
        public readonly List<(int Value, PeerAddress From)> Received = new();

        public long NextDeadline => long.MaxValue;

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            var copy = new PeerAddress();
            copy.CopyFrom(from);
            Received.Add((buffer[offset], copy));
        }

        public void Tick(long nowMs)
        {
        }
    }

    [Fact]
    public void RebindMovesTheHostsSourceAddressAndLosesWhatWasOnItsWayToTheOldOne()
    {
        var node = PeerAddress.FromIPv4(10, 1, 0, 1, 5684);
        var moved = PeerAddress.FromIPv4(10, 1, 0, 1, 49152);
        var gateway = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);
        var net = new VirtualNetwork(1, new LinkProfile { LatencyMs = 10 });
        var n = new Listener();
        var g = new Listener();
        IDatagramSink fromNode = net.Attach(node, n);
        IDatagramSink fromGateway = net.Attach(gateway, g);

        fromNode.Send(new byte[] { 1 }, 0, 1, gateway);
        fromGateway.Send(new byte[] { 2 }, 0, 1, node); // on its way when the NAT rebinds: lost
        net.RunUntil(5);
        Assert.True(net.Rebind(node, moved));
        fromNode.Send(new byte[] { 3 }, 0, 1, gateway); // the same sink now sends from the new address
        fromGateway.Send(new byte[] { 4 }, 0, 1, node);  // the old mapping is gone
        fromGateway.Send(new byte[] { 5 }, 0, 1, moved);
        net.RunUntil(100);

        Assert.Equal(new[] { 1, 3 }, g.Received.Select(r => r.Value));
        Assert.True(g.Received[0].From.SameAs(node), "sent before the rebinding: the old address");
        Assert.True(g.Received[1].From.SameAs(moved), "sent after it: the new one");
        Assert.Equal(new[] { 5 }, n.Received.Select(r => r.Value));
        Assert.Equal(2, net.Stats.Undeliverable);
        Assert.False(net.Rebind(node, PeerAddress.FromIPv4(10, 1, 0, 1, 49153)), "nothing is attached at the old address any more");
        Assert.False(net.Rebind(moved, gateway), "the new address must be free");
    }
}
