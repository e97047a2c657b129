using System.Net;
using System.Net.Sockets;
using NfDtls.Fuzz.Coap;
using NfDtls.Fuzz.Dtls;
using NfDtls.Fuzz.Harness;
using NfDtls.Net;

namespace NfDtls.Fuzz.Capture;

/// <summary>
/// Records seeds from real traffic: one of the fuzz harnesses (the very engine configuration the target builds, at
/// the same fixed time and with the same seeded DRBG) is put on a UDP socket, a real peer (openssl, gnutls, libcoap)
/// talks to it, and every datagram the harness receives is written as a datagram script. Replayed by the target, the
/// script takes the engine through the same states, a whole handshake with OpenSSL included. With --datagrams DIR,
/// each datagram seen either way is also written alone (CoAP codec seeds).
/// </summary>
public sealed class UdpRecorder : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<IPEndPoint> _peers = new();
    private readonly MemoryStream _script = new();
    private readonly string _datagrams;
    private int _datagramCount;

    public UdpRecorder(int port, string datagramsDir)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _datagrams = datagramsDir;
        if (_datagrams != null)
        {
            Directory.CreateDirectory(_datagrams);
        }
    }

    public void Dispose() => _socket.Dispose();

    public static int RecordDtlsServer(int setup, int port, string output, double seconds)
    {
        using var r = new UdpRecorder(port, null);
        r._script.WriteByte((byte)setup);
        var h = new DtlsServerHarness(setup);
        h.Output = (buf, off, n, to) => r.SendToPeer(buf, off, n, Array.IndexOf(DtlsSetup.ClientAddresses, Find(DtlsSetup.ClientAddresses, to)));
        r.Loop(seconds, () => h.Connected > 0, (entry, from) =>
        {
            int index = r.PeerIndex(from);
            if (index < 0)
            {
                return;
            }
            entry[0] = (byte)index;
            var step = new DatagramScript(entry, 0, entry.Length);
            step.Next();
            h.Deliver(step, entry);
            r.Keep(entry);
        });
        return r.Save(output, "server connections " + h.Connected);
    }

    public static int RecordDtlsClient(int setup, int port, string output, double seconds)
    {
        using var r = new UdpRecorder(0, null);
        var server = new IPEndPoint(IPAddress.Loopback, port);
        r._peers.Add(server);
        r._script.WriteByte((byte)setup);
        var h = new DtlsClientHarness(setup, (buf, off, n, to) => r.SendToPeer(buf, off, n, 0));
        r.Loop(seconds, () => h.Connected > 0 && h.DataReceived > 0, (entry, from) =>
        {
            if (!from.Equals(server))
            {
                return;
            }
            entry[0] = 0;
            var step = new DatagramScript(entry, 0, entry.Length);
            step.Next();
            h.Deliver(step, entry);
            r.Keep(entry);
        });
        return r.Save(output, "client connected " + h.Connected + ", data " + h.DataReceived);
    }

    public static int RecordCoap(int port, string output, string datagrams, double seconds)
    {
        using var r = new UdpRecorder(port, datagrams);
        var h = new CoapServerHarness();
        h.Output = (buf, off, n, to) =>
        {
            r.KeepDatagram(buf, off, n);
            r.SendToPeer(buf, off, n, Array.IndexOf(CoapServerHarness.Peers, Find(CoapServerHarness.Peers, to)));
        };
        r.Loop(seconds, () => false, (entry, from) =>
        {
            int index = r.PeerIndex(from);
            if (index < 0)
            {
                return;
            }
            entry[0] = (byte)index;
            var step = new DatagramScript(entry, 0, entry.Length);
            step.Next();
            r.KeepDatagram(entry, 3, entry.Length - 3);
            h.Deliver(step, entry);
            r.Keep(entry);
        });
        return r.Save(output, "coap");
    }

    private static PeerAddress Find(PeerAddress[] table, PeerAddress a)
    {
        foreach (PeerAddress p in table)
        {
            if (p.SameAs(a))
            {
                return p;
            }
        }
        return null;
    }

    private int PeerIndex(IPEndPoint from)
    {
        int i = _peers.IndexOf(from);
        if (i < 0 && _peers.Count < 3)
        {
            _peers.Add(from);
            i = _peers.Count - 1;
        }
        return i;
    }

    private void SendToPeer(byte[] buffer, int offset, int count, int index)
    {
        if (index >= 0 && index < _peers.Count)
        {
            _socket.SendTo(buffer, offset, count, SocketFlags.None, _peers[index]);
        }
    }

    private void Keep(byte[] entry) => _script.Write(entry, 0, entry.Length);

    private void KeepDatagram(byte[] buffer, int offset, int count)
    {
        if (_datagrams != null)
        {
            byte[] file = new byte[count + 1];
            Array.Copy(buffer, offset, file, 1, count);
            File.WriteAllBytes(Path.Combine(_datagrams, "dg-" + (_datagramCount++).ToString("D3")), file);
        }
    }

    /// <summary>Receives until <paramref name="seconds"/> pass, or 1.5 s of silence once <paramref name="done"/> holds.</summary>
    private void Loop(double seconds, Func<bool> done, Action<byte[], IPEndPoint> deliver)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        var quietSince = DateTime.UtcNow;
        byte[] buffer = new byte[65536];
        _socket.ReceiveTimeout = 200;
        while (DateTime.UtcNow < end)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                if (done() && DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(1.5))
                {
                    break;
                }
                continue;
            }
            quietSince = DateTime.UtcNow;
            byte[] entry = new byte[n + 3];
            entry[1] = (byte)(n >> 8);
            entry[2] = (byte)n;
            Array.Copy(buffer, 0, entry, 3, n);
            deliver(entry, (IPEndPoint)from);
        }
    }

    private int Save(string output, string summary)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllBytes(output, _script.ToArray());
        Console.Error.WriteLine("recorded " + output + ": " + _script.Length + " bytes, " + summary);
        return 0;
    }
}
