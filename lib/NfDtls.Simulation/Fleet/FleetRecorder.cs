namespace NfDtls.Simulation.Fleet;

/// <summary>
/// Everything a fleet run counts. Node and gateway adapters call it as things happen (in virtual time); the report,
/// the plot and the tests read it. A reading is identified by (node, sequence); readings taken at or after
/// <see cref="CutoffMs"/> are ignored, so a run can drain without counting new ones.
/// </summary>
public sealed class FleetRecorder
{
    private readonly Dictionary<long, ReadingEntry>[] _readings;
    private readonly List<long> _latencies = new();
    private readonly SortedDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly List<FleetFault> _faults = new();

    /// <summary>A recorder whose time series has <paramref name="buckets"/> equal buckets over the run.</summary>
    public FleetRecorder(int nodes, long cutoffMs, int buckets)
        : this(nodes, cutoffMs, Math.Max(1, cutoffMs / Math.Max(1, buckets)), 0)
    {
    }

    private FleetRecorder(int nodes, long cutoffMs, long bucketMs, long readingPeriodMs)
    {
        _readings = new Dictionary<long, ReadingEntry>[nodes];
        for (int i = 0; i < nodes; i++)
        {
            _readings[i] = new Dictionary<long, ReadingEntry>();
        }
        CutoffMs = cutoffMs;
        BucketMs = bucketMs;
        ReadingPeriodMs = readingPeriodMs;
        int buckets = (int)Math.Max(1, (cutoffMs + bucketMs - 1) / bucketMs);
        TakenPerBucket = new long[buckets];
        DeliveredPerBucket = new long[buckets];
        DuplicatedPerBucket = new long[buckets];
        HandshakesPerBucket = new long[buckets];
        ResumedPerBucket = new long[buckets];
        FailedHandshakesPerBucket = new long[buckets];
        RetransmissionsPerBucket = new long[buckets];
        RandomRebindsPerBucket = new long[buckets];
        LatencyPerBucket = new List<long>[buckets];
        for (int i = 0; i < LatencyPerBucket.Length; i++)
        {
            LatencyPerBucket[i] = new List<long>();
        }
        DeliveredPerNode = new long[nodes];
        _rebindsPending = new int[nodes];
        _rebindLastTaken = new long[nodes];
        _lastTaken = new long[nodes];
        Array.Fill(_lastTaken, -1);
    }

    /// <summary>
    /// A recorder whose time-series bucket is the reading period (or a whole multiple of it when the run would
    /// need more than <paramref name="maxBuckets"/>): each node takes one reading per bucket, so the counts per
    /// bucket have no aliasing saw-tooth (a 30 s bucket over a 60 s period alternates between all and none).
    /// </summary>
    public static FleetRecorder PerReadingPeriod(int nodes, long cutoffMs, long readingPeriodMs, int maxBuckets = 2000)
    {
        long period = Math.Max(1, readingPeriodMs);
        long periods = Math.Max(1, (cutoffMs + period - 1) / period);
        long perBucket = Math.Max(1, (periods + maxBuckets - 1) / maxBuckets);
        return new FleetRecorder(nodes, cutoffMs, period * perBucket, period);
    }

    public int Nodes => _readings.Length;
    public long CutoffMs { get; }
    /// <summary>Width of one time-series bucket (virtual ms); bucket i covers [i·BucketMs, (i+1)·BucketMs).</summary>
    public long BucketMs { get; }
    /// <summary>The nodes' reading period when the buckets follow it (<see cref="PerReadingPeriod"/>), else 0.</summary>
    public long ReadingPeriodMs { get; }

    /// <summary>Time argument of an event whose time the caller does not know: counted, but in no bucket.</summary>
    public const long NoTime = -1;

    /// <summary>Full handshakes completed (the key exchange paid: PSK, or ECDHE with P-256).</summary>
    public long HandshakesDone { get; private set; }
    /// <summary>Abbreviated handshakes completed (session resumption, RFC 5246 §7.3), not counted in <see cref="HandshakesDone"/>.</summary>
    public long HandshakesResumed { get; private set; }
    public long HandshakesFailed { get; private set; }
    public long Retransmissions { get; private set; }
    public long ReadingsSent { get; private set; }
    public long ReadingsDelivered { get; private set; }
    public long ReadingsDuplicated { get; private set; }
    /// <summary>Deliveries of readings nobody recorded as taken (a bug in an adapter or a forged reading).</summary>
    public long ReadingsUnexpected { get; private set; }
    public long Reboots { get; private set; }
    public long GatewayRestarts { get; private set; }
    public long RefusedHandshakes { get; private set; }
    /// <summary>NAT rebindings a node went through (its public address changed under its session).</summary>
    public long NatRebinds { get; private set; }
    /// <summary>Rebindings after which the node's next reading reached the gateway with no new handshake (RFC 9146 CID).</summary>
    public long RebindsSurvived { get; private set; }
    /// <summary>Rebindings after which the node had to handshake again (full or resumed) before its readings got through.</summary>
    public long RebindsHandshaken { get; private set; }
    /// <summary>Rebindings not yet followed by either (too late in the run, or the node rebooted first).</summary>
    public long RebindsUndecided => NatRebinds - RebindsSurvived - RebindsHandshaken;
    /// <summary>Bytes one node holds on a board (board-heap model, the largest security mode), 0 if unknown.</summary>
    public long NodeMemoryBytes { get; set; }
    /// <summary>Bytes the (desktop) gateway allocates per session slot at construction, 0 if unknown.</summary>
    public long GatewayBytesPerSession { get; set; }
    /// <summary>Readings taken in each bucket.</summary>
    public long[] TakenPerBucket { get; }
    /// <summary>Readings taken in each bucket that reached the gateway (whenever they arrived); lost = taken - delivered.</summary>
    public long[] DeliveredPerBucket { get; }
    /// <summary>Extra deliveries of readings taken in each bucket (the gateway's application saw them again).</summary>
    public long[] DuplicatedPerBucket { get; }
    /// <summary>Latencies (ms) of the readings taken in each bucket.</summary>
    public List<long>[] LatencyPerBucket { get; }
    /// <summary>Full handshakes completed in each bucket.</summary>
    public long[] HandshakesPerBucket { get; }
    /// <summary>Abbreviated (resumed) handshakes completed in each bucket.</summary>
    public long[] ResumedPerBucket { get; }
    public long[] FailedHandshakesPerBucket { get; }
    public long[] RetransmissionsPerBucket { get; }
    /// <summary>NAT rebindings drawn at random in each bucket (the chart counts them; scheduled ones are fault markers).</summary>
    public long[] RandomRebindsPerBucket { get; }
    /// <summary>The faults injected into the run, in the order they happened.</summary>
    public IReadOnlyList<FleetFault> Faults => _faults;
    public long[] DeliveredPerNode { get; }
    public IReadOnlyDictionary<string, int> RefusedIdentities => _refused;

    public long ReadingsLost => ReadingsSent - ReadingsDelivered;

    /// <summary>
    /// When set (real-time UDP mode, where every host has its own clock), the recorder stamps events with this clock
    /// instead of the time the caller passes, and serialises callers from the hosts' threads.
    /// </summary>
    public Func<long>? Clock { get; set; }

    private readonly object _gate = new();
    // Per node: rebindings waiting for the verdict, and the last reading taken before the latest of them (a reading
    // after it that arrives before any handshake proves the session followed the node).
    private readonly int[] _rebindsPending;
    private readonly long[] _rebindLastTaken;
    private readonly long[] _lastTaken;

    public void HandshakeDone(int node, long nowMs = NoTime)
    {
        lock (_gate)
        {
            HandshakesDone++;
            Count(HandshakesPerBucket, nowMs, 1);
            Handshaken(node);
        }
    }

    /// <summary>A new handshake, full or resumed, settles the node's pending rebindings: it needed one.</summary>
    private void Handshaken(int node)
    {
        if ((uint)node < (uint)_rebindsPending.Length && _rebindsPending[node] > 0)
        {
            RebindsHandshaken += _rebindsPending[node];
            _rebindsPending[node] = 0;
        }
    }

    /// <summary>
    /// A NAT gave node <paramref name="node"/> a new public address at <paramref name="nowMs"/>; <paramref name="scheduled"/>
    /// when the plan set its time (marked on the chart by its <see cref="FleetFault"/>), false when drawn at random
    /// (counted per bucket instead: hundreds of markers would hide the chart).
    /// </summary>
    public void NatRebound(int node, long nowMs, bool scheduled)
    {
        lock (_gate)
        {
            NatRebinds++;
            if (!scheduled)
            {
                Count(RandomRebindsPerBucket, nowMs, 1);
            }
            _rebindsPending[node]++;
            _rebindLastTaken[node] = _lastTaken[node];
        }
    }

    /// <summary>An abbreviated handshake (session resumption: a ticket or a cached session ID) completed.</summary>
    public void HandshakeResumed(int node, long nowMs = NoTime)
    {
        lock (_gate)
        {
            HandshakesResumed++;
            Count(ResumedPerBucket, nowMs, 1);
            Handshaken(node);
        }
    }

    public void HandshakeFailed(int node, long nowMs = NoTime)
    {
        lock (_gate)
        {
            HandshakesFailed++;
            Count(FailedHandshakesPerBucket, nowMs, 1);
        }
    }

    public void Retransmitted(int node, int count = 1, long nowMs = NoTime)
    {
        lock (_gate)
        {
            Retransmissions += count;
            Count(RetransmissionsPerBucket, nowMs, count);
        }
    }

    public void Rebooted(int node)
    {
        Reboots++;
        // A fresh node handshakes anyway: that says nothing about the rebinding before it.
        _rebindsPending[node] = 0;
    }

    public void GatewayRestarted() => GatewayRestarts++;

    /// <summary>A fault the run injected (one entry per event, however many nodes it hit): the chart marks it.</summary>
    public void FaultInjected(FleetFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    private void Count(long[] perBucket, long nowMs, int n)
    {
        if (Clock != null)
        {
            nowMs = Clock();
        }
        if (nowMs >= 0 && nowMs < CutoffMs)
        {
            perBucket[Bucket(nowMs)] += n;
        }
    }

    /// <summary>The gateway refused a handshake from an identity it does not know.</summary>
    public void Refused(string identity)
    {
        lock (_gate)
        {
            RefusedHandshakes++;
            _refused[identity] = _refused.TryGetValue(identity, out int n) ? n + 1 : 1;
        }
    }

    /// <summary>Node <paramref name="node"/> took reading <paramref name="sequence"/> at <paramref name="nowMs"/>.</summary>
    public void ReadingTaken(int node, long sequence, long nowMs)
    {
        if (Clock != null)
        {
            lock (_gate)
            {
                Taken(node, sequence, Clock());
            }
            return;
        }
        Taken(node, sequence, nowMs);
    }

    private void Taken(int node, long sequence, long nowMs)
    {
        if (nowMs >= CutoffMs || (uint)node >= (uint)_readings.Length)
        {
            return;
        }
        if (_readings[node].TryAdd(sequence, new ReadingEntry { TakenAt = nowMs }))
        {
            _lastTaken[node] = Math.Max(_lastTaken[node], sequence);
            ReadingsSent++;
            TakenPerBucket[Bucket(nowMs)]++;
        }
    }

    /// <summary>The gateway's application received reading (<paramref name="node"/>, <paramref name="sequence"/>).</summary>
    public void ReadingDelivered(int node, long sequence, long nowMs)
    {
        if (Clock != null)
        {
            lock (_gate)
            {
                Delivered(node, sequence, Clock());
            }
            return;
        }
        Delivered(node, sequence, nowMs);
    }

    private void Delivered(int node, long sequence, long nowMs)
    {
        if ((uint)node < (uint)_rebindsPending.Length && _rebindsPending[node] > 0 && sequence > _rebindLastTaken[node])
        {
            // Taken after the rebinding, so sent from the new address, and no handshake since: the session followed.
            RebindsSurvived += _rebindsPending[node];
            _rebindsPending[node] = 0;
        }
        if ((uint)node >= (uint)_readings.Length || !_readings[node].TryGetValue(sequence, out var entry))
        {
            if (nowMs >= CutoffMs)
            {
                return; // most likely taken after the cutoff, while the run drains: not counted either way
            }
            ReadingsUnexpected++;
            return;
        }
        entry.Deliveries++;
        int taken = Bucket(entry.TakenAt);
        if (entry.Deliveries > 1)
        {
            ReadingsDuplicated++;
            DuplicatedPerBucket[taken]++;
            return;
        }
        ReadingsDelivered++;
        DeliveredPerNode[node]++;
        long latency = nowMs - entry.TakenAt;
        _latencies.Add(latency);
        // By the time the reading was taken, not when it arrived: a reading per node per bucket, so retries
        // landing in the next bucket do not make the line jump.
        DeliveredPerBucket[taken]++;
        LatencyPerBucket[taken].Add(latency);
    }

    /// <summary>How many times the application saw this reading (0 = lost so far).</summary>
    public int DeliveriesOf(int node, long sequence) =>
        _readings[node].TryGetValue(sequence, out var e) ? e.Deliveries : -1;

    /// <summary>Readings taken by <paramref name="node"/> (sequence numbers, ascending).</summary>
    public long[] SequencesOf(int node)
    {
        var keys = _readings[node].Keys.ToArray();
        Array.Sort(keys);
        return keys;
    }

    /// <summary>Latency percentile (0..100) over first deliveries, in ms; -1 when nothing arrived.</summary>
    public long LatencyPercentile(double percentile) => Percentile(_latencies, percentile);

    public static long Percentile(List<long> values, double percentile)
    {
        if (values.Count == 0)
        {
            return -1;
        }
        var sorted = values.ToArray();
        Array.Sort(sorted);
        // Nearest-rank method.
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public long LatencyMax => _latencies.Count == 0 ? -1 : _latencies.Max();

    private int Bucket(long t) => (int)Math.Clamp(t / BucketMs, 0, DeliveredPerBucket.Length - 1);

    private sealed class ReadingEntry
    {
        public long TakenAt;
        public int Deliveries;
    }
}
