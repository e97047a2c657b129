using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>BouncyCastle's datagram transport over a connected UDP socket (a BouncyCastle DTLS peer in this process).</summary>
internal sealed class UdpSocketTransport(Socket socket) : DatagramTransport
{
    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => 1232;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!socket.Poll(Math.Max(1, waitMillis) * 1000, SelectMode.SelectRead))
        {
            return -1;
        }
        try
        {
            return socket.Receive(buffer);
        }
        catch (SocketException)
        {
            return -1;
        }
    }

    public void Send(byte[] buf, int off, int len) => socket.Send(buf, off, len, SocketFlags.None);

    public void Send(ReadOnlySpan<byte> buffer) => socket.Send(buffer);

    public void Close()
    {
    }
}
