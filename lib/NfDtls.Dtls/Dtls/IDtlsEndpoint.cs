using NfDtls.Net;

namespace NfDtls.Dtls
{
    /// <summary>
    /// What <see cref="DtlsClient"/> and <see cref="DtlsServer"/> both are to a host: datagrams and time in
    /// (<see cref="IDatagramEndpoint"/>) and messages sealed in place out (<see cref="IMessageConnector"/>). Lets one
    /// adapter serve either engine through one field.
    /// </summary>
    public interface IDtlsEndpoint : IDatagramEndpoint, IMessageConnector
    {
    }
}
