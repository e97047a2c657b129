using System.Text.Json;

namespace NfDtls.Desktop.Gateway;

/// <summary>
/// Reads a SenML JSON pack (RFC 8428 §4, §5) as the gateway needs it: base unit/value resolved into each record, the
/// base name returned once (this profile's nodes send one per pack),
/// the record named "seq" taken as the sample's sequence number. Malformed input gives false, never an exception.
/// </summary>
public static class SenmlJsonReader
{
    public static bool TryRead(byte[] buffer, int offset, int count, out List<GatewayMeasurement> measurements, out long sequence, out string baseName)
    {
        measurements = new List<GatewayMeasurement>();
        sequence = -1;
        baseName = "";
        try
        {
            using var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(buffer, offset, count));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            string baseUnit = "";
            double baseValue = 0;
            foreach (var record in doc.RootElement.EnumerateArray())
            {
                if (record.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                if (record.TryGetProperty("bn", out var bn)) baseName = bn.GetString() ?? "";
                if (record.TryGetProperty("bu", out var bu)) baseUnit = bu.GetString() ?? "";
                if (record.TryGetProperty("bv", out var bv)) baseValue = bv.GetDouble();
                string name = record.TryGetProperty("n", out var n) ? n.GetString() ?? "" : "";
                if (!record.TryGetProperty("v", out var v))
                {
                    continue; // string/boolean/data values are not readings we forward
                }
                string unit = record.TryGetProperty("u", out var u) ? u.GetString() ?? "" : baseUnit;
                double value = baseValue + v.GetDouble();
                if (name == "seq")
                {
                    sequence = (long)value;
                    continue;
                }
                measurements.Add(new GatewayMeasurement(name, unit, value));
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
