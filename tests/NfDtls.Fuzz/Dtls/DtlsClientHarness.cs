using System.Text;
using NfDtls.Dtls;
using NfDtls.Fuzz.Harness;
using NfDtls.Net;

namespace NfDtls.Fuzz.Dtls;

/// <summary>
/// A DtlsClient that has sent its ClientHello, driven like <see cref="DtlsServerHarness"/>: seeded DRBG, scripted
/// clock; once connected it sends one line of application data, as the recorder's client did against the real server.
/// </summary>
public sealed class DtlsClientHarness : IDtlsEvents, IDatagramSink
{
    public static readonly byte[] Greeting = Encoding.ASCII.GetBytes("hello from the nf-dtls fuzz client\n");

    /// <summary>Datagram control bits 0-1: 0 = the server, anything else another address (to be ignored).</summary>
    private static readonly PeerAddress[] Senders =
    {
        DtlsSetup.ServerAddress, PeerAddress.FromIPv4(127, 0, 0, 1, 5685),
        PeerAddress.FromIPv4(127, 0, 0, 3, 5684), DtlsSetup.ServerAddress,
    };

    public readonly DtlsClient Client;
    public readonly DtlsConfig Config;
    public long Now = DtlsSetup.StartMs;
    public int Connected;
    public int DataReceived;
    public Action<byte[], int, int, PeerAddress> Output;

    public DtlsClientHarness(int setup, Action<byte[], int, int, PeerAddress> output = null)
    {
        Output = output;
        Config = DtlsSetup.Config(setup, server: false);
        bool psk = (setup & 3) == 0 || (setup & 3) == 3;
        Client = new DtlsClient(Config, this, DtlsSetup.ServerAddress, psk ? DtlsSetup.Identity : null, psk ? DtlsSetup.Key : null, this);
        Client.Connect(Now);
    }

    public void Deliver(in DatagramScript step, byte[] data)
    {
        if (step.Ticks)
        {
            Now += step.AdvanceMs;
            Client.Tick(Now);
        }
        Client.Receive(data, step.Offset, step.Length, Senders[step.Peer], Now);
    }

    public void Drain()
    {
        for (int i = 0; i < 6 && Client.NextDeadline != long.MaxValue; i++)
        {
            Now = Math.Max(Now, Client.NextDeadline);
            Client.Tick(Now);
        }
    }

    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        FuzzFailure.Check(count > 0 && count <= Config.MaxDatagramSize, "datagram of " + count + " bytes > MaxDatagramSize " + Config.MaxDatagramSize);
        Output?.Invoke(buffer, offset, count, destination);
    }

    public void OnConnected(DtlsSession session)
    {
        Connected++;
        session.SendApplicationData(Greeting, 0, Math.Min(Greeting.Length, Config.MaxRecordPlaintext), Now);
    }

    public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => DataReceived++;

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
