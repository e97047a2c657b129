using System.Net;
using NfDtls.Coap;
using NfDtls.Desktop.Coap;
using NfDtls.Desktop.Coap.Resources;
using NfDtls.Dtls;
using NfDtls.Interop.Tests.Peers;

namespace NfDtls.Interop.Tests.Coap;

/// <summary>Runs libcoap's coap-client-gnutls to completion and hands back exit code and output.</summary>
internal static class LibcoapRunner
{
    public const string Psk = "secretPSK";
    public const string Identity = "device-1";
    public static readonly byte[] PskBytes = System.Text.Encoding.ASCII.GetBytes(Psk);

    public static (int Exit, string Stdout, string Stderr) Client(params string[] args)
    {
        using var p = PeerProcess.Start("coap-client-gnutls", new[] { "-B", "20" }.Concat(args), redirectStdin: false);
        if (!p.WaitForExit(TimeSpan.FromSeconds(40)))
        {
            throw new TimeoutException("coap-client-gnutls did not finish: " + p.Output);
        }
        return (p.ExitCode, p.Stdout, p.Stderr);
    }

    /// <summary>Starts coap-server-gnutls (coap on the port, coaps on port+1 with the PSK) and waits until it answers.</summary>
    public static PeerProcess Server(out int port)
    {
        port = FreePair();
        var p = PeerProcess.Start("coap-server-gnutls", new[] { "-A", "127.0.0.1", "-p", port.ToString(), "-k", Psk, "-d", "10", "-v", "4" }, redirectStdin: false);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            using var c = CoapClient.Connect(new IPEndPoint(IPAddress.Loopback, port), new CoapConfig { AckTimeoutMs = 200, MaxRetransmit = 1 });
            try
            {
                if (c.SendAsync(new CoapRequestSpec { PathAndQuery = "/" }).Wait(2000))
                {
                    return p;
                }
            }
            catch (AggregateException)
            {
            }
            if (p.HasExited)
            {
                break;
            }
        }
        p.Dispose();
        throw new InvalidOperationException("coap-server-gnutls did not come up");
    }

    /// <summary>A free UDP port whose successor is free too (coap-server takes port+1 for coaps).</summary>
    public static int FreePair()
    {
        for (int i = 0; i < 50; i++)
        {
            int port = PeerProcess.FreeUdpPort();
            if (port < 65535)
            {
                try
                {
                    using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
                    s.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                    return port;
                }
                catch (System.Net.Sockets.SocketException)
                {
                }
            }
        }
        throw new InvalidOperationException("no free port pair");
    }
}

/// <summary>Our server with the `nfdtls serve` resources, plain or coaps, notifying observers every 300 ms.</summary>
internal sealed class OurServer : IDisposable
{
    private readonly Timer _timer;
    public readonly CoapServerHost Host;
    public readonly CounterResource Counter = new("counter");
    public readonly StoreResource Store = new("store", "initial");
    public readonly LargeResource Large = new("large");
    public readonly int Port;

    public OurServer(bool secure)
    {
        PskTable? keys = null;
        if (secure)
        {
            keys = new PskTable(1);
            keys.Add(System.Text.Encoding.UTF8.GetBytes(LibcoapRunner.Identity), LibcoapRunner.PskBytes);
        }
        Host = new CoapServerHost(new IPEndPoint(IPAddress.Loopback, 0),
            new CoapConfig { BlockBufferSize = 1 << 20, ObserverCapacity = 8, DedupCapacity = 64, ServerTransmitCapacity = 8 }, keys);
        Host.AddResource(new TextResource("hello", "Hello from nfdtls", "greeting"));
        Host.AddResource(Large);
        Host.AddResource(Counter);
        Host.AddResource(Store);
        Host.Start();
        Port = Host.LocalEndPoint.Port;
        _timer = new Timer(_ => { Counter.Increment(); Host.Notify(Counter); }, null, 300, 300);
    }

    public string Uri(string path) => (Host.Endpoint == null ? "" : "") + "coap://127.0.0.1:" + Port + path;

    public string SecureUri(string path) => "coaps://127.0.0.1:" + Port + path;

    public void Dispose()
    {
        _timer.Dispose();
        Host.Dispose();
    }
}
