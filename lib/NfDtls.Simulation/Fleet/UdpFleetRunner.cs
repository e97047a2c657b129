using System.Diagnostics;
using System.Net;
using NfDtls.Desktop.Net;
using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// The same fleet as <see cref="FleetRunner"/>, but on real UDP sockets on 127.0.0.1 in real time: one
/// <see cref="UdpEndpointHost"/> (socket + thread) per node and one for the gateway. Reboots and gateway restarts
/// happen on schedule (a rebooted node comes back on a new port, as behind a NAT); link profiles and partitions do
/// not apply (loopback is what it is). Not deterministic: the report is the same shape, not the same bytes.
/// </summary>
public sealed class UdpFleetRunner : IDisposable
{
    private readonly FleetPlan _plan;
    private readonly IFleetFactory _factory;
    private readonly Stopwatch _clock = new();
    private readonly UdpEndpointHost?[] _nodeHosts;
    private readonly int[] _boots;
    private UdpEndpointHost? _gatewayHost;
    private int _gatewayIncarnation;
    private int _gatewayPort;

    public UdpFleetRunner(FleetPlan plan, IFleetFactory factory, FleetRecorder? recorder = null)
    {
        _plan = plan;
        _factory = factory;
        Recorder = recorder ?? new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        Recorder.Clock = () => _clock.ElapsedMilliseconds;
        _nodeHosts = new UdpEndpointHost?[plan.Nodes];
        _boots = new int[plan.Nodes];
    }

    public FleetRecorder Recorder { get; }
    public NetworkStats Stats { get; } = new();
    public PeerAddress? GatewayAddress { get; private set; }
    public long EndMs => _plan.DurationMs + _plan.DrainMs;
    public long Now => _clock.ElapsedMilliseconds;

    /// <summary>Sees every datagram as it is sent: (ms since start, from, to, bytes). Called from host threads, serialised.</summary>
    public Action<long, PeerAddress, PeerAddress, ReadOnlyMemory<byte>>? Tap { get; set; }

    private readonly object _tapGate = new();

    public void Run(Action<UdpFleetRunner>? progress = null)
    {
        _clock.Start();
        var timeline = new List<(long At, int Order, Action Do)>();
        timeline.Add((0, 0, StartGateway));
        var starts = new Random(_plan.Seed ^ 0x5EED);
        for (int i = 0; i < _plan.Nodes; i++)
        {
            int index = i;
            timeline.Add(((long)(starts.NextDouble() * _plan.StartSpreadMs), 1, () => StartNode(index)));
        }
        foreach (var r in _plan.Reboots)
        {
            timeline.Add((r.AtMs, 2, () =>
            {
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.NodeReboot, r.AtMs, 0, r.First, Math.Min(r.Last, _plan.Nodes - 1)));
                for (int i = r.First; i <= r.Last && i < _plan.Nodes; i++)
                {
                    if (_nodeHosts[i] is { } old)
                    {
                        old.Dispose();
                        _boots[i]++;
                        Recorder.Rebooted(i);
                        StartNode(i);
                    }
                }
            }));
        }
        foreach (var g in _plan.GatewayRestarts)
        {
            timeline.Add((g.AtMs, 2, () =>
            {
                _gatewayHost?.Dispose();
                _gatewayHost = null;
                Recorder.GatewayRestarted();
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.GatewayRestart, g.AtMs, g.DownMs, -1, -1));
            }));
            timeline.Add((g.AtMs + g.DownMs, 3, StartGateway));
        }
        timeline.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        int next = 0;
        while (true)
        {
            long now = _clock.ElapsedMilliseconds;
            while (next < timeline.Count && timeline[next].At <= now)
            {
                timeline[next++].Do();
            }
            if (now >= EndMs)
            {
                break;
            }
            progress?.Invoke(this);
            long wake = next < timeline.Count ? timeline[next].At : EndMs;
            Thread.Sleep((int)Math.Clamp(Math.Min(wake, EndMs) - now, 1, 100));
        }
        progress?.Invoke(this);
    }

    private void StartGateway()
    {
        // Come back on the same port after a restart, so the nodes' configured gateway address stays right.
        var host = new UdpEndpointHost(new IPEndPoint(IPAddress.Loopback, _gatewayPort), 65535);
        _gatewayPort = host.LocalEndPoint.Port;
        GatewayAddress ??= UdpEndpointHost.ToPeerAddress(host.LocalEndPoint);
        var sink = new CountingSink(this, GatewayAddress, host);
        var gateway = _factory.CreateGateway(GatewayAddress, sink, _gatewayIncarnation++, host.NowMs);
        host.Start(gateway);
        _gatewayHost = host;
    }

    private void StartNode(int index)
    {
        var host = new UdpEndpointHost(new IPEndPoint(IPAddress.Loopback, 0), 65535);
        var address = UdpEndpointHost.ToPeerAddress(host.LocalEndPoint);
        var sink = new CountingSink(this, address, host);
        var node = _factory.CreateNode(index, _boots[index], address, GatewayAddress!, sink, host.NowMs);
        host.Start(node);
        _nodeHosts[index] = host;
    }

    public void Dispose()
    {
        foreach (var h in _nodeHosts)
        {
            h?.Dispose();
        }
        _gatewayHost?.Dispose();
    }

    /// <summary>Counts what goes on the wire (the loopback has no loss, so sent = delivered) and feeds the tap.</summary>
    private sealed class CountingSink(UdpFleetRunner runner, PeerAddress self, UdpEndpointHost host) : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            Interlocked.Increment(ref runner.Stats.Sent);
            Interlocked.Add(ref runner.Stats.BytesSent, count);
            if (runner.Tap is { } tap)
            {
                lock (runner._tapGate)
                {
                    tap(runner.Now, self, destination, new ReadOnlyMemory<byte>(buffer, offset, count).ToArray());
                }
            }
            host.Send(buffer, offset, count, destination);
        }
    }
}
