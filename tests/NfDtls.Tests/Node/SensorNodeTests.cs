using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;
using NfDtls.Crypto;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Net;
using NfDtls.Node;
using NfDtls.Simulation.Fleet;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Node;

/// <summary>One SensorNode and a SensorGateway on the virtual network: the node's own CoAP resources, its memory.</summary>
public class SensorNodeTests
{
    private sealed class Responses : ICoapResponseHandler
    {
        public readonly List<(int Code, string Body)> Got = new();
        public int Failures;

        public void OnResponse(int exchange, CoapMessage response, long nowMs) =>
            Got.Add((response.Code, System.Text.Encoding.UTF8.GetString(response.PayloadBuffer ?? Array.Empty<byte>(), response.PayloadOffset, response.PayloadLength)));

        public void OnFailure(int exchange, int reason, long nowMs) => Failures++;
    }

    /// <summary>Counts managed bytes allocated inside the node's own calls once <see cref="Measuring"/> is on.</summary>
    private sealed class Metered(SensorNode node, ForwardSink sink) : IDatagramEndpoint
    {
        public bool Measuring;
        public long Allocated;
        public int Calls;
        public List<string> Log = new();

        public long NextDeadline => node.NextDeadline;

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs) =>
            Measure(() => node.Receive(buffer, offset, count, from, nowMs));

        public void Tick(long nowMs) => Measure(() => node.Tick(nowMs));

        private void Measure(Action call)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long network = sink.NetworkAllocated;
            call();
            if (Measuring)
            {
                long a = GC.GetAllocatedBytesForCurrentThread() - before - (sink.NetworkAllocated - network);
                if (a > 0) Log.Add(call.Method.Name + " " + a);
                Allocated += a;
                Calls++;
            }
        }
    }

    private static (VirtualNetwork Net, SensorNode Node, Metered Metered, SensorGateway Gateway, CountingSensor Sensor, List<GatewayReading> Readings) Rig(bool confirmable = true)
    {
        var fleet = FleetProvisioner.Create(new ProvisioningPlan { Nodes = 1, GatewayHost = "10.0.0.1" }, SeededRandom.Create(3, 3), SensorFleet.Epoch);
        var settings = fleet.Nodes[0];
        settings.ReadingPeriodMs = 10_000;
        settings.Confirmable = confirmable;
        var net = new VirtualNetwork(5, LinkProfile.Perfect());
        var readings = new List<GatewayReading>();
        var gwSink = new ForwardSink();
        var gateway = new SensorGateway(fleet.Gateway, new GatewayOptions { Random = SeededRandom.Create(3, 4), SessionCapacity = 4 }, gwSink);
        gateway.ReadingAccepted = readings.Add;
        gwSink.Target = net.Attach(FleetAddresses.Gateway(), gateway);
        var sensor = new CountingSensor();
        var nodeSink = new ForwardSink();
        var node = new SensorNode(settings, PortableCryptoProvider.Instance, SeededRandom.Create(3, 5), sensor, nodeSink, NullLog.Instance);
        var metered = new Metered(node, nodeSink);
        nodeSink.Target = net.Attach(FleetAddresses.Node(0), metered);
        return (net, node, metered, gateway, sensor, readings);
    }

    /// <summary>Forwards to the network; what the (simulated) network allocates to carry a datagram is not the node's.</summary>
    private sealed class ForwardSink : IDatagramSink
    {
        public IDatagramSink? Target;
        public long NetworkAllocated;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Target!.Send(buffer, offset, count, destination);
            NetworkAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    private static CoapMessage Message(SensorGateway gateway, int code, string path, string? body = null)
    {
        var m = gateway.Coap.CreateMessage();
        m.Type = CoapType.Confirmable;
        m.Code = code;
        m.AddOptionString(CoapOption.UriPath, path);
        if (body != null)
        {
            byte[] b = System.Text.Encoding.ASCII.GetBytes(body);
            m.AddOptionUInt(CoapOption.ContentFormat, CoapContentFormat.TextPlain);
            m.SetPayload(b, 0, b.Length);
        }
        return m;
    }

    [Fact]
    public void PushesNumberedSenmlReadingsEveryPeriod()
    {
        var (net, node, _, _, sensor, readings) = Rig();
        net.RunUntil(60_500);
        Assert.Equal(1, node.HandshakesCompleted);
        Assert.Equal(7, sensor.Reads); // t = 0, 10 … 60 s
        Assert.Equal(7, readings.Count);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), readings.Select(r => r.Sequence));
        Assert.Equal("urn:dev:node-001:", readings[0].BaseName);
        Assert.Equal(new GatewayMeasurement("count", "", 3), readings[2].Measurements.Single());
        Assert.Equal(7, node.ReadingsDone);
        Assert.Equal(0, node.BacklogCount);
    }

    [Fact]
    public void GatewayChangesThePeriodWithPutConfig()
    {
        var (net, node, _, gateway, sensor, _) = Rig();
        var responses = new Responses();
        net.At(15_000, () =>
        {
            var peer = gateway.PeerOf("node-001")!;
            Assert.True(gateway.Request(Message(gateway, CoapCode.Put, "config", "period=2000"), peer, responses, 15_000) >= 0);
            net.Poke(gateway);
        });
        net.At(16_000, () =>
        {
            Assert.True(gateway.Request(Message(gateway, CoapCode.Put, "config", "period=5"), gateway.PeerOf("node-001")!, responses, 16_000) >= 0);
            Assert.True(gateway.Request(Message(gateway, CoapCode.Get, "config"), gateway.PeerOf("node-001")!, responses, 16_000) >= 0);
            net.Poke(gateway);
        });
        net.RunUntil(15_500);
        int before = sensor.Reads; // t = 0 and 10 s
        net.RunUntil(25_100);
        Assert.Equal(2000, node.ReadingPeriodMs);
        Assert.Equal(before + 5, sensor.Reads); // every 2 s from 15 s: 17, 19, 21, 23, 25
        Assert.Equal(0, responses.Failures);
        Assert.Equal(CoapCode.Changed, responses.Got[0].Code);
        Assert.Equal(CoapCode.BadRequest, responses.Got[1].Code); // 5 ms is below the floor: nothing changes
        Assert.Equal((CoapCode.Content, "period=2000;confirmable=1"), responses.Got[2]);
    }

    [Fact]
    public void ReadingsResourceIsObservable()
    {
        var (net, _, _, gateway, _, _) = Rig();
        var responses = new Responses();
        net.At(5_000, () =>
        {
            var m = Message(gateway, CoapCode.Get, "readings");
            m.AddOptionUInt(CoapOption.Observe, 0);
            Assert.True(gateway.Request(m, gateway.PeerOf("node-001")!, responses, 5_000) >= 0);
            net.Poke(gateway);
        });
        net.RunUntil(41_000);
        // The registration answer (sample 0) and a notification per new sample (10, 20, 30, 40 s).
        Assert.Equal(5, responses.Got.Count);
        Assert.All(responses.Got, r => Assert.Equal(CoapCode.Content, r.Code));
        Assert.Contains("\"n\":\"seq\",\"v\":4", responses.Got[^1].Body);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var (net, node, metered, _, _, readings) = Rig();
        net.RunUntil(30_500); // handshake and a few readings: JIT, first-use tables
        metered.Measuring = true;
        net.RunUntil(200_500);
        Assert.Equal(21, readings.Count); // t = 0, 10 … 200 s
        Assert.True(metered.Calls > 30);
        Assert.True(metered.Allocated == 0, string.Join("\n", metered.Log));
        Assert.Equal(21, node.ReadingsDone);
    }
}
