using System.Net;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Secure;
using NfDtls.Coap;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Desktop.Net;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Desktop.Coap;

/// <summary>
/// Task-based CoAP client over a UDP socket (coap://) or over DTLS PSK (coaps://): the portable
/// <see cref="CoapEndpoint"/> driven by a <see cref="UdpEndpointHost"/>; every call into the engine runs on the
/// host's lock, callbacks complete tasks asynchronously.
/// <code>
/// using var client = CoapClient.Connect(new IPEndPoint(IPAddress.Loopback, 5683));
/// CoapResult r = await client.SendAsync(new CoapRequestSpec { PathAndQuery = "/hello" }, ct);
/// </code>
/// </summary>
public sealed class CoapClient : IDisposable
{
    private readonly UdpEndpointHost _host;
    private readonly CoapEndpoint _coap;
    private readonly DtlsClient? _dtls;
    private readonly PeerAddress _server;
    private readonly TaskCompletionSource<bool> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Diagnostics (the CLI's -v).</summary>
    public Action<string>? Log { get; set; }

    private CoapClient(IPEndPoint server, CoapConfig config, byte[]? identity, byte[]? key, DtlsConfig? dtlsConfig, byte[]? resumption = null)
    {
        _server = UdpEndpointHost.ToPeerAddress(server);
        config.Random ??= new HmacDrbg(DesktopEntropySource.Instance);
        var bind = new IPEndPoint(server.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _host = new UdpEndpointHost(bind);
        if (identity == null && dtlsConfig?.Ecdhe == null)
        {
            var udp = CoapStack.OverUdp(config, _host);
            _coap = udp.Coap;
            _handshake.TrySetResult(true);
            _host.Start(udp);
            return;
        }
        dtlsConfig ??= new DtlsConfig();
        dtlsConfig.Random ??= new HmacDrbg(DesktopEntropySource.Instance);
        dtlsConfig.Crypto = DesktopCryptoProvider.Instance;
        // The DTLS client as CoAP's connector, in place (lib/NfDtls.Coap/Coap/Secure).
        var connector = new DtlsClientConnector(dtlsConfig, _host, _server, identity, key) { Events = new HandshakeEvents(this) };
        var dtls = _dtls = connector.Client;
        config.FitBlockSizeTo(dtlsConfig.MaxRecordPlaintext);
        _coap = new CoapEndpoint(config, connector);
        connector.Receiver = _coap;
        _host.Start(new CoapStack(connector, _coap));
        if (resumption != null)
        {
            dtls.LoadResumption(resumption, 0, resumption.Length);
        }
        _host.Invoke(now => dtls.Connect(now));
    }

    /// <summary>A coap:// client for <paramref name="server"/>.</summary>
    public static CoapClient Connect(IPEndPoint server, CoapConfig? config = null) => new(server, config ?? new CoapConfig(), null, null, null);

    /// <summary>
    /// A coaps:// client: completes when the DTLS handshake does; throws <see cref="CoapHandshakeException"/> on
    /// failure or timeout. PSK with <paramref name="identity"/> and <paramref name="key"/>; ECDHE-ECDSA (certificates
    /// or raw public keys) with <c>dtlsConfig.Ecdhe</c> and <c>dtlsConfig.CipherSuites</c> (identity and key may
    /// then be null).
    /// </summary>
    public static async Task<CoapClient> ConnectSecureAsync(IPEndPoint server, byte[]? identity, byte[]? key, TimeSpan timeout,
        CoapConfig? config = null, DtlsConfig? dtlsConfig = null, Action<string>? log = null, byte[]? resumption = null)
    {
        var client = new CoapClient(server, config ?? new CoapConfig(), identity, key, dtlsConfig, resumption) { Log = log };
        try
        {
            var done = await Task.WhenAny(client._handshake.Task, Task.Delay(timeout)).ConfigureAwait(false);
            if (done != client._handshake.Task)
            {
                // A server that answered every flight but our Finished could not authenticate it (RFC 4279: wrong
                // PSK for the identity, dropped silently): a refused handshake, not an absent server.
                // A server that kept answering but never accepted our Finished refused our key or certificate (servers
                // drop a Finished they cannot authenticate, RFC 6347 §4.1.2.7); one that went quiet is absent.
                // A server that went quiet after our Finished is not blamed on a key: loss looks the same.
                var (wrongPsk, refused, quietAfterFinished) = client._host.Invoke(_ =>
                    (client._dtls!.Session.LikelyWrongPsk, client._dtls!.Session.PeerRepeatedItsFlightAfterOurFinished, client._dtls!.Session.WaitingForPeerFinished));
                throw wrongPsk
                    ? new CoapHandshakeException("DTLS handshake failed: the server never accepted our Finished (wrong PSK for this identity?)")
                    : refused
                        ? new CoapHandshakeException("DTLS handshake failed: the server never accepted our flight (our certificate or key refused?)")
                        : quietAfterFinished
                            ? new CoapHandshakeException("DTLS handshake timed out after " + timeout.TotalSeconds + " s waiting for the server's Finished (it answered every flight before)", true)
                            : new CoapHandshakeException("DTLS handshake timed out after " + timeout.TotalSeconds + " s (no answer from the server)", true);
            }
            await client._handshake.Task.ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public CoapEndpoint Endpoint => _coap;

    /// <summary>coaps://: true when the DTLS session was resumed (an abbreviated handshake).</summary>
    public bool WasResumed => _dtls != null && _host.Invoke(_ => _dtls.Session.WasResumed);

    /// <summary>coaps://: the DTLS session's resumable state (secret: holds the master secret), or null when none.</summary>
    public byte[]? SaveResumption() => _dtls == null ? null : _host.Invoke(_ =>
    {
        var buffer = new byte[DtlsClient.MaxResumptionStateLength];
        int n = _dtls.SaveResumption(buffer, 0);
        return n > 0 ? buffer.AsSpan(0, n).ToArray() : null;
    });

    /// <summary>Sends one request; the task ends with the (reassembled) response, or throws <see cref="CoapFailureException"/>.</summary>
    public async Task<CoapResult> SendAsync(CoapRequestSpec spec, CancellationToken cancellationToken = default)
    {
        var handler = new OneShot();
        int handle = _host.Invoke(now =>
        {
            CoapMessage m = Build(spec, -1);
            int h = _coap.Request(m, _server, handler, now);
            Log?.Invoke("sent " + Describe(spec) + (h < 0 ? " (no free exchange)" : ""));
            return h;
        });
        if (handle < 0)
        {
            throw new InvalidOperationException("no free exchange slot");
        }
        using (cancellationToken.Register(() =>
        {
            _host.Invoke(now => _coap.Cancel(handle, false, now));
            handler.Result.TrySetCanceled(cancellationToken);
        }))
        {
            return await handler.Result.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Observes a resource (RFC 7641): <paramref name="onNotification"/> gets the first response and every
    /// notification; return false from it (or cancel) to stop, which deregisters with GET Observe=1.
    /// Returns the last result; throws <see cref="CoapFailureException"/> if the exchange fails.
    /// </summary>
    public async Task<CoapResult?> ObserveAsync(CoapRequestSpec spec, Func<CoapResult, bool> onNotification, CancellationToken cancellationToken = default)
    {
        var handler = new Observing(onNotification);
        int handle = _host.Invoke(now =>
        {
            int h = _coap.Request(Build(spec, 0), _server, handler, now);
            Log?.Invoke("sent " + Describe(spec) + " Observe=0");
            return h;
        });
        if (handle < 0)
        {
            throw new InvalidOperationException("no free exchange slot");
        }
        handler.Handle = handle;
        using (cancellationToken.Register(() => handler.Stop.TrySetResult(true)))
        {
            var first = await Task.WhenAny(handler.Stop.Task, handler.Ended.Task).ConfigureAwait(false);
            if (first == handler.Ended.Task)
            {
                return await handler.Ended.Task.ConfigureAwait(false); // observation refused or failed
            }
        }
        // Deregister (RFC 7641 §3.6) and give the server a moment to answer.
        bool sent = _host.Invoke(now => _coap.Cancel(handle, true, now));
        if (sent)
        {
            await Task.WhenAny(handler.Ended.Task, Task.Delay(2000)).ConfigureAwait(false);
        }
        return handler.Last;
    }

    private CoapMessage Build(CoapRequestSpec spec, int observe)
    {
        CoapMessage m = _coap.CreateMessage();
        m.Reset();
        m.Type = spec.Confirmable ? CoapType.Confirmable : CoapType.NonConfirmable;
        m.Code = spec.Method;
        if (!string.IsNullOrEmpty(spec.UriHost))
        {
            m.AddOptionString(CoapOption.UriHost, spec.UriHost);
        }
        CoapUriPath.AddPathAndQuery(m, spec.PathAndQuery);
        if (observe >= 0)
        {
            m.AddOptionUInt(CoapOption.Observe, (uint)observe);
        }
        if (spec.ContentFormat >= 0)
        {
            m.AddOptionUInt(CoapOption.ContentFormat, (uint)spec.ContentFormat);
        }
        if (spec.Accept >= 0)
        {
            m.AddOptionUInt(CoapOption.Accept, (uint)spec.Accept);
        }
        if (spec.BlockSize > 0)
        {
            int szx = BlockOption.SzxForSize(spec.BlockSize);
            if (szx < 0)
            {
                throw new ArgumentException("block size must be a power of two from 16 to 1024");
            }
            // Early negotiation (RFC 7959 §2.4): ask for blocks of this size; uploads use it too.
            if (spec.Method == CoapCode.Get || spec.Method == CoapCode.Delete || spec.Payload == null)
            {
                m.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, false, szx));
            }
            else
            {
                m.AddOptionUInt(CoapOption.Block1, BlockOption.Encode(0, false, szx));
            }
        }
        if (spec.Payload != null)
        {
            m.SetPayload(spec.Payload, 0, spec.Payload.Length);
        }
        return m;
    }

    private static string Describe(CoapRequestSpec spec) =>
        CoapCode.ToText(spec.Method) + " " + spec.PathAndQuery + (spec.Payload != null ? " (" + spec.Payload.Length + " bytes)" : "") + (spec.Confirmable ? " CON" : " NON");

    public void Dispose()
    {
        if (_dtls != null)
        {
            try
            {
                _host.Invoke(now => _dtls.Close(now));
            }
            catch (ObjectDisposedException)
            {
            }
        }
        _host.Dispose();
    }

    private sealed class OneShot : ICoapResponseHandler
    {
        public readonly TaskCompletionSource<CoapResult> Result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void OnResponse(int exchange, CoapMessage response, long nowMs) => Result.TrySetResult(CoapResult.From(response));
        public void OnFailure(int exchange, int reason, long nowMs) => Result.TrySetException(new CoapFailureException(reason));
    }

    private sealed class Observing(Func<CoapResult, bool> onNotification) : ICoapResponseHandler
    {
        public int Handle;
        public CoapResult? Last;
        public readonly TaskCompletionSource<bool> Stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource<CoapResult?> Ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnResponse(int exchange, CoapMessage response, long nowMs)
        {
            var r = CoapResult.From(response);
            Last = r;
            if (Stop.Task.IsCompleted)
            {
                if (r.Observe < 0)
                {
                    Ended.TrySetResult(r); // the deregistration's answer
                }
                return;
            }
            bool more = onNotification(r);
            if (r.Observe < 0)
            {
                Ended.TrySetResult(r); // not (or no longer) observing: that was the final response
            }
            else if (!more)
            {
                Stop.TrySetResult(true);
            }
        }

        public void OnFailure(int exchange, int reason, long nowMs) => Ended.TrySetException(new CoapFailureException(reason));
    }

    private sealed class HandshakeEvents(CoapClient owner) : IDtlsEvents
    {
        public void OnConnected(DtlsSession session)
        {
            owner.Log?.Invoke("DTLS connected, cipher suite 0x" + session.CipherSuite.ToString("x4"));
            owner._handshake.TrySetResult(true);
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
        }

        public void OnAlert(DtlsSession session, int level, int description) => owner.Log?.Invoke("DTLS alert level " + level + " description " + description);

        public void OnClosed(DtlsSession session) =>
            owner._handshake.TrySetException(new CoapHandshakeException("DTLS session closed: " + session.Failure + (session.AlertDescription != 0 ? " (alert " + session.AlertDescription + ")" : "")));

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }
    }
}
