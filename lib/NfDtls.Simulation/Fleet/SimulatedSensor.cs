using NfDtls.Node;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// A made-up temperature/humidity sensor, deterministic from (seed, node): a daily cycle with a per-node offset plus
/// seeded noise.
/// </summary>
public sealed class SimulatedSensor : ISensor
{
    private const long Day = 86_400_000;
    private readonly Random _noise;
    private readonly double _offset;
    private readonly double _phase;

    public SimulatedSensor(int seed, int node, int boot)
    {
        _noise = new Random(Mix(seed, node, boot, 0x5E45));
        var shape = new Random(Mix(seed, node, 0, 0xC11A));
        _offset = shape.NextDouble() * 4 - 2;
        _phase = shape.NextDouble() * 2 * Math.PI;
    }

    /// <summary>A fixed mix (HashCode.Combine is randomised per process, which would break same-seed-same-run).</summary>
    private static int Mix(int a, int b, int c, int d)
    {
        unchecked
        {
            uint h = (uint)a * 0x9E3779B1u;
            h = (h ^ (uint)b) * 0x85EBCA77u;
            h = (h ^ (uint)c) * 0xC2B2AE3Du;
            h = (h ^ (uint)d) * 0x27D4EB2Fu;
            return (int)(h ^ (h >> 15));
        }
    }

    public int Read(SensorReading[] into, long nowMs)
    {
        double cycle = Math.Sin(2 * Math.PI * (nowMs % Day) / Day + _phase);
        double temperature = Math.Round(21 + _offset + 4 * cycle + (_noise.NextDouble() - 0.5) * 0.4, 2);
        double humidity = Math.Round(45 - 10 * cycle + (_noise.NextDouble() - 0.5) * 2, 1);
        into[0].Set("temperature", "Cel", temperature);
        into[1].Set("humidity", "%RH", humidity);
        return 2;
    }
}
