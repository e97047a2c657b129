using NfDtls.Fuzz.Harness;

namespace NfDtls.Fuzz.Coap;

/// <summary>The CoAP endpoint, server side (and its one client exchange): input = a datagram script from 4 peers.</summary>
public sealed class CoapServerTarget : FuzzTarget
{
    public override string Name => "coap-server";

    public override string Description => "CoapEndpoint serving resources (blockwise, observe, separate responses): datagram script";

    public override void Execute(byte[] data, int length)
    {
        var h = new CoapServerHarness();
        var script = new DatagramScript(data, 0, length);
        while (script.Next())
        {
            h.Deliver(script, data);
        }
        h.Drain();
    }
}
