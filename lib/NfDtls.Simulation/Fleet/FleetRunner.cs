using NfDtls.Net;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// Runs a fleet on a <see cref="VirtualNetwork"/>: one gateway and <see cref="FleetPlan.Nodes"/> nodes, all
/// <see cref="IDatagramEndpoint"/>s driven by their own deadlines in virtual time, with the plan's per-link profiles,
/// partitions, node reboots, gateway restarts and NAT rebindings applied on schedule. Nothing reads the wall clock and every random
/// choice comes from the seed, so a plan and a factory give the same run every time.
/// </summary>
public sealed class FleetRunner
{
    private readonly FleetPlan _plan;
    private readonly IFleetFactory _factory;
    private readonly PeerAddress[] _nodeAddresses;
    private readonly LinkProfile?[] _nodeLinks;
    private readonly int[] _downCount;
    private readonly int[] _boots;
    private readonly int[] _rebinds;
    private readonly bool[] _started;
    private readonly IDatagramEndpoint?[] _nodes;
    private int _gatewayIncarnation;

    public FleetRunner(FleetPlan plan, IFleetFactory factory, FleetRecorder? recorder = null)
    {
        if (plan.Nodes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(plan), "a fleet needs at least one node");
        }
        _plan = plan;
        _factory = factory;
        Recorder = recorder ?? new FleetRecorder(plan.Nodes, plan.DurationMs, plan.TimeBuckets);
        Network = new VirtualNetwork(plan.Seed, plan.Link);
        GatewayAddress = FleetAddresses.Gateway();
        _nodeAddresses = new PeerAddress[plan.Nodes];
        _nodeLinks = new LinkProfile?[plan.Nodes];
        _downCount = new int[plan.Nodes];
        _boots = new int[plan.Nodes];
        _rebinds = new int[plan.Nodes];
        _started = new bool[plan.Nodes];
        _nodes = new IDatagramEndpoint?[plan.Nodes];
        for (int i = 0; i < plan.Nodes; i++)
        {
            _nodeAddresses[i] = FleetAddresses.Node(i);
            _nodeLinks[i] = plan.LinkForNode?.Invoke(i);
            if (_nodeLinks[i] is { } link)
            {
                Network.SetLinks(_nodeAddresses[i], GatewayAddress, link);
            }
        }
        Schedule();
    }

    public VirtualNetwork Network { get; }
    public FleetRecorder Recorder { get; }
    public PeerAddress GatewayAddress { get; }
    /// <summary>The gateway now running (null while it is down).</summary>
    public IDatagramEndpoint? Gateway { get; private set; }
    /// <summary>Virtual time at which the run ends: duration plus drain.</summary>
    public long EndMs => _plan.DurationMs + _plan.DrainMs;
    public long Now => Network.Now;

    public PeerAddress NodeAddress(int index) => _nodeAddresses[index];

    /// <summary>NAT rebindings node <paramref name="index"/> has been through.</summary>
    public int RebindsOf(int index) => _rebinds[index];

    /// <summary>Node <paramref name="index"/> as now running (null before it powers up).</summary>
    public IDatagramEndpoint? Node(int index) => _nodes[index];

    /// <summary>Runs to the end, calling <paramref name="progress"/> after each of <paramref name="slices"/> equal steps of virtual time.</summary>
    public void Run(Action<FleetRunner>? progress = null, int slices = 100)
    {
        long end = EndMs;
        for (int s = 1; s <= slices; s++)
        {
            Network.RunUntil(end * s / slices);
            progress?.Invoke(this);
        }
    }

    /// <summary>Runs until virtual time <paramref name="untilMs"/> (tests step through a run with it).</summary>
    public void RunUntil(long untilMs) => Network.RunUntil(untilMs);

    private void Schedule()
    {
        Network.At(0, StartGateway);
        // Start times come from their own generator so adding a fault to the plan does not move every node.
        var starts = new Random(_plan.Seed ^ 0x5EED);
        for (int i = 0; i < _plan.Nodes; i++)
        {
            int index = i;
            long at = _plan.StartSpreadMs > 0 ? (long)(starts.NextDouble() * _plan.StartSpreadMs) : 0;
            Network.At(at, () => StartNode(index));
        }
        foreach (var p in _plan.Partitions)
        {
            var partition = p;
            Network.At(p.AtMs, () =>
            {
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.Partition, partition.AtMs, partition.DurationMs, partition.First, partition.Last));
                Partition(partition, +1);
            });
            Network.At(p.AtMs + p.DurationMs, () => Partition(partition, -1));
        }
        foreach (var r in _plan.Reboots)
        {
            var reboot = r;
            Network.At(r.AtMs, () =>
            {
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.NodeReboot, reboot.AtMs, 0, reboot.First, Math.Min(reboot.Last, _plan.Nodes - 1)));
                for (int i = reboot.First; i <= reboot.Last && i < _plan.Nodes; i++)
                {
                    if (_started[i])
                    {
                        _boots[i]++;
                        Recorder.Rebooted(i);
                        Network.Detach(_nodeAddresses[i]);
                        StartNode(i);
                    }
                }
            });
        }
        foreach (var g in _plan.GatewayRestarts)
        {
            var restart = g;
            Network.At(g.AtMs, () =>
            {
                Network.Detach(GatewayAddress);
                Gateway = null;
                Recorder.GatewayRestarted();
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.GatewayRestart, restart.AtMs, restart.DownMs, -1, -1));
            });
            Network.At(g.AtMs + g.DownMs, StartGateway);
        }
        foreach (var n in _plan.NatRebinds)
        {
            var rebind = n;
            Network.At(n.AtMs, () =>
            {
                Recorder.FaultInjected(new FleetFault(FleetFaultKind.NatRebind, rebind.AtMs, 0, rebind.First, Math.Min(rebind.Last, _plan.Nodes - 1)));
                for (int i = rebind.First; i <= rebind.Last && i < _plan.Nodes; i++)
                {
                    Rebind(i, scheduled: true);
                }
            });
        }
        ScheduleRandomRebinds();
    }

    /// <summary>
    /// <see cref="FleetPlan.NatRebindsPerNodeHour"/>: a Poisson process per node (exponential gaps), from a generator of
    /// its own so the rest of the run (start times, network fate) stays as it was without the fault.
    /// </summary>
    private void ScheduleRandomRebinds()
    {
        double perMs = _plan.NatRebindsPerNodeHour / 3_600_000.0;
        if (perMs <= 0)
        {
            return;
        }
        var random = new Random(_plan.Seed ^ 0x4A7B1D);
        for (int i = 0; i < _plan.Nodes; i++)
        {
            int index = i;
            double t = 0;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / perMs;
                if (t >= _plan.DurationMs)
                {
                    break;
                }
                long at = (long)t;
                Network.At(at, () => Rebind(index, scheduled: false));
            }
        }
    }

    /// <summary>The NAT in front of node <paramref name="index"/> gives it a new port; its link profile follows it.</summary>
    private bool Rebind(int index, bool scheduled)
    {
        if (!_started[index])
        {
            return false;
        }
        PeerAddress to = FleetAddresses.Node(index, _rebinds[index] + 1);
        if (!Network.Rebind(_nodeAddresses[index], to))
        {
            return false;
        }
        _rebinds[index]++;
        _nodeAddresses[index] = to;
        if (_nodeLinks[index] != null || _downCount[index] > 0)
        {
            LinkProfile link = (_nodeLinks[index] ?? _plan.Link).Clone();
            link.Down = _downCount[index] > 0;
            Network.SetLinks(to, GatewayAddress, link);
        }
        Recorder.NatRebound(index, Network.Now, scheduled);
        return true;
    }

    private void StartGateway()
    {
        if (Gateway != null)
        {
            return;
        }
        var sink = new LateSink();
        Gateway = _factory.CreateGateway(GatewayAddress, sink, _gatewayIncarnation++, Network.Now);
        sink.Target = Network.Attach(GatewayAddress, Gateway);
    }

    private void StartNode(int index)
    {
        _started[index] = true;
        var sink = new LateSink();
        var node = _factory.CreateNode(index, _boots[index], _nodeAddresses[index], GatewayAddress, sink, Network.Now);
        _nodes[index] = node;
        sink.Target = Network.Attach(_nodeAddresses[index], node);
    }

    private void Partition(FleetPartition p, int delta)
    {
        for (int i = p.First; i <= p.Last && i < _plan.Nodes; i++)
        {
            _downCount[i] += delta;
            LinkProfile link = (_nodeLinks[i] ?? _plan.Link).Clone();
            link.Down = _downCount[i] > 0;
            Network.SetLinks(_nodeAddresses[i], GatewayAddress, link);
        }
    }

    /// <summary>Lets an endpoint be built before the network hands out its real sink (the two need each other).</summary>
    private sealed class LateSink : IDatagramSink
    {
        public IDatagramSink? Target;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) =>
            Target?.Send(buffer, offset, count, destination);
    }
}
