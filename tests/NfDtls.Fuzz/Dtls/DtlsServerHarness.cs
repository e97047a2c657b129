using NfDtls.Dtls;
using NfDtls.Fuzz.Harness;
using NfDtls.Net;

namespace NfDtls.Fuzz.Dtls;

/// <summary>
/// A DtlsServer as the fuzz target and the recorder both drive it: configuration from the setup byte, a seeded DRBG,
/// a clock that moves only when a script says so, PSK table with the one identity, and an application that echoes what
/// it receives. Same datagrams in, same bytes out: that is what lets a recorded handshake with OpenSSL replay.
/// </summary>
public sealed class DtlsServerHarness : IDtlsEvents, IDatagramSink
{
    public readonly DtlsServer Server;
    public readonly DtlsConfig Config;
    public long Now = DtlsSetup.StartMs;
    public int Connected;
    public int DatagramsSent;

    /// <summary>Where outgoing datagrams go besides the checks (the recorder sends them to the real peer).</summary>
    public Action<byte[], int, int, PeerAddress> Output;

    public DtlsServerHarness(int setup)
    {
        Config = DtlsSetup.Config(setup, server: true);
        var keys = new PskTable(2);
        keys.Add(DtlsSetup.Identity, DtlsSetup.Key);
        Server = new DtlsServer(Config, this, keys, this);
    }

    public void Deliver(in DatagramScript step, byte[] data)
    {
        if (step.Ticks)
        {
            Now += step.AdvanceMs;
            Server.Tick(Now);
        }
        Server.Receive(data, step.Offset, step.Length, DtlsSetup.ClientAddresses[step.Peer], Now);
        FuzzFailure.Check(Server.SessionCount <= Server.Capacity, "sessions within capacity");
    }

    /// <summary>After the script: let every timer run out.</summary>
    public void Drain()
    {
        for (int i = 0; i < 6 && Server.NextDeadline != long.MaxValue; i++)
        {
            Now = Math.Max(Now, Server.NextDeadline);
            Server.Tick(Now);
        }
        Now += 24L * 3600 * 1000;
        Server.Tick(Now);
    }

    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        FuzzFailure.Check(count > 0 && count <= Config.MaxDatagramSize, "datagram of " + count + " bytes > MaxDatagramSize " + Config.MaxDatagramSize);
        FuzzFailure.Check(destination != null, "datagram to nowhere");
        DatagramsSent++;
        Output?.Invoke(buffer, offset, count, destination);
    }

    public void OnConnected(DtlsSession session) => Connected++;

    public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) =>
        session.SendApplicationData(buffer, offset, count, Now);

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
