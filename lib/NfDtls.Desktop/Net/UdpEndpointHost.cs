using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NfDtls.Net;

namespace NfDtls.Desktop.Net;

/// <summary>
/// Binds a sans-IO <see cref="IDatagramEndpoint"/> to a real UDP socket: a background loop receives with a timeout equal
/// to the endpoint's next deadline and calls it; every call into the endpoint (from the loop or from
/// <see cref="Invoke"/>) happens under one lock, so engines stay single-threaded. Time is a monotonic clock in ms.
/// </summary>
public sealed class UdpEndpointHost : IDatagramSink, IDisposable
{
    private readonly Socket _socket;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly byte[] _receiveBuffer;
    private readonly PeerAddress _from = new();
    private readonly Thread _thread;
    private IDatagramEndpoint? _endpoint;
    private volatile bool _stopping;

    /// <param name="bind">Local address to bind (port 0 for any).</param>
    /// <param name="maxDatagram">Receive buffer size: at least the largest datagram a peer may send, or it is truncated.</param>
    public UdpEndpointHost(IPEndPoint bind, int maxDatagram = 65535)
    {
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bind.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = true;
        }
        _socket.Bind(bind);
        _receiveBuffer = new byte[maxDatagram];
        _thread = new Thread(Loop) { IsBackground = true, Name = "udp-endpoint " + bind };
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Milliseconds on the host's monotonic clock: the time engines are given.</summary>
    public long NowMs => _clock.ElapsedMilliseconds;

    /// <summary>Starts the loop driving <paramref name="endpoint"/>.</summary>
    public void Start(IDatagramEndpoint endpoint)
    {
        _endpoint = endpoint;
        _thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the endpoint under the host's lock with the current time, then wakes the loop.</summary>
    public T Invoke<T>(Func<long, T> action)
    {
        lock (_gate)
        {
            return action(NowMs);
        }
    }

    public void Invoke(Action<long> action)
    {
        lock (_gate)
        {
            action(NowMs);
        }
    }

    /// <summary>IDatagramSink: engines send through the socket.</summary>
    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        try
        {
            _socket.SendTo(buffer, offset, count, SocketFlags.None, ToEndPoint(destination));
        }
        catch (SocketException)
        {
            // UDP is lossy by nature; the engine's own retransmission deals with it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Loop()
    {
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping)
        {
            long wait;
            lock (_gate)
            {
                long deadline = _endpoint!.NextDeadline;
                long now = NowMs;
                if (deadline <= now)
                {
                    _endpoint.Tick(now);
                    continue;
                }
                wait = deadline == long.MaxValue ? 50 : Math.Min(50, deadline - now);
            }
            try
            {
                // Short polls keep Invoke()-queued work (new requests, sends) moving without a wake-up channel.
                if (!_socket.Poll((int)Math.Max(1, wait) * 1000, SelectMode.SelectRead))
                {
                    continue;
                }
                EndPoint remote = any;
                int n = _socket.ReceiveFrom(_receiveBuffer, 0, _receiveBuffer.Length, SocketFlags.None, ref remote);
                FromEndPoint((IPEndPoint)remote, _from);
                lock (_gate)
                {
                    _endpoint!.Receive(_receiveBuffer, 0, n, _from, NowMs);
                }
            }
            catch (SocketException)
            {
                // ICMP port unreachable surfaces as ConnectionReset on some platforms: ignore, as UDP does.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public static void FromEndPoint(IPEndPoint ep, PeerAddress into)
    {
        IPAddress address = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address;
        byte[] bytes = address.GetAddressBytes();
        into.Set(bytes, 0, bytes.Length, ep.Port);
    }

    public static IPEndPoint ToEndPoint(PeerAddress p)
    {
        byte[] bytes = new byte[p.AddressLength];
        p.CopyAddressTo(bytes, 0);
        return new IPEndPoint(new IPAddress(bytes), p.Port);
    }

    public static PeerAddress ToPeerAddress(IPEndPoint ep)
    {
        var p = new PeerAddress();
        FromEndPoint(ep, p);
        return p;
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        if (_thread.IsAlive)
        {
            _thread.Join(1000);
        }
    }
}
