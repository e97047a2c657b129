using NfDtls.Coap;
using NfDtls.Coap.Secure;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Tests.Coap;

/// <summary>coaps:// endpoints for tests: a CoAP endpoint on the DTLS connectors, as one stack the network drives.</summary>
internal static class SecureStacks
{
    internal sealed record ClientSide(CoapStack Stack, CoapEndpoint Coap, DtlsClientConnector Connector)
    {
        public DtlsClient Dtls => Connector.Client;
    }

    internal sealed record ServerSide(CoapStack Stack, CoapEndpoint Coap, DtlsServerConnector Connector)
    {
        public DtlsServer Dtls => Connector.Server;
    }

    public static ClientSide Client(CoapConfig coap, DtlsConfig dtls, IDatagramSink sink, PeerAddress server, byte[] identity, byte[] key)
    {
        var connector = new DtlsClientConnector(dtls, sink, server, identity, key);
        coap.FitBlockSizeTo(dtls.MaxRecordPlaintext);
        var endpoint = new CoapEndpoint(coap, connector);
        connector.Receiver = endpoint;
        return new ClientSide(new CoapStack(connector, endpoint), endpoint, connector);
    }

    public static ServerSide Server(CoapConfig coap, DtlsConfig dtls, IDatagramSink sink, IPskStore keys)
    {
        var connector = new DtlsServerConnector(dtls, sink, keys);
        coap.FitBlockSizeTo(dtls.MaxRecordPlaintext);
        var endpoint = new CoapEndpoint(coap, connector);
        connector.Receiver = endpoint;
        return new ServerSide(new CoapStack(connector, endpoint), endpoint, connector);
    }
}
