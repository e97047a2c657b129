using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Node;
using NfDtls.Simulation;
using NfDtls.Simulation.Fleet;
using Xunit;

namespace NfDtls.Tests.Node;

/// <summary>
/// A SensorNode that loses its session (the gateway restarts, the network drops) gets it back with an abbreviated
/// handshake (RFC 5246 §7.3, a session ticket, RFC 5077), and does a full one only when the gateway declines.
/// </summary>
public class SensorNodeResumptionTests
{
    private sealed class LateSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target?.Send(buffer, offset, count, destination);
    }

    /// <summary>One node (psk or rpk) and a gateway on a perfect virtual link; the gateway can be restarted.</summary>
    private sealed class Rig
    {
        private readonly ProvisionedFleet _fleet;
        private int _incarnation;
        public readonly VirtualNetwork Net = new(5, LinkProfile.Perfect());
        public readonly SensorNode Node;
        public readonly HashSet<long> Delivered = new();
        public SensorGateway Gateway = null!;

        public Rig(string security = NodeSettings.SecurityPsk, string resumption = NodeSettings.ResumptionTickets)
        {
            _fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 1, GatewayHost = "10.0.0.1", Security = new[] { security } },
                SeededRandom.Create(3, 3), SensorFleet.Epoch);
            NodeSettings settings = _fleet.Nodes[0];
            settings.ReadingPeriodMs = 10_000;
            settings.SessionResumption = resumption;
            StartGateway();
            var sink = new LateSink();
            Node = new SensorNode(settings, PortableCryptoProvider.Instance, SeededRandom.Create(3, 5), new CountingSensor(), sink, NullLog.Instance);
            sink.Target = Net.Attach(FleetAddresses.Node(0), Node);
        }

        private void StartGateway()
        {
            var sink = new LateSink();
            Gateway = new SensorGateway(_fleet.Gateway, new GatewayOptions { Random = SeededRandom.Create(3, 40 + _incarnation++), SessionCapacity = 4 }, sink);
            Gateway.ReadingAccepted = r => Delivered.Add(r.Sequence);
            sink.Target = Net.Attach(FleetAddresses.Gateway(), Gateway);
        }

        /// <summary>The gateway goes away with its sessions and cache; the new one takes over the ticket keys or not.</summary>
        public void RestartGateway(bool keepTicketKeys)
        {
            SensorGateway old = Gateway;
            Net.Detach(FleetAddresses.Gateway());
            StartGateway();
            if (keepTicketKeys)
            {
                byte[] keys = new byte[DtlsServer.TicketKeysLength];
                int n = old.Dtls.SaveTicketKeys(keys, 0);
                Assert.True(n > 0);
                Assert.True(Gateway.Dtls.LoadTicketKeys(keys, 0, n));
            }
        }

        /// <summary>Cuts the node off the gateway (both ways) or heals the link.</summary>
        public void Link(bool up)
        {
            LinkProfile p = LinkProfile.Perfect();
            p.Down = !up;
            Net.SetLinks(FleetAddresses.Node(0), FleetAddresses.Gateway(), p);
        }
    }

    [Theory]
    [InlineData(NodeSettings.SecurityPsk)]
    [InlineData(NodeSettings.SecurityRpk)]
    public void AfterAGatewayRestartItResumesWithItsTicket(string security)
    {
        var rig = new Rig(security);
        rig.Net.RunUntil(60_000);
        Assert.Equal(1, rig.Node.HandshakesCompleted);
        Assert.Equal(0, rig.Node.HandshakesResumed);
        rig.RestartGateway(keepTicketKeys: true);
        // The next reading's POST goes unanswered (the new gateway has no session), times out, and the node reconnects.
        rig.Net.RunUntil(400_000);
        Assert.Equal(1, rig.Node.SessionsLost);
        Assert.Equal(2, rig.Node.HandshakesCompleted);
        Assert.Equal(1, rig.Node.HandshakesResumed);
        Assert.True(rig.Node.Dtls.Session.WasResumed);
        Assert.Equal(1, rig.Gateway.HandshakesCompleted);
        // Nothing was lost: the samples waited in the backlog and went over the resumed session.
        Assert.Equal(rig.Node.SamplesTaken - rig.Node.BacklogCount - rig.Node.ReadingsDropped, rig.Delivered.Count);
        Assert.True(rig.Delivered.Count >= 35);
    }

    [Fact]
    public void WhenTheGatewayDeclinesTheTicketItDoesAFullHandshake()
    {
        var rig = new Rig();
        rig.Net.RunUntil(60_000);
        rig.RestartGateway(keepTicketKeys: false); // new ticket keys: the node's ticket no longer opens
        rig.Net.RunUntil(400_000);
        Assert.Equal(2, rig.Node.HandshakesCompleted);
        Assert.Equal(0, rig.Node.HandshakesResumed);
        Assert.False(rig.Node.Dtls.Session.WasResumed);
        Assert.Equal(0, rig.Node.HandshakesFailed); // the fallback is the same handshake, not a failed one and a retry
        Assert.Equal(rig.Node.SamplesTaken - rig.Node.BacklogCount - rig.Node.ReadingsDropped, rig.Delivered.Count);
    }

    [Fact]
    public void AfterANetworkDropItResumesWithTheSameGateway()
    {
        var rig = new Rig();
        rig.Net.RunUntil(60_000);
        rig.Link(up: false);
        rig.Net.RunUntil(300_000); // the POST times out and the reconnects fail while the link is down
        Assert.Equal(1, rig.Node.SessionsLost);
        Assert.False(rig.Node.IsConnected);
        rig.Link(up: true);
        rig.Net.RunUntil(700_000);
        Assert.True(rig.Node.IsConnected);
        Assert.Equal(1, rig.Node.HandshakesResumed);
        Assert.Equal(2, rig.Node.HandshakesCompleted);
        // Every sample the backlog kept arrived (the one in flight when the link went down may have arrived too, its
        // acknowledgement lost, before a full backlog dropped it).
        Assert.InRange(rig.Delivered.Count, rig.Node.SamplesTaken - rig.Node.BacklogCount - rig.Node.ReadingsDropped,
            rig.Node.SamplesTaken - rig.Node.BacklogCount);
    }

    [Fact]
    public void WithResumptionOffEveryReconnectIsAFullHandshake()
    {
        var rig = new Rig(resumption: NodeSettings.ResumptionOff);
        rig.Net.RunUntil(60_000);
        rig.RestartGateway(keepTicketKeys: true);
        rig.Net.RunUntil(400_000);
        Assert.Equal(2, rig.Node.HandshakesCompleted);
        Assert.Equal(0, rig.Node.HandshakesResumed);
    }

    [Fact]
    public void BySessionIdItResumesWhileTheGatewayStillHoldsTheSession()
    {
        // session_id: no ticket; the gateway's session cache (on by default) remembers the session, a restart forgets it.
        var rig = new Rig(resumption: NodeSettings.ResumptionSessionId);
        rig.Net.RunUntil(60_000);
        rig.Link(up: false);
        rig.Net.RunUntil(300_000);
        rig.Link(up: true);
        rig.Net.RunUntil(700_000);
        Assert.Equal(1, rig.Node.HandshakesResumed);
        rig.RestartGateway(keepTicketKeys: true);
        rig.Net.RunUntil(1_100_000);
        Assert.Equal(1, rig.Node.HandshakesResumed);
        Assert.True(rig.Node.IsConnected);
        Assert.False(rig.Node.Dtls.Session.WasResumed);
    }
}
