using System.Text;
using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Desktop.Coap.Resources;
using NfDtls.Fuzz.Harness;
using NfDtls.Net;

namespace NfDtls.Fuzz.Coap;

/// <summary>
/// A CoapEndpoint serving what `nfdtls serve` serves (/hello, /large in blocks, observable /counter, /store for PUT and
/// POST with Block1) plus /later (a separate response), with small tables so limits are reached, a fixed seed, one
/// request of its own in flight to peer 0 (so responses reach the client path too) and a clock moved by the script.
/// Everything it sends must be a well-formed CoAP message within MaxMessageSize.
/// </summary>
public sealed class CoapServerHarness : IMessageConnector, ICoapResponseHandler
{
    public static readonly PeerAddress[] Peers =
    {
        PeerAddress.FromIPv4(127, 0, 0, 1, 40000), PeerAddress.FromIPv4(127, 0, 0, 1, 40001),
        PeerAddress.FromIPv4(127, 0, 0, 1, 40002), PeerAddress.FromIPv4(127, 0, 0, 2, 5683),
    };

    public readonly CoapEndpoint Endpoint;
    public readonly CoapConfig Config;
    private readonly CounterResource _counter = new("counter");
    private readonly LaterResource _later = new("later");
    private readonly CoapMessage _check = new(32, 2048);
    public long Now = 1_000_000;
    public Action<byte[], int, int, PeerAddress> Output;

    /// <summary>Seed generation: sees the harness before it sends its own request (to catch that request).</summary>
    public static Action<CoapServerHarness> BeforeRequest;

    public CoapServerHarness()
    {
        Config = new CoapConfig
        {
            Seed = 7,
            BlockSize = 256,
            BlockBufferCount = 2,
            BlockBufferSize = 2048,
            DedupCapacity = 8,
            ResponseCacheBytes = 512,
            ServerTransmitCapacity = 2,
            ObserverCapacity = 2,
            DeferredCapacity = 2,
            PendingCapacity = 2,
            ResponseBufferSize = 512,
        };
        Endpoint = new CoapEndpoint(Config, this);
        Endpoint.AddResource(new TextResource("hello", "Hello from nfdtls", "greeting"));
        Endpoint.AddResource(new LargeResource("large", 30));
        Endpoint.AddResource(_counter);
        Endpoint.AddResource(new StoreResource("store"));
        Endpoint.AddResource(_later);
        BeforeRequest?.Invoke(this);
        CoapMessage request = Endpoint.CreateMessage();
        request.Type = CoapType.Confirmable;
        request.Code = CoapCode.Get;
        request.AddOptionString(CoapOption.UriPath, "sensor");
        Endpoint.Request(request, Peers[0], this, Now);
    }

    public void Deliver(in DatagramScript step, byte[] data)
    {
        if (step.Ticks)
        {
            Now += step.AdvanceMs;
            Endpoint.Tick(Now);
        }
        if (step.Flag)
        {
            _counter.Increment();
            Endpoint.Notify(_counter, Now);
            _later.Answer(Endpoint, Now);
        }
        Endpoint.OnMessage(Peers[step.Peer], data, step.Offset, step.Length, Now);
    }

    public void Drain()
    {
        for (int i = 0; i < 8 && Endpoint.NextDeadline != long.MaxValue; i++)
        {
            Now = Math.Max(Now, Endpoint.NextDeadline);
            Endpoint.Tick(Now);
        }
    }

    // IMessageConnector: the endpoint writes each message into our buffer, then says how long it is.
    private readonly byte[] _datagram = new byte[2048];
    private PeerAddress _to;

    public bool BeginSend(PeerAddress peer, out byte[] buffer, out int offset, out int capacity)
    {
        FuzzFailure.Check(_to == null, "BeginSend twice without EndSend");
        _to = peer;
        buffer = _datagram;
        offset = 0;
        capacity = Config.MaxMessageSize;
        return true;
    }

    public bool EndSend(int count, long nowMs)
    {
        PeerAddress to = _to;
        _to = null;
        FuzzFailure.Check(to != null, "EndSend without BeginSend");
        FuzzFailure.Check(count >= 4 && count <= Config.MaxMessageSize, "CoAP datagram of " + count + " bytes");
        FuzzFailure.Check(CoapCodec.Decode(_datagram, 0, count, _check) == CoapCodec.Ok, "the endpoint sent a malformed CoAP message");
        Output?.Invoke(_datagram, 0, count, to);
        return true;
    }

    public void OnResponse(int exchange, CoapMessage response, long nowMs)
    {
    }

    public void OnFailure(int exchange, int reason, long nowMs)
    {
    }

    /// <summary>GET answers later, in a separate response (RFC 7252 §5.2.2).</summary>
    private sealed class LaterResource(string path) : CoapResource(path)
    {
        private static readonly byte[] Body = Encoding.ASCII.GetBytes("answered later");
        private readonly int[] _handles = { -1, -1 };

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            int handle = response.Defer();
            for (int i = 0; i < _handles.Length; i++)
            {
                if (_handles[i] < 0)
                {
                    _handles[i] = handle;
                    return;
                }
            }
        }

        public void Answer(CoapEndpoint endpoint, long now)
        {
            for (int i = 0; i < _handles.Length; i++)
            {
                if (_handles[i] >= 0)
                {
                    CoapResponse r = endpoint.DeferredResponse(_handles[i]);
                    if (r != null)
                    {
                        r.SetPayload(Body, 0, Body.Length);
                        endpoint.SendDeferred(_handles[i], now);
                    }
                    _handles[i] = -1;
                }
            }
        }
    }
}
