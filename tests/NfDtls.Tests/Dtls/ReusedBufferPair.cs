using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// A DTLS client and server back to back in memory (cookie exchange included) through datagram queues of reused
/// buffers, so driving a handshake allocates nothing beyond what the engines themselves do: the rig of the
/// allocation tests. The client reconnects from the same address, so the server replaces its session.
/// </summary>
internal sealed class ReusedBufferPair
{
    private readonly RingSink _toServer = new();
    private readonly RingSink _toClient = new();

    public readonly ConnectionCounts ServerEvents = new();
    public readonly ConnectionCounts ClientEvents = new();
    public readonly DtlsServer Server;
    public readonly DtlsClient Client;

    /// <param name="identity">The client's PSK identity (null for an ECDHE-only client).</param>
    public ReusedBufferPair(DtlsConfig serverConfig, IPskStore keys, DtlsConfig clientConfig, byte[]? identity, byte[]? key)
    {
        Server = new DtlsServer(serverConfig, _toClient, keys, ServerEvents);
        Client = new DtlsClient(clientConfig, _toServer, DtlsRig.ServerAddress, identity!, key!, ClientEvents);
    }

    /// <summary>One handshake at <paramref name="now"/>: the client connects and both sides' flights are delivered until none is left.</summary>
    public void Handshake(long now)
    {
        Client.Connect(now);
        for (int i = 0; i < 20 && (_toServer.Count > 0 || _toClient.Count > 0); i++)
        {
            while (_toServer.Count > 0)
            {
                _toServer.DeliverOne(Server, DtlsRig.ClientAddress, now);
            }
            while (_toClient.Count > 0)
            {
                _toClient.DeliverOne(Client, DtlsRig.ServerAddress, now);
            }
        }
    }

    /// <summary>Sessions connected, and how many of them were resumed.</summary>
    public sealed class ConnectionCounts : IDtlsEvents
    {
        public int Connected;
        public int Resumed;

        public void OnConnected(DtlsSession session)
        {
            Connected++;
            if (session.WasResumed)
            {
                Resumed++;
            }
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

    /// <summary>Datagrams queued in 32 reused 2048-byte buffers.</summary>
    private sealed class RingSink : IDatagramSink
    {
        private readonly byte[][] _buffers = Enumerable.Range(0, 32).Select(_ => new byte[2048]).ToArray();
        private readonly int[] _lengths = new int[32];
        private int _head;
        public int Count;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            int slot = (_head + Count) % _buffers.Length;
            Array.Copy(buffer, offset, _buffers[slot], 0, count);
            _lengths[slot] = count;
            Count++;
        }

        public void DeliverOne(IDatagramEndpoint to, PeerAddress from, long now)
        {
            byte[] d = _buffers[_head];
            int n = _lengths[_head];
            _head = (_head + 1) % _buffers.Length;
            Count--;
            to.Receive(d, 0, n, from, now);
        }
    }
}
