using System.Buffers;
using System.Text.Json;

namespace NfDtls.Desktop.Mqtt;

/// <summary>How a reading is encoded on MQTT.</summary>
public enum ReadingFormat
{
    /// <summary>A SenML pack of one record (RFC 8428 §5 JSON): [{"bn":"urn:dev:node-001:","n":"temperature","u":"Cel","v":21.5,"t":1.7e9}].</summary>
    SenML,

    /// <summary>A flat object: {"node":"node-001","name":"temperature","unit":"Cel","value":21.5,"time":"…Z","seq":7}.</summary>
    Json,
}

/// <summary>Encodes readings as MQTT payloads and names their topics.</summary>
public static class ReadingPayload
{
    /// <summary>"&lt;prefix&gt;/&lt;node-id&gt;/readings": one topic per node, so subscribers filter with "nfdtls/+/readings".</summary>
    public static string Topic(string prefix, string nodeId) => prefix + "/" + nodeId + "/readings";

    /// <summary>The SenML base name a node gives its records (as lib/NfDtls.Node/Node/ReadingPayload writes it): "urn:dev:&lt;node-id&gt;:".</summary>
    public static string BaseName(string nodeId) => "urn:dev:" + nodeId + ":";

    /// <summary>UTF-8 JSON; false (nothing written) for a value JSON cannot carry (NaN, ±infinity).</summary>
    public static bool TryEncode(NodeReading r, ReadingFormat format, out byte[] payload)
    {
        payload = Array.Empty<byte>();
        if (!double.IsFinite(r.Value))
        {
            return false;
        }
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (format == ReadingFormat.SenML)
            {
                // RFC 8428 §4.5.3: a time >= 2^28 is absolute, seconds since the Unix epoch.
                w.WriteStartArray();
                w.WriteStartObject();
                w.WriteString("bn", BaseName(r.NodeId));
                w.WriteString("n", r.Name);
                if (r.Unit.Length > 0)
                {
                    w.WriteString("u", r.Unit);
                }
                w.WriteNumber("v", r.Value);
                w.WriteNumber("t", r.Time.ToUnixTimeMilliseconds() / 1000.0);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("node", r.NodeId);
                w.WriteString("name", r.Name);
                w.WriteString("unit", r.Unit);
                w.WriteNumber("value", r.Value);
                w.WriteString("time", r.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                if (r.Sequence >= 0)
                {
                    w.WriteNumber("seq", r.Sequence);
                }
                w.WriteEndObject();
            }
        }
        payload = buffer.WrittenSpan.ToArray();
        return true;
    }
}
