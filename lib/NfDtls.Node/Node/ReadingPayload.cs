using NfDtls.Senml;

namespace NfDtls.Node
{
    /// <summary>
    /// One sample as a SenML JSON pack (RFC 8428 §5): a base name "urn:dev:&lt;node id&gt;:" on the first record, one
    /// record per reading, and a last record "seq" numbering the sample so the gateway can drop a resent one.
    /// Written by the core's <see cref="SenmlWriter"/> into a caller's buffer; allocation-free.
    /// </summary>
    public sealed class ReadingPayload
    {
        public const string SequenceName = "seq";
        private readonly string _baseName;
        private readonly SenmlWriter _writer = new SenmlWriter();

        public ReadingPayload(string nodeId)
        {
            _baseName = string.Concat("urn:dev:", nodeId, ":");
        }

        /// <summary>
        /// Writes sample <paramref name="slot"/> of <paramref name="samples"/>; returns the bytes written, or -1 when
        /// <paramref name="capacity"/> is too small (or a value is not a number, which SenML cannot carry).
        /// </summary>
        public int Write(ReadingBacklog samples, int slot, byte[] buffer, int offset, int capacity)
        {
            SenmlWriter w = _writer;
            w.Begin(SenmlFormat.Json, buffer, offset, capacity);
            int count = samples.CountAt(slot);
            for (int i = 0; i < count; i++)
            {
                w.BeginRecord();
                if (i == 0)
                {
                    w.BaseName(_baseName);
                }
                w.Name(samples.NameAt(slot, i));
                string unit = samples.UnitAt(slot, i);
                if (unit != null && unit.Length > 0)
                {
                    w.Unit(unit);
                }
                w.Value(samples.ValueAt(slot, i));
                w.EndRecord();
            }
            long sequence = samples.SequenceAt(slot);
            w.BeginRecord();
            if (count == 0)
            {
                w.BaseName(_baseName);
            }
            w.Name(SequenceName);
            w.Value(sequence);
            w.EndRecord();
            return w.End();
        }
    }
}
