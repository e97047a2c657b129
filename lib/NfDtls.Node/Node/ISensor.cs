namespace NfDtls.Node
{
    /// <summary>
    /// What a sensor node measures. <see cref="Read"/> fills the node's preallocated readings (set their fields, do not
    /// replace the objects, so the steady state allocates nothing) and returns how many it filled.
    /// </summary>
    public interface ISensor
    {
        int Read(SensorReading[] into, long nowMs);
    }
}
