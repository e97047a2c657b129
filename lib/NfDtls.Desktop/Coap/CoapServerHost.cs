using System.Net;
using NfDtls.Coap.Secure;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Desktop.Net;
using NfDtls.Dtls;

namespace NfDtls.Desktop.Coap;

/// <summary>
/// A CoAP server on a UDP socket, plain (coap://) or behind DTLS PSK (coaps://, when <c>keys</c> is given).
/// Add resources before <see cref="Start"/>; call <see cref="Notify"/> from any thread when an observable
/// resource changes (it runs on the host's lock).
/// </summary>
public sealed class CoapServerHost : IDisposable
{
    private readonly UdpEndpointHost _host;
    private readonly CoapStack _stack;

    public CoapServerHost(IPEndPoint bind, CoapConfig config, IPskStore? keys = null, DtlsConfig? dtlsConfig = null)
    {
        config.Random ??= new HmacDrbg(DesktopEntropySource.Instance);
        _host = new UdpEndpointHost(bind);
        if (keys == null)
        {
            _stack = CoapStack.OverUdp(config, _host);
            Endpoint = _stack.Coap;
            return;
        }
        dtlsConfig ??= new DtlsConfig();
        dtlsConfig.Random ??= new HmacDrbg(DesktopEntropySource.Instance);
        dtlsConfig.Crypto = DesktopCryptoProvider.Instance;
        // The DTLS server as CoAP's connector, in place (lib/NfDtls.Coap/Coap/Secure).
        var connector = new DtlsServerConnector(dtlsConfig, _host, keys);
        config.FitBlockSizeTo(dtlsConfig.MaxRecordPlaintext);
        Endpoint = new CoapEndpoint(config, connector);
        connector.Receiver = Endpoint;
        Dtls = connector.Server;
        _stack = new CoapStack(connector, Endpoint);
    }

    public CoapEndpoint Endpoint { get; }

    /// <summary>The DTLS server under coaps:// (null for coap://); touch it through <see cref="Invoke{T}"/> once started.</summary>
    public DtlsServer? Dtls { get; }

    public IPEndPoint LocalEndPoint => _host.LocalEndPoint;

    public bool AddResource(CoapResource resource) => Endpoint.AddResource(resource);

    public void Start() => _host.Start(_stack);

    /// <summary>Sends notifications for <paramref name="resource"/> to its observers; returns how many went out.</summary>
    public int Notify(CoapResource resource) => _host.Invoke(now => Endpoint.Notify(resource, now));

    /// <summary>Runs <paramref name="action"/> on the engine's thread discipline.</summary>
    public T Invoke<T>(Func<long, T> action) => _host.Invoke(action);

    public void Dispose() => _host.Dispose();
}
