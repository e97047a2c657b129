using NfDtls.Fuzz.Harness;
using NfDtls.Senml;

namespace NfDtls.Fuzz.Senml;

/// <summary>
/// SenmlReader (RFC 8428) in one format: never throws, and a pack it reads writes back with SenmlWriter and reads
/// again to the same records (CBOR exactly; JSON numbers to the writer's 15 significant digits). The gateway reads
/// its nodes' packs with this same reader (GatewayEndpoint).
/// </summary>
public sealed class SenmlTarget(int format) : FuzzTarget
{
    private const int Capacity = 16;
    private readonly SenmlReader _reader = new(Capacity);
    private readonly SenmlReader _again = new(Capacity);
    private readonly SenmlWriter _writer = new();
    private readonly byte[] _written = new byte[1 << 17];

    public override string Name => format == SenmlFormat.Cbor ? "senml-cbor" : "senml-json";

    public override string Description => format == SenmlFormat.Cbor
        ? "SenmlReader CBOR (RFC 8428 §6): read, write back, read again equal"
        : "SenmlReader JSON (RFC 8428 §5), as the gateway reads packs: read, write back, read again equal";

    public override void Execute(byte[] data, int length)
    {
        int n = _reader.Read(format, data, 0, length);
        FuzzFailure.Check(n >= -1 && n <= Capacity && (n < 0 || n == _reader.Count), "record count " + n);
        if (n <= 0)
        {
            return;
        }
        bool json = format == SenmlFormat.Json;
        _writer.Begin(format, _written, 0, _written.Length);
        for (int i = 0; i < n; i++)
        {
            SenmlRecord r = _reader.Record(i);
            if (json && !(double.IsFinite(r.Value) && double.IsFinite(r.Sum) && double.IsFinite(r.Time) && double.IsFinite(r.UpdateTime)))
            {
                return; // JSON has no NaN or infinities to write them with
            }
            _writer.BeginRecord();
            if (r.Name != null)
            {
                _writer.Name(r.Name);
            }
            if (r.Unit != null)
            {
                _writer.Unit(r.Unit);
            }
            if (r.HasValue)
            {
                _writer.Value(r.Value);
            }
            if (r.StringValue != null)
            {
                _writer.StringValue(r.StringValue);
            }
            if (r.HasBoolValue)
            {
                _writer.BoolValue(r.BoolValue);
            }
            if (r.DataValue != null)
            {
                _writer.DataValue(r.DataValue, 0, r.DataValue.Length);
            }
            if (r.HasSum)
            {
                _writer.Sum(r.Sum);
            }
            if (r.Time != 0)
            {
                _writer.Time(r.Time);
            }
            if (r.UpdateTime != 0)
            {
                _writer.UpdateTime(r.UpdateTime);
            }
            _writer.EndRecord();
        }
        int written = _writer.End();
        FuzzFailure.Check(written > 0, "the records read do not write back");
        int again = _again.Read(format, _written, 0, written);
        FuzzFailure.Check(again == n, "the written pack reads back as " + again + " records, not " + n + ": " + Show(written));
        for (int i = 0; i < n; i++)
        {
            SenmlRecord a = _reader.Record(i);
            SenmlRecord b = _again.Record(i);
            string where = "record " + i + " after the round trip (" + Show(written) + "): ";
            FuzzFailure.Check(a.Name == b.Name, where + "name");
            FuzzFailure.Check(a.Unit == b.Unit, where + "unit");
            FuzzFailure.Check(a.StringValue == b.StringValue, where + "string value");
            FuzzFailure.Check(a.HasValue == b.HasValue && Same(a.Value, b.Value, json), where + "value " + a.Value + " vs " + b.Value);
            FuzzFailure.Check(a.HasBoolValue == b.HasBoolValue && a.BoolValue == b.BoolValue, where + "bool");
            FuzzFailure.Check((a.DataValue == null) == (b.DataValue == null) && (a.DataValue == null || a.DataValue.AsSpan().SequenceEqual(b.DataValue)), where + "data");
            FuzzFailure.Check(a.HasSum == b.HasSum && Same(a.Sum, b.Sum, json), where + "sum");
            FuzzFailure.Check(Same(a.Time, b.Time, json), where + "time " + a.Time + " vs " + b.Time);
            FuzzFailure.Check(Same(a.UpdateTime, b.UpdateTime, json), where + "update time");
        }
    }

    private string Show(int written) => format == SenmlFormat.Json
        ? System.Text.Encoding.UTF8.GetString(_written, 0, Math.Min(written, 300))
        : Convert.ToHexString(_written, 0, Math.Min(written, 150));

    private static bool Same(double a, double b, bool approximately)
    {
        if (a.Equals(b))
        {
            return true; // also NaN == NaN
        }
        return approximately && Math.Abs(a - b) <= 1e-14 * Math.Max(Math.Abs(a), Math.Abs(b));
    }
}
