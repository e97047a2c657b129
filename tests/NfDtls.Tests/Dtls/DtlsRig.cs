using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Net;

namespace NfDtls.Tests.Dtls;

/// <summary>Seeded entropy so test runs repeat exactly.</summary>
public sealed class SeededEntropy(int seed) : IEntropySource
{
    private readonly Random _random = new(seed);

    public void GetEntropy(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            buffer[offset + i] = (byte)_random.Next(256);
        }
    }
}

/// <summary>Records what an engine reported.</summary>
public sealed class RecordingEvents : IDtlsEvents
{
    public int Connected;
    public int Closed;
    public readonly List<byte[]> Data = new();
    public readonly List<(int Level, int Description)> Alerts = new();
    public Action<DtlsSession, byte[], int, int>? OnData;
    public bool Keep = true;
    public long DataCount;

    public void OnConnected(DtlsSession session) => Connected++;

    public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count)
    {
        DataCount++;
        if (Keep)
        {
            Data.Add(buffer.AsSpan(offset, count).ToArray());
        }
        OnData?.Invoke(session, buffer, offset, count);
    }

    public void OnAlert(DtlsSession session, int level, int description) => Alerts.Add((level, description));

    public void OnClosed(DtlsSession session) => Closed++;

    /// <summary>Identities the server did not know (RFC 4279 §2), as text.</summary>
    public readonly List<string> UnknownIdentities = new();

    public void OnUnknownPskIdentity(DtlsSession session) => UnknownIdentities.Add(session.PskIdentityText());
}

/// <summary>A sink that queues copies of datagrams for the other side (perfect in-memory link).</summary>
public sealed class QueueSink : IDatagramSink
{
    public readonly Queue<byte[]> Queue = new();
    public readonly List<byte[]> Sent = new();
    public bool Record = true;
    public int Count;
    public long Bytes;

    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        Count++;
        Bytes += count;
        if (Record)
        {
            byte[] copy = buffer.AsSpan(offset, count).ToArray();
            Queue.Enqueue(copy);
            Sent.Add(copy);
        }
    }
}

/// <summary>Client and server wired back to back in memory, with virtual time.</summary>
public sealed class DtlsRig
{
    public static readonly byte[] Identity = "device-1"u8.ToArray();
    public static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    public static readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 40000);
    public static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);

    public readonly QueueSink ToServer = new();
    public readonly QueueSink ToClient = new();
    public readonly RecordingEvents ClientEvents = new();
    public readonly RecordingEvents ServerEvents = new();
    public readonly DtlsClient Client;
    public readonly DtlsServer Server;
    public readonly PskTable Keys = new(4);
    public long Now;

    public DtlsRig(int seed = 1, Action<DtlsConfig>? configure = null, byte[]? clientKey = null, ICryptoProvider? crypto = null)
    {
        Keys.Add(Identity, Key);
        Keys.Add("other"u8.ToArray(), Convert.FromHexString("0102030405060708"));
        Server = new DtlsServer(Config(seed * 2 + 1, configure, crypto), ToClient, Keys, ServerEvents);
        Client = new DtlsClient(Config(seed * 2, configure, crypto), ToServer, ServerAddress, Identity, clientKey ?? Key, ClientEvents);
    }

    public static DtlsConfig Config(int seed, Action<DtlsConfig>? configure = null, ICryptoProvider? crypto = null)
    {
        var c = new DtlsConfig { Random = new HmacDrbg(new SeededEntropy(seed)), InitialRetransmitMs = 1000 };
        if (crypto != null)
        {
            c.Crypto = crypto;
        }
        configure?.Invoke(c);
        return c;
    }

    /// <summary>Delivers queued datagrams both ways until both queues are empty.</summary>
    public void Pump(int maxRounds = 100) => Pump(Client, maxRounds);

    /// <summary>
    /// Delivers queued datagrams both ways between the server and <paramref name="client"/> (the rig's own, or another
    /// client sending through <see cref="ToServer"/>) until both queues are empty.
    /// </summary>
    public void Pump(DtlsClient client, int maxRounds = 100)
    {
        for (int i = 0; i < maxRounds && (ToServer.Queue.Count > 0 || ToClient.Queue.Count > 0); i++)
        {
            while (ToServer.Queue.Count > 0)
            {
                byte[] d = ToServer.Queue.Dequeue();
                Server.Receive(d, 0, d.Length, ClientAddress, Now);
            }
            while (ToClient.Queue.Count > 0)
            {
                byte[] d = ToClient.Queue.Dequeue();
                client.Receive(d, 0, d.Length, ServerAddress, Now);
            }
        }
    }

    public void Handshake()
    {
        Client.Connect(Now);
        Pump();
    }
}
