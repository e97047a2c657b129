namespace NfDtls.Senml
{
    /// <summary>
    /// One resolved SenML record (RFC 8428 §4.6): base name, time, unit and value already applied, so Name is
    /// the full name and Time the absolute (or, below 2^28, relative) time. Filled by <see cref="SenmlReader"/>.
    /// </summary>
    public sealed class SenmlRecord
    {
        public string Name;
        /// <summary>The base name in force for this record (§4.1), null when none: Name is BaseName + the record's own name.</summary>
        public string BaseName;
        /// <summary>Unit, null when none.</summary>
        public string Unit;
        public bool HasValue;
        public double Value;
        /// <summary>vs, null when none.</summary>
        public string StringValue;
        public bool HasBoolValue;
        public bool BoolValue;
        /// <summary>vd bytes, null when none.</summary>
        public byte[] DataValue;
        public bool HasSum;
        public double Sum;
        public double Time;
        public double UpdateTime;

        internal void Clear()
        {
            Name = null;
            BaseName = null;
            Unit = null;
            HasValue = false;
            Value = 0;
            StringValue = null;
            HasBoolValue = false;
            BoolValue = false;
            DataValue = null;
            HasSum = false;
            Sum = 0;
            Time = 0;
            UpdateTime = 0;
        }
    }
}
