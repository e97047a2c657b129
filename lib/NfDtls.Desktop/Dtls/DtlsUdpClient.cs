using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Desktop.Net;
using NfDtls.Dtls;

namespace NfDtls.Desktop.Dtls;

/// <summary>
/// A DTLS client on a real UDP socket: the sans-IO <see cref="DtlsClient"/> driven by a <see cref="UdpEndpointHost"/>
/// loop. Blocking helpers (<see cref="Connect"/>, <see cref="Receive"/>) for tools and tests.
/// </summary>
public sealed class DtlsUdpClient : IDisposable, IDtlsEvents
{
    private readonly UdpEndpointHost _host;
    private readonly DtlsClient _client;
    private readonly BlockingCollection<byte[]> _received = new();
    private readonly ManualResetEventSlim _settled = new();

    public DtlsUdpClient(IPEndPoint server, byte[] pskIdentity, byte[] psk, DtlsConfig? config = null)
    {
        config ??= DefaultConfig();
        IPEndPoint bind = new(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _host = new UdpEndpointHost(bind, 65535);
        _client = new DtlsClient(config, _host, UdpEndpointHost.ToPeerAddress(server), pskIdentity, psk, this);
        _host.Start(_client);
    }

    /// <summary>Desktop defaults: System.Security.Cryptography, OS entropy, the RFC 6347 1 s initial timer.</summary>
    public static DtlsConfig DefaultConfig() => new()
    {
        Crypto = DesktopCryptoProvider.Instance,
        Random = new HmacDrbg(DesktopEntropySource.Instance),
        InitialRetransmitMs = 1000,
    };

    public DtlsSession Session => _client.Session;

    public bool IsConnected => _client.IsConnected;

    public IPEndPoint LocalEndPoint => _host.LocalEndPoint;

    /// <summary>Raised on the socket thread for each application record (the array is the caller's to keep).</summary>
    public event Action<byte[]>? DataReceived;

    public event Action<int, int>? AlertReceived;

    /// <summary>Handshakes; true when connected, false on failure or when <paramref name="timeout"/> passes.</summary>
    public bool Connect(TimeSpan timeout)
    {
        _settled.Reset();
        _host.Invoke(now => _client.Connect(now));
        _settled.Wait(timeout);
        return _client.IsConnected;
    }

    public bool Send(byte[] data) => Send(data, 0, data.Length);

    public bool Send(byte[] buffer, int offset, int count) => _host.Invoke(now => _client.Send(buffer, offset, count, now));

    /// <summary>Waits for the next application record; null on timeout or when the session ended.</summary>
    public byte[]? Receive(TimeSpan timeout) => _received.TryTake(out byte[]? d, timeout) ? d : null;

    public void Close() => _host.Invoke(now => _client.Close(now));

    /// <summary>
    /// Takes a state from <see cref="SaveResumption"/> (this or an earlier run) for the next <see cref="Connect"/> to
    /// offer (RFC 5246 §7.3, RFC 5077); false when malformed.
    /// </summary>
    public bool LoadResumption(byte[] state) => _host.Invoke(_ => _client.LoadResumption(state, 0, state.Length));

    /// <summary>The last session's resumable state (holds its master secret: keep it secret), or null when none.</summary>
    public byte[]? SaveResumption() => _host.Invoke(_ =>
    {
        var buffer = new byte[DtlsClient.MaxResumptionStateLength];
        int n = _client.SaveResumption(buffer, 0);
        return n > 0 ? buffer.AsSpan(0, n).ToArray() : null;
    });

    void IDtlsEvents.OnConnected(DtlsSession session) => _settled.Set();

    void IDtlsEvents.OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
    {
        byte[] copy = buffer.AsSpan(offset, count).ToArray();
        if (!_received.IsAddingCompleted)
        {
            _received.Add(copy);
        }
        DataReceived?.Invoke(copy);
    }

    void IDtlsEvents.OnAlert(DtlsSession session, int level, int description) => AlertReceived?.Invoke(level, description);

    void IDtlsEvents.OnUnknownPskIdentity(DtlsSession session)
    {
    }

    void IDtlsEvents.OnClosed(DtlsSession session)
    {
        _settled.Set();
        _received.CompleteAdding(); // a waiting Receive returns null once the session has ended
    }

    public void Dispose()
    {
        _host.Dispose();
        _settled.Dispose();
    }
}
