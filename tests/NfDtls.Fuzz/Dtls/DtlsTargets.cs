using NfDtls.Fuzz.Harness;

namespace NfDtls.Fuzz.Dtls;

/// <summary>The DTLS server engine: input = setup byte (<see cref="DtlsSetup"/>) + datagram script from clients.</summary>
public sealed class DtlsServerTarget : FuzzTarget
{
    public override string Name => "dtls-server";

    public override string Description => "DtlsServer: records and handshake from up to 4 client addresses (setup byte + datagram script)";

    public override void Execute(byte[] data, int length)
    {
        if (length < 1)
        {
            return;
        }
        var h = new DtlsServerHarness(data[0]);
        var script = new DatagramScript(data, 1, length - 1);
        while (script.Next())
        {
            h.Deliver(script, data);
        }
        h.Drain();
        if (Verbose)
        {
            Console.Error.WriteLine("dtls-server: setup 0x" + data[0].ToString("x2") + ", handshakes completed " + h.Connected + ", datagrams sent " + h.DatagramsSent);
        }
    }
}

/// <summary>The DTLS client engine after its ClientHello: input = setup byte + datagram script from the server.</summary>
public sealed class DtlsClientTarget : FuzzTarget
{
    public override string Name => "dtls-client";

    public override string Description => "DtlsClient after its ClientHello: the server's flights (setup byte + datagram script)";

    public override void Execute(byte[] data, int length)
    {
        if (length < 1)
        {
            return;
        }
        var h = new DtlsClientHarness(data[0]);
        var script = new DatagramScript(data, 1, length - 1);
        while (script.Next())
        {
            h.Deliver(script, data);
        }
        h.Drain();
        if (Verbose)
        {
            Console.Error.WriteLine("dtls-client: setup 0x" + data[0].ToString("x2") + ", connected " + h.Connected + ", application data received " + h.DataReceived);
        }
    }
}
