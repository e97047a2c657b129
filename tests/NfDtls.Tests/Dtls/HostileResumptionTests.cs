using NfDtls.Dtls;
using NfDtls.Dtls.Handshake;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Hostile input around resumption: junk tickets of every size are a full handshake, never an error (RFC 5077 §3.4);
/// a server that resumes without the extended master secret is refused (RFC 7627 §5.3); a session ID the client did
/// not offer is a full handshake; the fuzz loop with a cache and tickets never throws.
/// </summary>
public class HostileResumptionTests
{
    private static void Both(DtlsConfig c)
    {
        c.SessionCacheSize = 4;
        c.SessionTickets = true;
    }

    [Fact]
    public void JunkTicketsOfAnySizeGiveAFullHandshake()
    {
        var rig = new DtlsRig(80, c => c.SessionTickets = true);
        rig.Handshake();
        byte[] state = new byte[DtlsClient.MaxResumptionStateLength];
        int n = rig.Client.SaveResumption(state, 0);
        // layout: ticket length at 86..87, the peer room at 1, the ticket after 89 + room
        int ticketAt = 89 + state[1];
        Assert.Equal(n, ticketAt + ((state[86] << 8) | state[87]));
        var random = new Random(3);
        foreach (int length in new[] { 1, 3, 4, 16, 20, 35, 36, 37, 100, 217, 300, 1024 })
        {
            byte[] junk = new byte[ticketAt + length];
            Array.Copy(state, junk, ticketAt);
            junk[86] = (byte)(length >> 8);
            junk[87] = (byte)length;
            random.NextBytes(junk.AsSpan(ticketAt));
            Assert.True(rig.Client.LoadResumption(junk, 0, junk.Length));
            rig.Client.Close(rig.Now);
            rig.Pump();
            rig.Now += 10;
            rig.Handshake();
            Assert.True(rig.Client.IsConnected, "ticket of " + length + " bytes");
            Assert.False(rig.Client.Session.WasResumed);
        }
        // a real ticket whose key name is right but whose body is another ticket's: refused too
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Handshake();
        Assert.True(rig.Client.Session.WasResumed);
    }

    /// <summary>Removes the extended_master_secret extension (00 17 00 00) from the ServerHello at the start of a datagram.</summary>
    private static byte[] WithoutEms(byte[] d)
    {
        if (d.Length < 13 + 12 || d[0] != 22 || d[13] != HandshakeType.ServerHello)
        {
            return d;
        }
        int bodyLength = (d[14] << 16) | (d[15] << 8) | d[16];
        int body = 13 + 12;
        int sid = d[body + 34];
        int ext = body + 35 + sid + 3; // after the session id, suite (2), compression (1)
        int extEnd = body + bodyLength;
        for (int p = ext + 2; p + 4 <= extEnd; p += 4 + ((d[p + 2] << 8) | d[p + 3]))
        {
            if (d[p] == 0x00 && d[p + 1] == 0x17)
            {
                var list = d.ToList();
                list.RemoveRange(p, 4);
                byte[] r = list.ToArray();
                int recordLength = ((r[11] << 8) | r[12]) - 4;
                r[11] = (byte)(recordLength >> 8);
                r[12] = (byte)recordLength;
                int hl = bodyLength - 4;
                r[14] = (byte)(hl >> 16); r[15] = (byte)(hl >> 8); r[16] = (byte)hl;     // length
                r[22] = (byte)(hl >> 16); r[23] = (byte)(hl >> 8); r[24] = (byte)hl;     // fragment_length
                int el = ((r[ext] << 8) | r[ext + 1]) - 4;
                r[ext] = (byte)(el >> 8);
                r[ext + 1] = (byte)el;
                return r;
            }
        }
        return d;
    }

    [Fact]
    public void ClientRefusesAResumptionWithoutExtendedMasterSecret()
    {
        var rig = new DtlsRig(81, Both);
        rig.Handshake();
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Now += 10;
        rig.Client.Connect(rig.Now);
        bool tampered = false;
        for (int i = 0; i < 10 && (rig.ToServer.Queue.Count > 0 || rig.ToClient.Queue.Count > 0); i++)
        {
            while (rig.ToServer.Queue.Count > 0)
            {
                byte[] d = rig.ToServer.Queue.Dequeue();
                rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
            }
            while (rig.ToClient.Queue.Count > 0)
            {
                byte[] d = rig.ToClient.Queue.Dequeue();
                byte[] t = WithoutEms(d);
                tampered |= t.Length != d.Length;
                rig.Client.Receive(t, 0, t.Length, DtlsRig.ServerAddress, rig.Now);
            }
        }
        Assert.True(tampered);
        Assert.False(rig.Client.IsConnected);
        Assert.Equal(DtlsFailure.LocalAlert, rig.Client.Session.Failure);
        Assert.Equal(AlertDescription.HandshakeFailure, rig.Client.Session.AlertDescription);
    }

    [Fact]
    public void SessionIdEchoWeDidNotOfferIsAFullHandshake()
    {
        // A client with nothing to resume gets the server's new session ID: that is a full handshake, not a resumption.
        var rig = new DtlsRig(82, Both);
        rig.Handshake();
        Assert.False(rig.Client.Session.WasResumed);
        rig.Client.ForgetResumption();
        Assert.False(rig.Client.HasResumableSession);
        rig.Client.Close(rig.Now);
        rig.Pump();
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
        Assert.False(rig.Client.Session.WasResumed);
    }

    [Fact]
    public void FuzzedDatagramsAroundResumptionNeverThrow()
    {
        var rig = new DtlsRig(83, Both);
        rig.Handshake();
        var random = new Random(83);
        var captured = new List<byte[]>();
        for (int round = 0; round < 30; round++)
        {
            rig.Client.Close(rig.Now);
            rig.Pump();
            rig.Now += 10;
            rig.Client.Connect(rig.Now);
            for (int i = 0; i < 10 && (rig.ToServer.Queue.Count > 0 || rig.ToClient.Queue.Count > 0); i++)
            {
                while (rig.ToServer.Queue.Count > 0)
                {
                    byte[] d = rig.ToServer.Queue.Dequeue();
                    captured.Add(d);
                    rig.Server.Receive(d, 0, d.Length, DtlsRig.ClientAddress, rig.Now);
                }
                while (rig.ToClient.Queue.Count > 0)
                {
                    byte[] d = rig.ToClient.Queue.Dequeue();
                    captured.Add(d);
                    rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
                }
            }
            Assert.True(rig.Client.IsConnected);
            Assert.True(rig.Client.Session.WasResumed);
        }
        // Mutated copies of every datagram of those handshakes (hellos with tickets and session IDs, abbreviated
        // flights), to both engines, from the real and from other addresses.
        for (int i = 0; i < 4000; i++)
        {
            byte[] d = (byte[])captured[random.Next(captured.Count)].Clone();
            int flips = random.Next(1, 6);
            for (int f = 0; f < flips; f++)
            {
                d[random.Next(d.Length)] ^= (byte)(1 << random.Next(8));
            }
            if (random.Next(4) == 0)
            {
                Array.Resize(ref d, random.Next(1, d.Length + 1));
            }
            var from = random.Next(3) == 0 ? NfDtls.Net.PeerAddress.FromIPv4(10, 9, 9, (byte)random.Next(256), 1000) : DtlsRig.ClientAddress;
            rig.Server.Receive(d, 0, d.Length, from, rig.Now);
            rig.Client.Receive(d, 0, d.Length, DtlsRig.ServerAddress, rig.Now);
            rig.ToServer.Queue.Clear();
            rig.ToClient.Queue.Clear();
            rig.Now += 3;
            rig.Server.Tick(rig.Now);
            rig.Client.Tick(rig.Now);
        }
        // Still able to resume afterwards.
        rig.ToServer.Queue.Clear();
        rig.ToClient.Queue.Clear();
        rig.Now += 120_000;
        rig.Handshake();
        Assert.True(rig.Client.IsConnected);
    }
}
