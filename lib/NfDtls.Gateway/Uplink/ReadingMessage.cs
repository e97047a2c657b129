using NfDtls.Senml;

namespace NfDtls.Uplink
{
    /// <summary>
    /// One measurement as the gateways publish it on MQTT, the same from the board and from the desktop host: topic
    /// "&lt;prefix&gt;/&lt;node id&gt;/readings" and a SenML JSON pack of one record (RFC 8428 §5)
    /// <c>[{"bn":"urn:dev:node-001:","n":"temperature","u":"Cel","v":21.5,"t":1767225600.123}]</c>, the time absolute
    /// (§4.5.3: seconds since the Unix epoch) and left out while the gateway does not know the calendar time.
    /// </summary>
    public sealed class ReadingMessage
    {
        private readonly SenmlWriter _writer = new SenmlWriter();

        public static string Topic(string prefix, string nodeId)
        {
            return string.Concat(prefix, "/", nodeId, "/readings");
        }

        public static string BaseName(string nodeId)
        {
            return string.Concat("urn:dev:", nodeId, ":");
        }

        /// <summary>
        /// False for an id that is not one MQTT topic level (MQTT 3.1.1 §4.7: '/', '+' and '#' would change which
        /// subscribers see the reading; U+0000 is not allowed in a topic at all).
        /// </summary>
        public static bool IsTopicLevel(string nodeId)
        {
            if (nodeId == null || nodeId.Length == 0)
            {
                return false;
            }
            for (int i = 0; i < nodeId.Length; i++)
            {
                char c = nodeId[i];
                if (c == '/' || c == '+' || c == '#' || c == '\0')
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>
        /// Writes the pack; returns its length, or -1 when it does not fit or the value is not a JSON number (NaN,
        /// infinity). <paramref name="hasTime"/> false leaves "t" out.
        /// </summary>
        public int Write(string nodeId, string name, string unit, double value, bool hasTime, double unixSeconds,
            byte[] buffer, int offset, int capacity)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return -1;
            }
            SenmlWriter w = _writer;
            w.Begin(SenmlFormat.Json, buffer, offset, capacity);
            w.BeginRecord();
            w.BaseName(BaseName(nodeId));
            w.Name(name);
            if (unit != null && unit.Length > 0)
            {
                w.Unit(unit);
            }
            w.Value(value);
            if (hasTime)
            {
                w.Time(unixSeconds);
            }
            w.EndRecord();
            return w.End();
        }
    }
}
