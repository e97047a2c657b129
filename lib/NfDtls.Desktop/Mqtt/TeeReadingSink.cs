namespace NfDtls.Desktop.Mqtt;

/// <summary>Hands every reading to several sinks in order (e.g. print it and forward it to MQTT).</summary>
public sealed class TeeReadingSink(params IReadingSink[] sinks) : IReadingSink
{
    public void Accept(NodeReading reading)
    {
        foreach (var s in sinks)
        {
            s.Accept(reading);
        }
    }
}
