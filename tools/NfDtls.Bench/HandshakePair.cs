using NfDtls.Bench.Interp;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Bench;

/// <summary>
/// A DTLS client and server engine back to back in memory (cookie exchange included), each side's own time counted
/// apart: one operation is one handshake, ClientHello to both sides connected, either full (the client forgets its
/// resumable session first) or resumed (the client offers the session of the handshake before: its ticket, RFC 5077,
/// or its session ID, RFC 5246 §7.3). The client reconnects from the same address, so the server replaces its session.
/// </summary>
internal sealed class HandshakePair
{
    private static readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 40000);
    private static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);

    private readonly DatagramQueue _toServer = new();
    private readonly DatagramQueue _toClient = new();
    private readonly ConnectionCounter _clientEvents = new();
    private readonly DtlsClient _client;
    private readonly DtlsServer _server;

    /// <summary>
    /// Nanoseconds of this thread's CPU time (<see cref="InterpClock"/>: the machine is shared, and load stretches wall
    /// time, not CPU time) spent inside the client's and the server's calls, less what reading the clock costs.
    /// </summary>
    public long ClientNanoseconds => _clientNs - _clientCalls * ClockCost;
    public long ServerNanoseconds => _serverNs - _serverCalls * ClockCost;
    public long Handshakes;

    private long _clientNs, _serverNs, _clientCalls, _serverCalls;

    /// <summary>What one clock reading adds to a timed call (a system call for the thread's CPU time), measured once.</summary>
    private static readonly long ClockCost = MeasureClockCost();

    private static long MeasureClockCost()
    {
        long best = long.MaxValue;
        for (int round = 0; round < 20; round++)
        {
            long t0 = InterpClock.Now();
            for (int i = 0; i < 1000; i++)
            {
                InterpClock.Now();
            }
            best = Math.Min(best, (InterpClock.Now() - t0) / 1001);
        }
        return best;
    }

    /// <param name="serverConfig">The server's config; its <see cref="DtlsConfig.SessionTickets"/> and <see cref="DtlsConfig.SessionCacheSize"/> say how it resumes.</param>
    public HandshakePair(DtlsConfig serverConfig, IPskStore keys, DtlsConfig clientConfig, byte[]? identity, byte[]? key)
    {
        _server = new DtlsServer(serverConfig, _toClient, keys, new ConnectionCounter());
        _client = new DtlsClient(clientConfig, _toServer, ServerAddress, identity!, key!, _clientEvents);
    }

    public DtlsClient Client => _client;
    public DtlsServer Server => _server;

    /// <summary>A PSK pair (TLS_PSK_WITH_AES_128_CCM_8): tickets and/or a session cache on the server as asked.</summary>
    public static HandshakePair Psk(ICryptoProvider crypto, bool tickets, int cacheSize)
    {
        byte[] identity = "bench-device"u8.ToArray();
        byte[] key = Convert.FromHexString("00112233445566778899aabbccddeeff");
        var keys = new PskTable(1);
        keys.Add(identity, key);
        DtlsConfig server = Config(crypto, CipherSuite.TlsPskWithAes128Ccm8, tickets, cacheSize);
        DtlsConfig client = Config(crypto, CipherSuite.TlsPskWithAes128Ccm8, tickets, 0);
        return new HandshakePair(server, keys, client, identity, key);
    }

    /// <summary>
    /// An ECDHE-ECDSA pair (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8) with raw public keys both ways (RFC 7250), as an rpk
    /// node and the gateway authenticate each other.
    /// </summary>
    public static HandshakePair Ecdhe(ICryptoProvider crypto, bool tickets, int cacheSize)
    {
        var (serverCredentials, clientCredentials) = EcdheHandshakeBench.Credentials(false);
        serverCredentials.RequestClientCertificate = true;
        serverCredentials.RequireClientCertificate = true;
        DtlsConfig server = Config(crypto, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, tickets, cacheSize);
        server.Ecdhe = serverCredentials;
        DtlsConfig client = Config(crypto, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, tickets, 0);
        client.Ecdhe = clientCredentials;
        return new HandshakePair(server, new PskTable(1), client, null, null);
    }

    private static DtlsConfig Config(ICryptoProvider crypto, int suite, bool tickets, int cacheSize) => new()
    {
        Crypto = crypto,
        Random = new HmacDrbg(DesktopEntropySource.Instance),
        CipherSuites = new[] { suite },
        SessionCapacity = 1,
        HandshakeBufferSize = 2048,
        FlightBufferSize = 2048,
        SessionTickets = tickets,
        SessionCacheSize = cacheSize,
    };

    /// <summary>One handshake: full when <paramref name="resume"/> is false, else the client offers its last session.</summary>
    public void Handshake(bool resume)
    {
        if (!resume)
        {
            _client.ForgetResumption();
        }
        int before = _clientEvents.Connected;
        long t = InterpClock.Now();
        _client.Connect(0);
        _clientNs += InterpClock.Now() - t;
        _clientCalls++;
        for (int round = 0; round < 20 && (_toServer.Count > 0 || _toClient.Count > 0); round++)
        {
            while (_toServer.TryDequeue(out byte[] d, out int n))
            {
                t = InterpClock.Now();
                _server.Receive(d, 0, n, ClientAddress, 0);
                _serverNs += InterpClock.Now() - t;
                _serverCalls++;
            }
            while (_toClient.TryDequeue(out byte[] d, out int n))
            {
                t = InterpClock.Now();
                _client.Receive(d, 0, n, ServerAddress, 0);
                _clientNs += InterpClock.Now() - t;
                _clientCalls++;
            }
        }
        if (_clientEvents.Connected != before + 1 || !_client.IsConnected)
        {
            throw new InvalidOperationException("bench handshake failed: " + _client.Session.Failure + " " + _client.Session.AlertDescription);
        }
        if (_client.Session.WasResumed != resume)
        {
            throw new InvalidOperationException(resume ? "the server did not resume the session" : "a full handshake was resumed");
        }
        Handshakes++;
    }
}
