using System.Net;
using NfDtls.Desktop.Net;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Desktop.Dtls;

/// <summary>
/// A DTLS server on a real UDP socket: the sans-IO <see cref="DtlsServer"/> driven by a <see cref="UdpEndpointHost"/>
/// loop. Events are raised on the socket thread with the engine lock held, so handlers may call
/// <see cref="SendFromHandler"/> directly (e.g. to echo). Application records come through the engine's
/// <see cref="IMessageReceiver"/> seam, so a Connection ID session that moves is reported as the engine decides it
/// (<see cref="PeerMoved"/>, RFC 9146 §6).
/// </summary>
public sealed class DtlsUdpServer : IDisposable, IDtlsEvents, IMessageReceiver
{
    private readonly UdpEndpointHost _host;
    private readonly DtlsServer _server;
    private long _now;

    public DtlsUdpServer(IPEndPoint listen, IPskStore keys, DtlsConfig? config = null)
    {
        config ??= DtlsUdpClient.DefaultConfig();
        _host = new UdpEndpointHost(listen, 65535);
        _server = new DtlsServer(config, _host, keys, this);
        _server.Receiver = this;
    }

    public IPEndPoint LocalEndPoint => _host.LocalEndPoint;

    public DtlsServer Engine => _server;

    public event Action<DtlsSession>? Connected;

    /// <summary>An application record (buffer valid only during the call).</summary>
    public event Action<DtlsSession, byte[], int, int>? DataReceived;

    public event Action<DtlsSession, int, int>? AlertReceived;

    /// <summary>
    /// A Connection ID session's peer moved (RFC 9146 §6: an authenticated record newer than any before it, with our
    /// CID, from another address): old address, new address. Raised before that record's data.
    /// </summary>
    public event Action<PeerAddress, PeerAddress>? PeerMoved;

    public event Action<DtlsSession>? Closed;

    /// <summary>A client named a PSK identity the key store does not hold (hidden from the client by default, RFC 4279 §2).</summary>
    public event Action<DtlsSession>? UnknownPskIdentity;

    public void Start() => _host.Start(new TimeKeeper(this));

    public int SessionCount => _host.Invoke(_ => _server.SessionCount);

    /// <summary>Runs <paramref name="action"/> on the engine's thread discipline (the host's lock) with the engine's time.</summary>
    public T Invoke<T>(Func<long, T> action) => _host.Invoke(action);

    public bool Send(PeerAddress peer, byte[] buffer, int offset, int count) => _host.Invoke(now => _server.Send(peer, buffer, offset, count, now));

    /// <summary>Send from inside an event handler (already on the socket thread, lock held).</summary>
    public bool SendFromHandler(PeerAddress peer, byte[] buffer, int offset, int count) => _server.Send(peer, buffer, offset, count, _now);

    public void Close(PeerAddress peer) => _host.Invoke(now => _server.Close(peer, now));

    void IDtlsEvents.OnConnected(DtlsSession session) => Connected?.Invoke(session);

    /// <summary>Not called: application data comes through <see cref="IMessageReceiver.OnMessage"/>.</summary>
    void IDtlsEvents.OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => DataReceived?.Invoke(session, buffer, offset, count);

    void IMessageReceiver.OnMessage(PeerAddress peer, byte[] buffer, int offset, int count, long nowMs)
    {
        // The delivering session owns its address in the server's index (a moved session takes it over), so this
        // finds the session the record was opened by.
        DtlsSession? session = _server.FindSession(peer);
        if (session != null)
        {
            DataReceived?.Invoke(session, buffer, offset, count);
        }
    }

    void IMessageReceiver.OnPeerMoved(PeerAddress from, PeerAddress to) => PeerMoved?.Invoke(from, to);

    void IDtlsEvents.OnAlert(DtlsSession session, int level, int description) => AlertReceived?.Invoke(session, level, description);

    void IDtlsEvents.OnClosed(DtlsSession session) => Closed?.Invoke(session);

    void IDtlsEvents.OnUnknownPskIdentity(DtlsSession session) => UnknownPskIdentity?.Invoke(session);

    public void Dispose() => _host.Dispose();

    /// <summary>Remembers the time of the call in progress so handlers can send with it.</summary>
    private sealed class TimeKeeper(DtlsUdpServer owner) : IDatagramEndpoint
    {
        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            owner._now = nowMs;
            owner._server.Receive(buffer, offset, count, from, nowMs);
        }

        public void Tick(long nowMs)
        {
            owner._now = nowMs;
            owner._server.Tick(nowMs);
        }

        public long NextDeadline => owner._server.NextDeadline;
    }
}
