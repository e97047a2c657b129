namespace NfDtls.Fuzz.Harness;

/// <summary>
/// A fuzz input read as a sequence of datagrams, each as <c>[control:1][length:2, big-endian][payload]</c> (a length
/// past the end takes what is left). The control byte says who sends it and whether time passes first:
/// bits 0-1 peer index (0-3); bit 2 "advance the clock by (bits 3-6 + 1) × 500 ms and tick the engine first";
/// bit 7 is free for the target (the CoAP endpoint notifies its observers). A script holds at most
/// <see cref="MaxDatagrams"/> datagrams, so one input does bounded work.
/// </summary>
public struct DatagramScript
{
    public const int MaxDatagrams = 64;

    private readonly byte[] _data;
    private readonly int _end;
    private int _at;
    private int _count;

    public DatagramScript(byte[] data, int offset, int length)
    {
        _data = data;
        _at = offset;
        _end = offset + length;
        _count = 0;
        Control = 0;
        Offset = 0;
        Length = 0;
    }

    public int Control;
    public int Offset;
    public int Length;

    public readonly int Peer => Control & 3;
    public readonly bool Ticks => (Control & 4) != 0;
    public readonly long AdvanceMs => (((Control >> 3) & 0xF) + 1) * 500L;
    public readonly bool Flag => (Control & 0x80) != 0;

    public bool Next()
    {
        if (_at >= _end || _count >= MaxDatagrams)
        {
            return false;
        }
        Control = _data[_at++];
        int length = 0;
        for (int i = 0; i < 2; i++)
        {
            length = (length << 8) | (_at < _end ? _data[_at++] : 0);
        }
        Offset = _at;
        Length = Math.Min(length, _end - _at);
        _at += Length;
        _count++;
        return true;
    }

    /// <summary>Writes one entry of a script (the recorders and seed generators).</summary>
    public static void Write(Stream output, int control, byte[] payload, int offset, int length)
    {
        output.WriteByte((byte)control);
        output.WriteByte((byte)(length >> 8));
        output.WriteByte((byte)length);
        output.Write(payload, offset, length);
    }
}
