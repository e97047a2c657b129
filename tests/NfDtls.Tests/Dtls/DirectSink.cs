using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// A link for allocation tests: queues datagrams during the handshake (engines are not re-entrant while handshaking),
/// then, once <see cref="Direct"/>, hands each datagram straight to <see cref="Target"/> through a preallocated buffer
/// (the given one, which the tests may share between both directions, or its own).
/// </summary>
internal sealed class DirectSink(PeerAddress from, byte[]? buffer = null) : IDatagramSink
{
    private readonly byte[] _buffer = buffer ?? new byte[2048];
    public readonly Queue<byte[]> Queue = new();
    public IDatagramEndpoint? Target;
    public bool Direct;

    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        if (!Direct)
        {
            Queue.Enqueue(buffer.AsSpan(offset, count).ToArray());
            return;
        }
        Array.Copy(buffer, offset, _buffer, 0, count);
        Target!.Receive(_buffer, 0, count, from, 0);
    }

    /// <summary>Delivers the datagrams queued so far to <see cref="Target"/>.</summary>
    public void Flush()
    {
        while (Queue.Count > 0)
        {
            byte[] d = Queue.Dequeue();
            Target!.Receive(d, 0, d.Length, from, 0);
        }
    }

    /// <summary>
    /// Links <paramref name="client"/> and <paramref name="server"/> through the two sinks, runs the handshake through
    /// their queues (ten rounds of delivery both ways), then switches both sinks to direct delivery.
    /// </summary>
    public static void HandshakeThenGoDirect(DirectSink toServer, DtlsServer server, DirectSink toClient, DtlsClient client)
    {
        toServer.Target = server;
        toClient.Target = client;
        client.Connect(0);
        for (int i = 0; i < 10; i++)
        {
            toServer.Flush();
            toClient.Flush();
        }
        toServer.Direct = true;
        toClient.Direct = true;
    }
}
