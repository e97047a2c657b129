// Compiled twice, like InterpWorkloads.cs: into NfDtls.Bench and into the Mono interpreter bench.
#nullable disable
using NfDtls.Dtls;

namespace NfDtls.Bench.Interp
{
    /// <summary>DTLS events that only count the sessions connected: how a bench tells a handshake completed.</summary>
    internal sealed class ConnectionCounter : IDtlsEvents
    {
        public int Connected;

        public void OnConnected(DtlsSession session)
        {
            Connected++;
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
        {
        }

        public void OnAlert(DtlsSession session, int level, int description)
        {
        }

        public void OnClosed(DtlsSession session)
        {
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }
    }
}
