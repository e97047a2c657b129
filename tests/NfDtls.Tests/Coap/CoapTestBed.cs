using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Net;
using NfDtls.Simulation;

namespace NfDtls.Tests.Coap;

/// <summary>Forwards to a sink that exists only after the endpoint is attached (the endpoint wants its sink at construction).</summary>
internal sealed class SinkRelay : IDatagramSink
{
    public IDatagramSink? Target;
    public void Send(byte[] buffer, int offset, int count, PeerAddress destination) => Target!.Send(buffer, offset, count, destination);
}

/// <summary>Collects what a client exchange reports.</summary>
internal sealed class Collector : ICoapResponseHandler
{
    public readonly List<(int Exchange, int Code, byte[] Payload, long Observe)> Responses = new();
    public readonly List<(int Exchange, int Reason)> Failures = new();

    public void OnResponse(int exchange, CoapMessage response, long nowMs) =>
        Responses.Add((exchange, response.Code, response.PayloadBuffer == null ? Array.Empty<byte>() : response.PayloadBuffer.AsSpan(response.PayloadOffset, response.PayloadLength).ToArray(),
            response.GetUInt(CoapOption.Observe, -1)));

    public void OnFailure(int exchange, int reason, long nowMs) => Failures.Add((exchange, reason));

    public int Done => Responses.Count + Failures.Count;
}

/// <summary>A text resource: GET returns the text, PUT replaces it, POST counts executions, DELETE clears.</summary>
internal sealed class TextResource : CoapResource
{
    public byte[] Body;
    public int Posts;
    public int Puts;

    public TextResource(string path, string text) : base(path)
    {
        Body = System.Text.Encoding.UTF8.GetBytes(text);
    }

    public TextResource(string path, byte[] body) : base(path)
    {
        Body = body;
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.SetPayload(Body, 0, Body.Length);
    }

    protected override void OnPut(CoapRequest request, CoapResponse response)
    {
        Puts++;
        Body = request.Payload == null ? Array.Empty<byte>() : request.Payload.AsSpan(request.PayloadOffset, request.PayloadLength).ToArray();
        response.Code = CoapCode.Changed;
    }

    protected override void OnPost(CoapRequest request, CoapResponse response)
    {
        Posts++;
        response.Code = CoapCode.Changed;
    }

    protected override void OnDelete(CoapRequest request, CoapResponse response)
    {
        Body = Array.Empty<byte>();
        response.Code = CoapCode.Deleted;
    }
}

/// <summary>An observable counter: GET returns the count as text (no allocation: digits into the response buffer).</summary>
internal sealed class CounterResource : CoapResource
{
    public int Value;

    public CounterResource(string path) : base(path)
    {
        Observable = true;
        ResourceType = "counter";
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        int n = NfDtls.Text.DecimalText.WriteInteger(Value, response.PayloadSpace, 0);
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.SetPayload(response.PayloadSpace, 0, n);
    }
}

/// <summary>A client endpoint and a server endpoint on a seeded virtual network.</summary>
internal sealed class CoapTestBed
{
    public readonly VirtualNetwork Net;
    public readonly CoapEndpoint Client;
    public readonly CoapEndpoint Server;
    /// <summary>What the network drives: each endpoint over its UDP connector.</summary>
    public readonly CoapStack ClientStack;
    public readonly CoapStack ServerStack;
    public readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 40000);
    public readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 5683);

    public CoapTestBed(int seed, LinkProfile profile, Action<CoapConfig>? configure = null)
    {
        Net = new VirtualNetwork(seed, profile);
        var cc = new CoapConfig { Seed = seed * 2 + 1 };
        var sc = new CoapConfig { Seed = seed * 2 + 2 };
        configure?.Invoke(cc);
        configure?.Invoke(sc);
        var cr = new SinkRelay();
        var sr = new SinkRelay();
        ClientStack = CoapStack.OverUdp(cc, cr);
        ServerStack = CoapStack.OverUdp(sc, sr);
        Client = ClientStack.Coap;
        Server = ServerStack.Coap;
        cr.Target = Net.Attach(ClientAddress, ClientStack);
        sr.Target = Net.Attach(ServerAddress, ServerStack);
    }

    public int Send(int method, string path, Collector c, byte[]? payload = null, bool con = true, int observe = -1)
    {
        CoapMessage m = Client.CreateMessage();
        m.Reset();
        m.Type = con ? CoapType.Confirmable : CoapType.NonConfirmable;
        m.Code = method;
        CoapUriPath.AddPathAndQuery(m, path);
        if (observe >= 0)
        {
            m.AddOptionUInt(CoapOption.Observe, (uint)observe);
        }
        if (payload != null)
        {
            m.SetPayload(payload, 0, payload.Length);
        }
        int h = Client.Request(m, ServerAddress, c, Net.Now);
        Net.Poke(ClientStack);
        return h;
    }
}
