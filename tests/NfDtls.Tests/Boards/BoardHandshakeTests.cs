using NfDtls.BoardHeap;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Gateway;
using NfDtls.Net;
using NfDtls.Node;
using NfDtls.Pki;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Boards;

/// <summary>
/// Each board's board.settings carries a real handshake in every security mode: a SensorNode built from it (portable
/// crypto, as on the board) connects to the portable gateway core and delivers its readings. The ESP32's buffers are
/// the DTLS defaults (768-byte reassembly, 512-byte flight): the gateway's certificate is reassembled or streamed, the
/// node's own is sent by reference. The same run shows the node's peak is its construction: nothing is allocated in
/// the node's calls during the handshake and the readings, and nothing new hangs off it afterwards (issue 12's
/// "including the handshake's peak").
/// </summary>
public class BoardHandshakeTests(ITestOutputHelper output)
{
    private sealed class FixedEntropy(byte fill) : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, fill, offset, count);
    }

    private sealed class StepSensor : ISensor
    {
        private int _n;

        public int Read(SensorReading[] into, long nowMs)
        {
            into[0].Set("temperature", "Cel", 20.0 + 0.5 * _n++);
            return 1;
        }
    }

    private sealed class Uplink : IReadingUplink, IGatewayEvents
    {
        public int Readings;
        public int Connected;
        public string Refused = "";

        public void Accept(AcceptedReading reading) => Readings++;

        public void OnNodeConnected(NodeCredential node) => Connected++;

        public void OnRefused(string why) => Refused += why + "; ";
    }

    private sealed class FixedClock : IWallClock
    {
        public long UnixSeconds => Epoch.ToUnixTimeSeconds();
    }

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Two endpoints and a queue of preallocated slots between them (so a node's Send allocates nothing here), with the
    /// node's calls bracketed by the thread's allocation counter.
    /// </summary>
    private sealed class Link
    {
        private const int Slots = 32;
        private readonly byte[][] _data = new byte[Slots][];
        private readonly int[] _length = new int[Slots];
        private readonly bool[] _toGateway = new bool[Slots];
        private int _head;
        private int _count;
        public readonly PeerAddress NodeAddress = PeerAddress.FromIPv4(10, 0, 0, 20, 40000);
        public readonly PeerAddress GatewayAddress = PeerAddress.FromIPv4(10, 0, 0, 1, NodeSettings.DefaultGatewayPort);
        public IDatagramEndpoint Node = null!;
        public IDatagramEndpoint Gateway = null!;
        public long NodeAllocated;
        public long NowMs;

        public Link()
        {
            for (int i = 0; i < Slots; i++)
            {
                _data[i] = new byte[2048];
            }
        }

        public IDatagramSink SinkTo(bool toGateway) => new Sink(this, toGateway);

        private sealed class Sink(Link link, bool toGateway) : IDatagramSink
        {
            public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
            {
                if (link._count == Slots)
                {
                    return;
                }
                int slot = (link._head + link._count++) % Slots;
                Array.Copy(buffer, offset, link._data[slot], 0, count);
                link._length[slot] = count;
                link._toGateway[slot] = toGateway;
            }
        }

        private void NodeCall(Action call)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            call();
            NodeAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        public void RunUntil(long untilMs)
        {
            for (int guard = 0; guard < 1_000_000 && NowMs < untilMs; guard++)
            {
                while (_count > 0)
                {
                    int slot = _head;
                    _head = (_head + 1) % Slots;
                    _count--;
                    byte[] d = _data[slot];
                    int n = _length[slot];
                    if (_toGateway[slot])
                    {
                        Gateway.Receive(d, 0, n, NodeAddress, NowMs);
                    }
                    else
                    {
                        NodeCall(() => Node.Receive(d, 0, n, GatewayAddress, NowMs));
                    }
                }
                long next = Math.Min(untilMs, Math.Min(Node.NextDeadline, Gateway.NextDeadline));
                NowMs = Math.Max(NowMs, next);
                if (Node.NextDeadline <= NowMs)
                {
                    NodeCall(() => Node.Tick(NowMs));
                }
                if (Gateway.NextDeadline <= NowMs)
                {
                    Gateway.Tick(NowMs);
                }
            }
        }
    }

    public static TheoryData<string, string> BoardsAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var d in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "boards")).OrderBy(d => d, StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(d, "board.settings")))
            {
                foreach (var mode in new[] { NodeSettings.SecurityPsk, NodeSettings.SecurityRpk, NodeSettings.SecurityX509 })
                {
                    data.Add(Path.GetFileName(d), mode);
                }
            }
        }
        return data;
    }

    private sealed record Run(SensorNode Node, Uplink Uplink, Link Link, NodeSettings Settings, IRandom Random, ISensor Sensor,
        IDatagramSink Sink, HeapSnapshot BeforeNode);

    private static Run Connect(string board, string mode, long untilMs)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "boards", board, "board.settings"));
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 3,
            Security = new[] { NodeSettings.SecurityPsk, NodeSettings.SecurityRpk, NodeSettings.SecurityX509 },
            GatewayHost = "10.0.0.1",
            BaseSettingsText = text,
            ReadingPeriodMs = 10_000,
        }, new HmacDrbg(new FixedEntropy(3)), Epoch);
        NodeSettings settings = fleet.Nodes.Single(n => n.Security == mode);
        var link = new Link();
        var uplink = new Uplink();
        var config = new GatewayConfig
        {
            Random = new HmacDrbg(new FixedEntropy(5)),
            SessionCapacity = 4,
            PrivateKey = fleet.Gateway.PrivateKey,
            Certificate = fleet.Gateway.Certificate,
            CaCertificate = fleet.Gateway.CaCertificate,
            Clock = new FixedClock(),
        };
        link.Gateway = new GatewayEndpoint(config, SensorGateway.NodeTableOf(fleet.Gateway), uplink, uplink, link.SinkTo(false));
        IRandom random = new HmacDrbg(new FixedEntropy(7));
        ISensor sensor = new StepSensor();
        IDatagramSink sink = link.SinkTo(true);
        // What existed before the node (its arguments, the link and the gateway behind its sink, the statics): the
        // node's figure after the run is what it reaches beyond these.
        var beforeNode = HeapSnapshot.Take(HeapSnapshot.CodeAssemblies(typeof(SensorNode)), settings, random, sensor, sink);
        var node = new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, sink, NullLog.Instance);
        node.SetWallClock(Epoch.ToUnixTimeSeconds(), 0);
        link.Node = node;
        link.RunUntil(untilMs);
        return new Run(node, uplink, link, settings, random, sensor, sink, beforeNode);
    }

    [Theory]
    [MemberData(nameof(BoardsAndModes))]
    public void TheBoardsSettingsCarryAHandshakeAndReadings(string board, string mode)
    {
        _ = Connect(board, mode, 25_000); // warm-up: JIT and one-time static set-up, as a board has done at boot
        var run = Connect(board, mode, 35_000);

        Assert.Equal("", run.Uplink.Refused);
        Assert.Equal(1, run.Uplink.Connected);
        Assert.Equal(1, run.Node.HandshakesCompleted);
        Assert.Equal(0, run.Node.HandshakesFailed);
        Assert.True(run.Node.IsConnected);
        // Samples at 0, 10, 20 and 30 s, each delivered once.
        Assert.Equal(4, run.Node.SamplesTaken);
        Assert.Equal(4, run.Uplink.Readings);
        Assert.Equal(4, run.Node.ReadingsDone);

        // The handshake's peak is the construction: the node allocated nothing in its own calls, and what hangs off it
        // now is what its constructor built.
        var now = HeapWalker.Measure(new[] { ("SensorNode", (object)run.Node) }, run.BeforeNode);
        var built = BoardHeapModel.Measure(
            () => new SensorNode(run.Settings, PortableCryptoProvider.Instance, run.Random, run.Sensor, run.Sink, NullLog.Instance),
            run.Settings, run.Random, run.Sensor, run.Sink);
        output.WriteLine(board + " " + mode + ": built " + built.Total + " B, after the handshake and 4 readings " + now.Total
                         + " B, allocated in the node's calls " + run.Link.NodeAllocated + " B");
        Assert.Equal(0, run.Link.NodeAllocated);
        // The only difference: the backlog's name and unit tables now refer to the sensor's strings (the sensor's own
        // objects, priced by the model as one 12-byte string header per reference, as nanoCLR's ldstr makes them).
        static long SensorStrings(HeapFigure f) => f.Items
            .Where(i => i.Type == HeapWalker.LiteralType && i.Path.StartsWith("SensorNode._backlog.", StringComparison.Ordinal)).Sum(i => (long)i.Bytes);
        Assert.Equal(24, SensorStrings(now) - SensorStrings(built));
        Assert.Equal(built.Total + 24, now.Total);
    }
}
