using System.Diagnostics;
using NfDtls.Simulation.Fleet;

namespace NfDtls.Sim;

/// <summary>
/// The live line on stderr while a run goes (rewritten in place, at most a few times a second). The wall clock is read
/// here only, for throttling and the rate; nothing of it reaches the report.
/// </summary>
public sealed class ProgressLine(bool enabled)
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;
    private int _width;

    public void Update(long nowMs, long endMs, FleetRecorder r, bool force = false)
    {
        // On a terminal the line is redrawn in place 5 times a second; into a file or pipe, a plain line every 5 s.
        int every = Console.IsErrorRedirected ? 5000 : 200;
        if (!enabled || (!force && _wall.ElapsedMilliseconds - _lastDrawMs < every))
        {
            return;
        }
        _lastDrawMs = _wall.ElapsedMilliseconds;
        string line = "  " + Clock(nowMs) + " / " + Clock(endMs) + "  handshakes " + FleetReport.N(r.HandshakesDone) + " full, " + FleetReport.N(r.HandshakesResumed) + " resumed"
            + "  readings " + FleetReport.N(r.ReadingsDelivered) + "/" + FleetReport.N(r.ReadingsSent)
            + "  retransmits " + FleetReport.N(r.Retransmissions) + "  wall " + (_wall.ElapsedMilliseconds / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s";
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine(line);
            return;
        }
        Console.Error.Write("\r" + line.PadRight(_width));
        _width = line.Length;
    }

    public void Finish()
    {
        if (enabled && _width > 0)
        {
            Console.Error.WriteLine();
        }
    }

    public double WallSeconds => _wall.Elapsed.TotalSeconds;

    private static string Clock(long ms)
    {
        long s = ms / 1000;
        return (s / 3600).ToString("0") + ":" + (s / 60 % 60).ToString("00") + ":" + (s % 60).ToString("00");
    }
}
