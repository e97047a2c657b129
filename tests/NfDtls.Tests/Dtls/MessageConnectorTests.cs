using NfDtls.Dtls;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// DtlsServer and DtlsClient as <see cref="IMessageConnector"/> (the CoAP seam): a message is written where its record
/// will be sealed, delivered where its record was decrypted, and a reply during delivery goes out on the session the
/// message came in on.
/// </summary>
public class MessageConnectorTests
{
    /// <summary>Records what arrives; replies "re:" + message through the connector during delivery when asked.</summary>
    private sealed class EchoReceiver(IMessageConnector connector) : IMessageReceiver
    {
        public readonly List<(PeerAddress Peer, byte[] Buffer, int Offset, string Text)> Messages = new();
        public readonly List<(PeerAddress From, PeerAddress To)> Moves = new();
        public bool Reply;
        public bool Keep = true;
        public int Count;

        public void OnMessage(PeerAddress peer, byte[] buffer, int offset, int count, long nowMs)
        {
            Count++;
            if (Keep)
            {
                var p = new PeerAddress();
                p.CopyFrom(peer);
                Messages.Add((p, buffer, offset, System.Text.Encoding.ASCII.GetString(buffer, offset, count)));
            }
            if (Reply)
            {
                Assert.True(connector.BeginSend(peer, out byte[] out_, out int at, out int capacity));
                Assert.True(capacity >= count + 3);
                out_[at] = (byte)'r';
                out_[at + 1] = (byte)'e';
                out_[at + 2] = (byte)':';
                Array.Copy(buffer, offset, out_, at + 3, count);
                Assert.True(connector.EndSend(count + 3, nowMs));
            }
        }

        public void OnPeerMoved(PeerAddress from, PeerAddress to)
        {
            var f = new PeerAddress();
            f.CopyFrom(from);
            var t = new PeerAddress();
            t.CopyFrom(to);
            Moves.Add((f, t));
        }
    }

    private static void Send(IMessageConnector connector, PeerAddress peer, string text)
    {
        Assert.True(connector.BeginSend(peer, out byte[] buffer, out int offset, out int capacity));
        Assert.True(capacity >= text.Length);
        System.Text.Encoding.ASCII.GetBytes(text, 0, text.Length, buffer, offset);
        Assert.True(connector.EndSend(text.Length, 0));
    }

    [Fact]
    public void MessagesAreDeliveredWhereTheyWereDecryptedAndARepliesDuringDeliveryReachTheSameSession()
    {
        var fabric = new DtlsFabric(DtlsRig.Config(1));
        var a = fabric.AddPsk(2);
        var b = fabric.AddPsk(3);
        Assert.True(fabric.Connect(a));
        Assert.True(fabric.Connect(b));
        var atServer = new EchoReceiver(fabric.Server) { Reply = true };
        fabric.Server.Receiver = atServer;
        var atA = new EchoReceiver(a.Client);
        var atB = new EchoReceiver(b.Client);
        a.Client.Receiver = atA;
        b.Client.Receiver = atB;

        Send(a.Client, DtlsRig.ServerAddress, "from a");
        byte[] datagram = a.ToServer.Queue.Dequeue();
        fabric.Server.Receive(datagram, 0, datagram.Length, a.Address, fabric.Now);
        // In place: the received datagram itself, right behind the record header and the explicit nonce (RFC 6347 §4.1).
        var m = Assert.Single(atServer.Messages);
        Assert.Same(datagram, m.Buffer);
        Assert.Equal(13 + 8, m.Offset);
        Assert.Equal("from a", m.Text);
        Assert.True(m.Peer.SameAs(a.Address));
        fabric.Pump();
        Assert.Equal("re:from a", Assert.Single(atA.Messages).Text);
        Assert.Empty(atB.Messages);

        Send(b.Client, DtlsRig.ServerAddress, "from b");
        fabric.Pump();
        Assert.Equal("re:from b", Assert.Single(atB.Messages).Text);
        Assert.Single(atA.Messages);
        Assert.Equal(0, a.Events.DataCount + b.Events.DataCount + fabric.ServerEvents.DataCount); // the receiver took it all
    }

    [Fact]
    public void TheLentSpaceIsTheRecordInTheDatagramBufferAndIsSealedThere()
    {
        var toServer = new SpySink();
        var toClient = new QueueSink();
        var serverEvents = new RecordingEvents();
        var server = new DtlsServer(DtlsRig.Config(1), toClient, DtlsFabric.Keys(), serverEvents);
        IMessageConnector client = new DtlsClient(DtlsRig.Config(2), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
        Assert.False(client.BeginSend(DtlsRig.ServerAddress, out _, out _, out _)); // no session yet
        ((DtlsClient)client).Connect(0);
        for (int i = 0; i < 10; i++)
        {
            while (toServer.Queue.Count > 0)
            {
                byte[] d = toServer.Queue.Dequeue();
                server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, 0);
            }
            while (toClient.Queue.Count > 0)
            {
                byte[] d = toClient.Queue.Dequeue();
                ((DtlsClient)client).Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
            }
        }
        Assert.True(((DtlsClient)client).IsConnected);

        Assert.True(client.BeginSend(DtlsRig.ServerAddress, out _, out _, out _));
        int sent = toServer.Queue.Count;
        Assert.False(client.EndSend(0, 0)); // 0 only gives the space back
        Assert.Equal(sent, toServer.Queue.Count);

        Assert.True(client.BeginSend(DtlsRig.ServerAddress, out byte[] buffer, out int offset, out int capacity));
        Assert.Equal(13 + 8, offset); // behind the record header and the explicit nonce (RFC 6347 §4.1, RFC 6655 §3)
        Assert.Equal(1024, capacity);
        Assert.False(client.BeginSend(DtlsRig.ServerAddress, out _, out _, out _)); // lent already
        buffer[offset] = 42;
        Assert.True(client.EndSend(1, 0));
        Assert.Same(buffer, toServer.Buffer); // sealed where it was written, and sent from there
        byte[] record = toServer.Queue.Dequeue();
        Assert.Equal(13 + 8 + 1 + 8, record.Length); // header, nonce, the byte, the CCM-8 tag
        Assert.False(client.EndSend(1, 0)); // nothing lent any more
        Assert.False(client.BeginSend(PeerAddress.FromIPv4(192, 0, 2, 1, 1), out _, out _, out _)); // not our server
        server.Receive(record, 0, record.Length, DtlsRig.ClientAddress, 0);
        Assert.Equal(new byte[] { 42 }, Assert.Single(serverEvents.Data)); // no receiver set: the events get it
    }

    private sealed class SpySink : IDatagramSink
    {
        public readonly Queue<byte[]> Queue = new();
        public byte[]? Buffer;

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            Buffer = buffer;
            Queue.Enqueue(buffer.AsSpan(offset, count).ToArray());
        }
    }

    [Fact]
    public void ConnectorSendsAndInPlaceDeliveryAllocateNothing()
    {
        var toServer = new DirectSink(DtlsRig.ClientAddress);
        var toClient = new DirectSink(DtlsRig.ServerAddress);
        var server = new DtlsServer(DtlsRig.Config(1), toClient, DtlsFabric.Keys(), new RecordingEvents());
        var client = new DtlsClient(DtlsRig.Config(2), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
        DirectSink.HandshakeThenGoDirect(toServer, server, toClient, client);
        Assert.True(client.IsConnected);
        var atServer = new EchoReceiver(server) { Reply = true, Keep = false };
        var atClient = new EchoReceiver(client) { Keep = false };
        server.Receiver = atServer;
        client.Receiver = atClient;
        for (int i = 0; i < 2000; i++) // warm-up past JIT tiering
        {
            SendBytes(client, 100);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            SendBytes(client, 100);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3000, atServer.Count);
        Assert.Equal(3000, atClient.Count); // every message answered during its delivery
        Assert.Equal(0, allocated);
    }

    private static void SendBytes(IMessageConnector c, int count)
    {
        c.BeginSend(DtlsRig.ServerAddress, out byte[] buffer, out int offset, out _);
        Array.Clear(buffer, offset, count);
        c.EndSend(count, 0);
    }

    [Fact]
    public void APeerThatMovesIsReportedToTheReceiverAndAnsweredAtItsNewAddress()
    {
        var moved = PeerAddress.FromIPv4(198, 51, 100, 7, 61001);
        var toClient = new List<(byte[] Data, PeerAddress To)>();
        var toServer = new QueueSink();
        var server = new DtlsServer(DtlsRig.Config(1, c => c.ConnectionIdLength = 8), new ListSink(toClient), DtlsFabric.Keys(), new RecordingEvents());
        var client = new DtlsClient(DtlsRig.Config(2, c => c.ConnectionIdLength = DtlsConfig.ConnectionIdSendOnly), toServer,
                                    DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, new RecordingEvents());
        PeerAddress from = DtlsRig.ClientAddress;
        void Pump()
        {
            for (int round = 0; round < 20; round++)
            {
                while (toServer.Queue.Count > 0)
                {
                    byte[] d = toServer.Queue.Dequeue();
                    server.Receive(d, 0, d.Length, from, 0);
                }
                var c = toClient.ToArray();
                toClient.Clear();
                foreach (var (d, to) in c)
                {
                    if (to.SameAs(from))
                    {
                        client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, 0);
                    }
                }
            }
        }
        client.Connect(0);
        Pump();
        Assert.True(client.IsConnected);
        Assert.True(client.Session.UsesConnectionId);
        var atServer = new EchoReceiver(server) { Reply = true };
        var atClient = new EchoReceiver(client);
        server.Receiver = atServer;
        client.Receiver = atClient;

        from = moved; // NAT rebinding: the client's datagrams now come from elsewhere (RFC 9146 §6)
        Send(client, DtlsRig.ServerAddress, "moved");
        Pump();
        var move = Assert.Single(atServer.Moves);
        Assert.True(move.From.SameAs(DtlsRig.ClientAddress));
        Assert.True(move.To.SameAs(moved));
        Assert.True(Assert.Single(atServer.Messages).Peer.SameAs(moved));
        Assert.Equal("re:moved", Assert.Single(atClient.Messages).Text); // the reply went to the new address
    }

    private sealed class ListSink(List<(byte[], PeerAddress)> list) : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            var to = new PeerAddress();
            to.CopyFrom(destination);
            list.Add((buffer.AsSpan(offset, count).ToArray(), to));
        }
    }
}
