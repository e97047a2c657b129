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
}
