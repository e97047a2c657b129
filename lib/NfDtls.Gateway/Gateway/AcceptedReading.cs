namespace NfDtls.Gateway
{
    /// <summary>
    /// One sample a node pushed, as the gateway accepted it (after de-duplication): which node, its sequence number
    /// (-1 when the pack had none), when it arrived (the gateway's clock, ms) and its measurements, each a SenML record's
    /// name without the pack's base name (RFC 8428 §4.5.1), unit ("" when none) and value. The gateway reuses one
    /// instance for every reading: an uplink that keeps anything copies it during <see cref="IReadingUplink.Accept"/>.
    /// </summary>
    public sealed class AcceptedReading
    {
        private readonly string[] _names;
        private readonly string[] _units;
        private readonly double[] _values;

        public AcceptedReading(int maxMeasurements)
        {
            _names = new string[maxMeasurements];
            _units = new string[maxMeasurements];
            _values = new double[maxMeasurements];
        }

        public NodeCredential Node;
        public long Sequence;
        public long ReceivedAtMs;
        /// <summary>The pack's base name ("urn:dev:&lt;id&gt;:" from this profile's nodes), "" when none.</summary>
        public string BaseName;
        public int Count;

        public string NodeId { get { return Node.Id; } }

        public string Name(int index)
        {
            return _names[index];
        }

        public string Unit(int index)
        {
            return _units[index];
        }

        public double Value(int index)
        {
            return _values[index];
        }

        /// <summary>Starts a new reading (the gateway fills one per accepted pack; a test or a replay may too).</summary>
        public void Start(NodeCredential node, long sequence, long receivedAtMs)
        {
            Node = node;
            Sequence = sequence;
            ReceivedAtMs = receivedAtMs;
            BaseName = "";
            Count = 0;
        }

        /// <summary>Adds a measurement; false when the reading is full.</summary>
        public bool Add(string name, string unit, double value)
        {
            if (Count == _names.Length)
            {
                return false;
            }
            _names[Count] = name;
            _units[Count] = unit != null ? unit : "";
            _values[Count] = value;
            Count++;
            return true;
        }
    }
}
