using NfDtls.Net;

namespace NfDtls.Simulation;

/// <summary>
/// A deterministic, seeded, virtual-time datagram network. Hosts attach at a <see cref="PeerAddress"/> and send through
/// the <see cref="IDatagramSink"/> they are given; the network applies each link's loss, duplication, reordering,
/// latency and jitter, and runs events in time order (ties broken by insertion order), so the same seed and the same
/// inputs give the same run, byte for byte. No wall clock, no threads.
/// </summary>
public sealed class VirtualNetwork
{
    private readonly Random _random;
    private readonly PriorityQueue<Event, (long Time, long Seq)> _events = new();
    private readonly Dictionary<PeerAddress, Attachment> _hosts = new();
    private readonly Dictionary<IDatagramEndpoint, Attachment> _byHost = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(PeerAddress From, PeerAddress To), LinkProfile> _links = new();
    private readonly Stack<byte[]> _pool = new();
    private long _seq;

    public VirtualNetwork(int seed, LinkProfile? defaultProfile = null)
    {
        _random = new Random(seed);
        DefaultProfile = defaultProfile ?? LinkProfile.Perfect();
    }

    public long Now { get; private set; }

    public LinkProfile DefaultProfile { get; set; }

    public NetworkStats Stats { get; } = new();

    /// <summary>Sees every datagram the moment it is sent (before loss), e.g. a pcap writer: (time, from, to, bytes).</summary>
    public Action<long, PeerAddress, PeerAddress, ReadOnlyMemory<byte>>? Tap { get; set; }

    /// <summary>Attaches a host; returns the sink it sends through (its source address is <paramref name="address"/>).</summary>
    public IDatagramSink Attach(PeerAddress address, IDatagramEndpoint host)
    {
        var key = Copy(address);
        var attachment = new Attachment(this, key, host);
        if (_hosts.TryGetValue(key, out var old))
        {
            old.Detached = true;
            _byHost.Remove(old.Host);
        }
        _hosts[key] = attachment;
        _byHost[host] = attachment;
        Poke(host);
        return attachment;
    }

    /// <summary>Detaches a host (it is down); datagrams to it are lost.</summary>
    public void Detach(PeerAddress address)
    {
        if (_hosts.Remove(address, out var a))
        {
            a.Detached = true;
            _byHost.Remove(a.Host);
        }
    }

    /// <summary>
    /// A NAT in front of the host at <paramref name="from"/> drops its mapping and makes a new one at
    /// <paramref name="to"/>: the host's datagrams leave with the new source address from now on, datagrams to the old
    /// address (some may be in flight) are lost, and datagrams to the new one reach it. The host itself sees nothing
    /// (it does not know its public address). False when nothing is attached at <paramref name="from"/> or
    /// <paramref name="to"/> is taken.
    /// </summary>
    public bool Rebind(PeerAddress from, PeerAddress to)
    {
        if (!_hosts.TryGetValue(from, out var a) || a.Detached || _hosts.ContainsKey(to))
        {
            return false;
        }
        _hosts.Remove(from);
        a.Address = Copy(to);
        _hosts[a.Address] = a;
        return true;
    }

    /// <summary>Sets the one-way profile from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void SetLink(PeerAddress from, PeerAddress to, LinkProfile profile) => _links[(Copy(from), Copy(to))] = profile;

    /// <summary>Sets both directions between two addresses.</summary>
    public void SetLinks(PeerAddress a, PeerAddress b, LinkProfile profile)
    {
        SetLink(a, b, profile);
        SetLink(b, a, profile.Clone());
    }

    public LinkProfile LinkFor(PeerAddress from, PeerAddress to) =>
        _links.TryGetValue((from, to), out var p) ? p : DefaultProfile;

    /// <summary>Re-reads a host's deadline after code outside the network drove it (e.g. a test queued data).</summary>
    public void Poke(IDatagramEndpoint host)
    {
        if (!_byHost.TryGetValue(host, out var a))
        {
            return;
        }
        long deadline = host.NextDeadline;
        if (deadline == long.MaxValue)
        {
            return;
        }
        // A host that is still due right after its Tick gets the next millisecond, so a faulty host cannot spin time.
        long at = Math.Max(deadline, a.TickedAt == Now ? Now + 1 : Now);
        if (at < a.PendingWake)
        {
            a.PendingWake = at;
            Schedule(at, new Event(EventKind.Wake, host, null, null, null, 0));
        }
    }

    /// <summary>Runs <paramref name="action"/> at virtual time <paramref name="atMs"/> (schedules reboots, partitions, test steps).</summary>
    public void At(long atMs, Action action) => Schedule(Math.Max(atMs, Now), new Event(EventKind.Action, null, null, null, null, 0) { Action = action });

    /// <summary>Runs events until virtual time reaches <paramref name="untilMs"/> or <paramref name="stop"/> says so. Returns true if stopped by the predicate.</summary>
    public bool RunUntil(long untilMs, Func<bool>? stop = null)
    {
        if (stop != null && stop())
        {
            return true;
        }
        while (_events.TryPeek(out var next, out var key) && key.Time <= untilMs)
        {
            _events.Dequeue();
            Step(next, key.Time);
            if (stop != null && stop())
            {
                return true;
            }
        }
        Now = Math.Max(Now, untilMs);
        return false;
    }

    private void Schedule(long time, Event e)
    {
        _events.Enqueue(e, (time, _seq++));
    }

    private void Step(Event e, long time)
    {
        Now = time;
        switch (e.Kind)
        {
            case EventKind.Deliver:
                if (_hosts.TryGetValue(e.To!, out var target) && !target.Detached)
                {
                    Stats.Delivered++;
                    Stats.BytesDelivered += e.Count;
                    target.Host.Receive(e.Buffer!, 0, e.Count, e.From!, Now);
                    Poke(target.Host);
                }
                else
                {
                    Stats.Undeliverable++;
                }
                _pool.Push(e.Buffer!);
                break;
            case EventKind.Wake:
                if (_byHost.TryGetValue(e.Host!, out var woken))
                {
                    if (woken.PendingWake == Now)
                    {
                        woken.PendingWake = long.MaxValue;
                    }
                    if (e.Host!.NextDeadline <= Now)
                    {
                        woken.TickedAt = Now;
                        e.Host.Tick(Now);
                    }
                    Poke(e.Host!);
                }
                break;
            case EventKind.Action:
                e.Action!();
                break;
        }
    }

    private void Transmit(Attachment from, byte[] buffer, int offset, int count, PeerAddress destination)
    {
        if (from.Detached)
        {
            return;
        }
        Stats.Sent++;
        Stats.BytesSent += count;
        Tap?.Invoke(Now, from.Address, destination, new ReadOnlyMemory<byte>(buffer, offset, count).ToArray());
        LinkProfile link = LinkFor(from.Address, destination);
        if (link.Down || (link.Mtu > 0 && count > link.Mtu) || _random.NextDouble() < link.Loss)
        {
            Stats.Dropped++;
            return;
        }
        int copies = _random.NextDouble() < link.Duplicate ? 2 : 1;
        if (copies == 2)
        {
            Stats.Duplicated++;
        }
        var to = Copy(destination);
        for (int i = 0; i < copies; i++)
        {
            long delay = link.LatencyMs + (link.JitterMs > 0 ? _random.Next(link.JitterMs + 1) : 0);
            if (_random.NextDouble() < link.Reorder)
            {
                delay += _random.Next(link.ReorderDelayMs + 1);
                Stats.Reordered++;
            }
            byte[] copy = Rent(count);
            Array.Copy(buffer, offset, copy, 0, count);
            Schedule(Now + delay, new Event(EventKind.Deliver, null, from.Address, to, copy, count));
        }
    }

    private byte[] Rent(int count)
    {
        if (_pool.TryPop(out var b) && b.Length >= count)
        {
            return b;
        }
        return new byte[Math.Max(count, 1500)];
    }

    private static PeerAddress Copy(PeerAddress a)
    {
        var c = new PeerAddress();
        c.CopyFrom(a);
        return c;
    }

    private enum EventKind { Deliver, Wake, Action }

    private sealed class Event(EventKind kind, IDatagramEndpoint? host, PeerAddress? from, PeerAddress? to, byte[]? buffer, int count)
    {
        public EventKind Kind { get; } = kind;
        public IDatagramEndpoint? Host { get; } = host;
        public PeerAddress? From { get; } = from;
        public PeerAddress? To { get; } = to;
        public byte[]? Buffer { get; } = buffer;
        public int Count { get; } = count;
        public Action? Action { get; init; }
    }

    private sealed class Attachment(VirtualNetwork network, PeerAddress address, IDatagramEndpoint host) : IDatagramSink
    {
        public PeerAddress Address { get; set; } = address;
        public IDatagramEndpoint Host { get; } = host;
        public bool Detached { get; set; }
        public long PendingWake { get; set; } = long.MaxValue;
        public long TickedAt { get; set; } = -1;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination) =>
            network.Transmit(this, buffer, offset, count, destination);
    }
}
