namespace NfDtls.Desktop.Mqtt;

/// <summary>
/// Where the gateway hands each accepted reading. <see cref="Accept"/> is called on the gateway's receive path, so an
/// implementation returns at once (queue, don't wait on a network) and never throws for a bad reading.
/// </summary>
public interface IReadingSink
{
    void Accept(NodeReading reading);
}
