namespace NfDtls.Node
{
    /// <summary>
    /// One measured value as SenML carries it (RFC 8428 §4.5): name, unit and numeric value. Mutable and reused:
    /// the node owns a fixed array of these and the sensor overwrites them.
    /// </summary>
    public sealed class SensorReading
    {
        /// <summary>SenML name ("n"), e.g. "temperature"; appended to the node's base name.</summary>
        public string Name = "";
        /// <summary>SenML unit ("u") from the RFC 8428 §12.1 registry, e.g. "Cel", "%RH"; empty for none.</summary>
        public string Unit = "";
        public double Value;

        public void Set(string name, string unit, double value)
        {
            Name = name;
            Unit = unit;
            Value = value;
        }

        public void CopyFrom(SensorReading other)
        {
            Name = other.Name;
            Unit = other.Unit;
            Value = other.Value;
        }
    }
}
