using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;

namespace NfDtls.Desktop.Coap;

/// <summary>A response (or notification) copied out of the engine, safe to keep.</summary>
public sealed class CoapResult
{
    public int Code { get; init; }
    public byte[] Payload { get; init; } = Array.Empty<byte>();
    /// <summary>Content-Format, -1 when absent.</summary>
    public int ContentFormat { get; init; } = -1;
    /// <summary>Observe sequence number, -1 when absent.</summary>
    public long Observe { get; init; } = -1;
    public long MaxAge { get; init; } = -1;

    public bool IsSuccess => CoapCode.IsSuccess(Code);

    /// <summary>"2.05".</summary>
    public string CodeText => CoapCode.ToText(Code);

    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);

    internal static CoapResult From(CoapMessage m) => new()
    {
        Code = m.Code,
        Payload = m.PayloadBuffer == null ? Array.Empty<byte>() : m.PayloadBuffer.AsSpan(m.PayloadOffset, m.PayloadLength).ToArray(),
        ContentFormat = (int)m.GetUInt(CoapOption.ContentFormat, -1),
        Observe = m.GetUInt(CoapOption.Observe, -1),
        MaxAge = m.GetUInt(CoapOption.MaxAge, -1),
    };
}

/// <summary>What to send: method, path and query, body and the options the CLI exposes.</summary>
public sealed class CoapRequestSpec
{
    public int Method { get; init; } = CoapCode.Get;
    /// <summary>"/a/b?x=1" (percent-encoding allowed).</summary>
    public string PathAndQuery { get; init; } = "/";
    public byte[]? Payload { get; init; }
    public int ContentFormat { get; init; } = -1;
    public int Accept { get; init; } = -1;
    /// <summary>Block size for Block1/Block2 (16..1024), 0 for the endpoint's default.</summary>
    public int BlockSize { get; init; }
    public bool Confirmable { get; init; } = true;
    /// <summary>Uri-Host to send (RFC 7252 §6.4 step 5: omitted when it is the literal IP address).</summary>
    public string? UriHost { get; init; }
}

/// <summary>The exchange ended without a response (timeout, reset …); <see cref="Reason"/> is a <see cref="CoapFailure"/> value.</summary>
public sealed class CoapFailureException(int reason) : Exception("CoAP exchange failed: " + CoapFailure.ToText(reason))
{
    public int Reason { get; } = reason;
}

/// <summary>The DTLS handshake for coaps:// failed or timed out.</summary>
public sealed class CoapHandshakeException(string message, bool noAnswer = false) : Exception(message)
{
    /// <summary>The server never answered (nothing listening, or unreachable), as opposed to refusing the handshake.</summary>
    public bool NoAnswer { get; } = noAnswer;
}
