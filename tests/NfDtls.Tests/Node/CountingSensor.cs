using NfDtls.Node;

namespace NfDtls.Tests.Node;

/// <summary>A sensor whose one reading, "count", is how many times it was read (1, 2, 3...): each report is told apart.</summary>
internal sealed class CountingSensor : ISensor
{
    public int Reads;

    public int Read(SensorReading[] into, long nowMs)
    {
        Reads++;
        into[0].Set("count", "", Reads);
        return 1;
    }
}
