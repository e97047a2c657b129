using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Fuzz.Harness;

namespace NfDtls.Fuzz.Coap;

/// <summary>
/// CoapCodec (RFC 7252 §3): input = one mode byte (bit 0: small option tables, 4 options / 24 bytes) + a datagram.
/// Decode must not throw; a message decoded Ok must encode back to exactly the same bytes, and decode again equal.
/// </summary>
public sealed class CoapCodecTarget : FuzzTarget
{
    private readonly CoapMessage _large = new(16, 320);
    private readonly CoapMessage _small = new(4, 24);
    private readonly CoapMessage _again = new(16, 320);
    private readonly byte[] _encoded = new byte[70000];

    public override string Name => "coap-codec";

    public override string Description => "CoapCodec.Decode/Encode: decode, then encode(decode(x)) == x and decodes equal";

    public override void Execute(byte[] data, int length)
    {
        if (length < 1)
        {
            return;
        }
        CoapMessage m = (data[0] & 1) != 0 ? _small : _large;
        int verdict = CoapCodec.Decode(data, 1, length - 1, m);
        FuzzFailure.Check(verdict == CoapCodec.Ok || verdict == CoapCodec.Ignore || verdict == CoapCodec.FormatError, "verdict " + verdict);
        CoapCodec.PeekHeader(data, 1, length - 1, out _, out _);
        if (verdict != CoapCodec.Ok)
        {
            return;
        }
        FuzzFailure.Check(m.TokenLength <= CoapMessage.MaxTokenLength, "token length");
        for (int i = 0; i < m.OptionCount; i++)
        {
            FuzzFailure.Check(i == 0 || m.OptionNumber(i - 1) <= m.OptionNumber(i), "options in order");
            m.OptionUInt(i);
            FuzzFailure.Check(m.FindOption(m.OptionNumber(i)) >= 0, "an option is found by its number");
        }
        int n = CoapCodec.Encode(m, _encoded, 0, _encoded.Length);
        FuzzFailure.Check(n == length - 1, "encode(decode(x)) is " + n + " bytes, x is " + (length - 1));
        FuzzFailure.Check(_encoded.AsSpan(0, n).SequenceEqual(data.AsSpan(1, length - 1)), "encode(decode(x)) != x");
        FuzzFailure.Check(CoapCodec.Decode(_encoded, 0, n, _again) == CoapCodec.Ok, "encode(decode(x)) decodes");
        FuzzFailure.Check(_again.Type == m.Type && _again.Code == m.Code && _again.MessageId == m.MessageId
            && _again.TokenLength == m.TokenLength && _again.TokenEquals(m.Token, m.TokenLength)
            && _again.OptionCount == m.OptionCount && _again.PayloadLength == m.PayloadLength, "decode(encode(decode(x))) header");
        for (int i = 0; i < m.OptionCount; i++)
        {
            FuzzFailure.Check(_again.OptionNumber(i) == m.OptionNumber(i)
                && _again.OptionBuffer(i).AsSpan(_again.OptionOffset(i), _again.OptionLength(i)).SequenceEqual(m.OptionBuffer(i).AsSpan(m.OptionOffset(i), m.OptionLength(i))),
                "option " + i + " differs after the round trip");
        }
        FuzzFailure.Check(_again.SameOptions(m, CoapOption.UriPath) && _again.SameOptions(m, CoapOption.ETag), "SameOptions after the round trip");
    }
}
