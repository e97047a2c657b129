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

    public FleetRecorder(int nodes, long cutoffMs, int buckets)
    {
        _readings = new Dictionary<long, ReadingEntry>[nodes];
        for (int i = 0; i < nodes; i++)
        {
            _readings[i] = new Dictionary<long, ReadingEntry>();
        }
        CutoffMs = cutoffMs;
        BucketMs = Math.Max(1, cutoffMs / Math.Max(1, buckets));
        DeliveredPerBucket = new long[Math.Max(1, buckets)];
        LatencyPerBucket = new List<long>[DeliveredPerBucket.Length];
        for (int i = 0; i < LatencyPerBucket.Length; i++)
        {
            LatencyPerBucket[i] = new List<long>();
        }
        DeliveredPerNode = new long[nodes];
    }

    public int Nodes => _readings.Length;
    public long CutoffMs { get; }
    public long BucketMs { get; }

    public long HandshakesDone { get; private set; }
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
    /// <summary>Bytes one node holds on a board (board-heap model, the largest security mode), 0 if unknown.</summary>
    public long NodeMemoryBytes { get; set; }
    /// <summary>Bytes the (desktop) gateway allocates per session slot at construction, 0 if unknown.</summary>
    public long GatewayBytesPerSession { get; set; }
    public long[] DeliveredPerBucket { get; }
    public List<long>[] LatencyPerBucket { get; }
    public long[] DeliveredPerNode { get; }
    public IReadOnlyDictionary<string, int> RefusedIdentities => _refused;

    public long ReadingsLost => ReadingsSent - ReadingsDelivered;

    /// <summary>
    /// When set (real-time UDP mode, where every host has its own clock), the recorder stamps events with this clock
    /// instead of the time the caller passes, and serialises callers from the hosts' threads.
    /// </summary>
    public Func<long>? Clock { get; set; }

    private readonly object _gate = new();

    public void HandshakeDone(int node) { lock (_gate) { HandshakesDone++; } }

    public void HandshakeFailed(int node) { lock (_gate) { HandshakesFailed++; } }

    public void Retransmitted(int node, int count = 1) { lock (_gate) { Retransmissions += count; } }

    public void Rebooted(int node) => Reboots++;

    public void GatewayRestarted() => GatewayRestarts++;

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
            ReadingsSent++;
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
        if (entry.Deliveries > 1)
        {
            ReadingsDuplicated++;
            return;
        }
        ReadingsDelivered++;
        DeliveredPerNode[node]++;
        long latency = nowMs - entry.TakenAt;
        _latencies.Add(latency);
        DeliveredPerBucket[Bucket(nowMs)]++;
        LatencyPerBucket[Bucket(entry.TakenAt)].Add(latency);
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
