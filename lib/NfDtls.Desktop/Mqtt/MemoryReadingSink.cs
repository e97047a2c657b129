using System.Globalization;

namespace NfDtls.Desktop.Mqtt;

/// <summary>
/// The gateway's built-in sink: keeps readings in memory (the newest <see cref="Capacity"/>) and, when given a writer,
/// prints one line per reading. Thread-safe: the UDP gateway and the simulator's readers may run on other threads.
/// </summary>
public sealed class MemoryReadingSink(TextWriter? print = null, int capacity = 100_000) : IReadingSink
{
    private readonly Queue<NodeReading> _readings = new();
    private readonly object _gate = new();
    private long _total;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Every reading ever accepted, including those no longer kept.</summary>
    public long Total { get { lock (_gate) return _total; } }

    public void Accept(NodeReading reading)
    {
        lock (_gate)
        {
            _total++;
            _readings.Enqueue(reading);
            if (_readings.Count > Capacity)
            {
                _readings.Dequeue();
            }
            print?.WriteLine(Format(reading));
        }
    }

    /// <summary>The readings kept, oldest first.</summary>
    public NodeReading[] Snapshot()
    {
        lock (_gate) return _readings.ToArray();
    }

    public NodeReading[] ForNode(string nodeId)
    {
        lock (_gate) return _readings.Where(r => r.NodeId == nodeId).ToArray();
    }

    /// <summary>"2026-11-23T13:50:00.123Z node-001 temperature = 21.5 Cel".</summary>
    public static string Format(NodeReading r) =>
        r.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " " + r.NodeId + " " + r.Name
        + " = " + r.Value.ToString("R", CultureInfo.InvariantCulture) + (r.Unit.Length > 0 ? " " + r.Unit : "");
}
