// DTLS benchmark: full and resumed handshakes (session ticket, RFC 5077; session ID, RFC 5246 §7.3) for both suites
// (PSK, ECDHE-ECDSA with raw public keys), each side's time apart, and application records per second (64 B and 1 KiB),
// client and server in one process over an in-memory link, portable vs desktop crypto, and BouncyCastle's DTLS (PSK,
// resuming by session ID) beside it, with bytes allocated per handshake and per record.
//
//   dotnet run -c Release --project tools/NfDtls.Bench -- dtls [--quick | --duration <seconds>]
using System.Collections.Concurrent;
using System.Diagnostics;
using NfDtls.Bench.Interp;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using NfDtls.Dtls;
using NfDtls.Net;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace NfDtls.Bench;

public static class DtlsBench
{
    private static readonly byte[] Identity = "bench-device"u8.ToArray();
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    private static readonly PeerAddress ClientAddress = PeerAddress.FromIPv4(10, 0, 0, 2, 40000);
    private static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);

    public static int Run(string[] args)
    {
        double seconds = 0.5;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                seconds = 0.15;
            }
            else if (args[i] == "--duration" && i + 1 < args.Length && double.TryParse(args[i + 1], out double d) && d > 0)
            {
                seconds = d;
                i++;
            }
            else
            {
                Console.Error.WriteLine("usage: NfDtls.Bench dtls [--quick | --duration <seconds>]");
                return 2;
            }
        }
        Console.WriteLine("nf-dtls DTLS bench (in-memory link): " + seconds.ToString("0.0##") + " s per cell, .NET " + Environment.Version
                          + ", " + Environment.ProcessorCount + " CPU(s)");
        Console.WriteLine();
        Console.WriteLine("Handshakes, full and resumed (abbreviated, RFC 5246 §7.3), each side's own time:");
        Console.WriteLine("{0,-48} {1,10} {2,12} {3,12} {4,9} {5,12}", "implementation / suite / handshake", "hs/s", "client µs", "server µs", "vs full", "B alloc/hs");
        Console.WriteLine("(client/server µs: " + InterpClock.Kind + " inside each side's calls; hs/s: wall clock)");
        Console.WriteLine(new string('-', 108));
        foreach (ICryptoProvider p in new ICryptoProvider[] { PortableCryptoProvider.Instance, DesktopCryptoProvider.Instance })
        {
            string who = "nf-dtls " + p.Name + ": ";
            // ECDHE with the portable P-256 takes milliseconds a handshake: fewer warm-up rounds.
            HandshakeRows(who + "PSK", tickets => HandshakePair.Psk(p, tickets, 16), seconds, 100);
            HandshakeRows(who + "ECDHE-ECDSA", tickets => HandshakePair.Ecdhe(p, tickets, 16), seconds, p == PortableCryptoProvider.Instance ? 5 : 50);
        }
        try
        {
            using var bc = new BouncyPair();
            var full = MeasureBouncy(bc, false, seconds);
            var resumed = MeasureBouncy(bc, true, seconds);
            PrintHandshake("BouncyCastle 2.7.0: PSK full", full, null);
            PrintHandshake("BouncyCastle 2.7.0: PSK resumed (session ID)", resumed, full);
        }
        catch (Exception e)
        {
            Console.WriteLine("BouncyCastle: failed: " + e.Message);
        }
        Console.WriteLine();
        Console.WriteLine("Application records (TLS_PSK_WITH_AES_128_CCM_8):");
        Console.WriteLine("{0,-48} {1,10} {2,12} {3,12}", "implementation / operation", "ops/s", "B alloc/op", "µs/op");
        Console.WriteLine(new string('-', 85));
        foreach (ICryptoProvider p in new ICryptoProvider[] { PortableCryptoProvider.Instance, DesktopCryptoProvider.Instance })
        {
            var pair = new Pair(p);
            Print("nf-dtls " + p.Name + ": record 64 B", Measure(() => pair.Record(64), seconds));
            Print("nf-dtls " + p.Name + ": record 1 KiB", Measure(() => pair.Record(1024), seconds));
        }
        {
            // A gateway's view: one record in (session lookup by address) and the host asking for the next deadline.
            const int sessions = 2000;
            var full = new Pair(DesktopCryptoProvider.Instance, sessions);
            full.Fill(sessions);
            Print("server, " + sessions.ToString("N0") + " sessions: record 64 B", Measure(() => full.RecordAndPoll(64), seconds));
        }
        try
        {
            using var bc = new BouncyPair();
            bc.Handshake(false);
            Print("BouncyCastle 2.7.0: record 64 B", Measure(() => bc.Record(64), seconds));
            Print("BouncyCastle 2.7.0: record 1 KiB", Measure(() => bc.Record(1024), seconds));
        }
        catch (Exception e)
        {
            Console.WriteLine("BouncyCastle: failed: " + e.Message);
        }
        Console.WriteLine();
        Console.WriteLine("handshake = ClientHello to both sides connected, cookie exchange included (full: 3 client + 2 server flights;");
        Console.WriteLine("resumed: the server's flight ends with its Finished, RFC 5246 §7.3), client and server in this thread, each side's");
        Console.WriteLine("calls timed apart. ECDHE-ECDSA: raw public keys both ways (RFC 7250), mutual, as an rpk node and the gateway.");
        Console.WriteLine("ticket = RFC 5077 session ticket (the server keeps no state); session ID = the server's session cache.");
        Console.WriteLine("vs full = this row's client + server time / the full handshake's (BouncyCastle: wall time). B alloc/hs: both");
        Console.WriteLine("engines, after construction.");
        Console.WriteLine("BouncyCastle: server on a second thread (its protocol API is blocking), so its sides are not split; it resumes");
        Console.WriteLine("by session ID only (no RFC 5077 tickets in its DTLS). record = seal + send + open + deliver.");
        Console.WriteLine("server, N sessions: desktop crypto, N connected sessions from N addresses; record + the server's NextDeadline.");
        return 0;
    }

    /// <summary>Full, ticket-resumed and cache-resumed handshakes of one suite and provider (make(tickets) builds a pair).</summary>
    private static void HandshakeRows(string name, Func<bool, HandshakePair> make, double seconds, int warmup)
    {
        var full = MeasureHandshake(make(true), false, seconds, warmup);
        PrintHandshake(name + " full", full, null);
        PrintHandshake(name + " resumed (ticket)", MeasureHandshake(make(true), true, seconds, warmup), full);
        // The server issues no ticket here: the client offers the session ID the server's cache holds.
        PrintHandshake(name + " resumed (session ID)", MeasureHandshake(make(false), true, seconds, warmup), full);
    }

    private readonly record struct HandshakeCost(double PerSecond, double ClientUs, double ServerUs, double Bytes);

    private static HandshakeCost MeasureHandshake(HandshakePair pair, bool resume, double seconds, int warmup)
    {
        pair.Handshake(false); // a session to resume
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warm.Elapsed.TotalSeconds < Math.Min(0.3, seconds); i++)
        {
            pair.Handshake(resume);
        }
        long client = pair.ClientNanoseconds, server = pair.ServerNanoseconds, count = pair.Handshakes;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            pair.Handshake(resume);
        }
        sw.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        double n = pair.Handshakes - count;
        return new HandshakeCost(n / sw.Elapsed.TotalSeconds, (pair.ClientNanoseconds - client) / 1e3 / n,
                                 (pair.ServerNanoseconds - server) / 1e3 / n, allocated / n);
    }

    private static void PrintHandshake(string name, HandshakeCost c, HandshakeCost? full)
    {
        string sides = double.IsNaN(c.ClientUs) ? "-" : c.ClientUs.ToString("N1");
        // Both sides' CPU time against the full handshake's (wall time for BouncyCastle, whose sides are not split).
        string vs = full is not { } f ? ""
            : double.IsNaN(c.ClientUs) ? (f.PerSecond / c.PerSecond).ToString("0.00") + "x"
            : ((c.ClientUs + c.ServerUs) / (f.ClientUs + f.ServerUs)).ToString("0.00") + "x";
        Console.WriteLine("{0,-48} {1,10} {2,12} {3,12} {4,9} {5,12}", name, c.PerSecond.ToString("N0"), sides,
                          double.IsNaN(c.ServerUs) ? "-" : c.ServerUs.ToString("N1"), vs, c.Bytes.ToString("N0"));
    }

    private static HandshakeCost MeasureBouncy(BouncyPair bc, bool resume, double seconds)
    {
        bc.Handshake(false);
        var r = Measure(() => bc.Handshake(resume), seconds, warmup: 20);
        if (resume && bc.Resumed == 0)
        {
            throw new InvalidOperationException("BouncyCastle did not resume");
        }
        return new HandshakeCost(r.OpsPerSecond, double.NaN, double.NaN, r.BytesPerOp);
    }

    private static void Print(string name, (double OpsPerSecond, double BytesPerOp) r)
    {
        Console.WriteLine("{0,-48} {1,10} {2,12} {3,12}", name, r.OpsPerSecond.ToString("N0"), r.BytesPerOp.ToString("N0"),
                          (1e6 / r.OpsPerSecond).ToString("N1"));
    }

    private static (double OpsPerSecond, double BytesPerOp) Measure(Action op, double seconds, int warmup = 200)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warm.Elapsed.TotalSeconds < Math.Min(0.3, seconds); i++)
        {
            op();
        }
        long ops = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 16; i++)
            {
                op();
            }
            ops += 16;
        }
        sw.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return (ops / sw.Elapsed.TotalSeconds, allocated / (double)ops);
    }

    /// <summary>A fixed pool of datagram slots: the link itself allocates nothing.</summary>
    private sealed class Mailbox : IDatagramSink
    {
        private readonly byte[][] _slots = new byte[64][];
        private readonly int[] _lengths = new int[64];
        private int _head;
        private int _count;
        public IDatagramEndpoint? Target;
        public PeerAddress? From;
        public bool Direct;

        public Mailbox()
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new byte[2048];
            }
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            if (Direct)
            {
                Target!.Receive(buffer, offset, count, From!, 0);
                return;
            }
            if (_count == _slots.Length)
            {
                return;
            }
            int at = (_head + _count) % _slots.Length;
            Array.Copy(buffer, offset, _slots[at], 0, count);
            _lengths[at] = count;
            _count++;
        }

        public bool DeliverOne()
        {
            if (_count == 0)
            {
                return false;
            }
            int at = _head;
            _head = (_head + 1) % _slots.Length;
            _count--;
            Target!.Receive(_slots[at], 0, _lengths[at], From!, 0);
            return true;
        }
    }

    private sealed class Events : IDtlsEvents
    {
        public long Bytes;

        public void OnConnected(DtlsSession session)
        {
        }

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => Bytes += count;

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

    private sealed class Pair
    {
        private readonly Mailbox _toServer = new();
        private readonly Mailbox _toClient = new();
        private readonly DtlsClient _client;
        private readonly DtlsServer _server;
        private readonly Events _serverEvents = new();
        private readonly byte[] _payload = new byte[1024];

        private long _deadlines;

        public Pair(ICryptoProvider crypto, int sessionCapacity = 16)
        {
            var keys = new PskTable(1);
            keys.Add(Identity, Key);
            _server = new DtlsServer(new DtlsConfig { Crypto = crypto, Random = new HmacDrbg(DesktopEntropySource.Instance), SessionCapacity = sessionCapacity },
                                     _toClient, keys, _serverEvents);
            _client = new DtlsClient(new DtlsConfig { Crypto = crypto, Random = new HmacDrbg(DesktopEntropySource.Instance) }, _toServer,
                                     ServerAddress, Identity, Key, new Events());
            _toServer.Target = _server;
            _toServer.From = ClientAddress;
            _toClient.Target = _client;
            _toClient.From = ServerAddress;
        }

        /// <summary>A fresh handshake from the same client address (the server replaces the session, RFC 6347 §4.2.8).</summary>
        public void Handshake()
        {
            _toServer.Direct = false;
            _toClient.Direct = false;
            _client.Connect(0);
            while (_toServer.DeliverOne() | _toClient.DeliverOne())
            {
            }
            if (!_client.IsConnected)
            {
                throw new InvalidOperationException("bench handshake failed");
            }
        }

        /// <summary>Connects from <paramref name="count"/> addresses in turn: the server keeps a live session for each.</summary>
        public void Fill(int count)
        {
            for (int i = 0; i < count; i++)
            {
                _toServer.From = PeerAddress.FromIPv4(10, 1, i >> 8, i & 0xFF, 40000 + (i & 7));
                Handshake();
            }
            if (_server.SessionCount != count)
            {
                throw new InvalidOperationException("bench server holds " + _server.SessionCount + " sessions, not " + count);
            }
        }

        public void RecordAndPoll(int size)
        {
            Record(size);
            _deadlines += _server.NextDeadline & 1;
        }

        public void Record(int size)
        {
            if (!_toServer.Direct)
            {
                if (!_client.IsConnected)
                {
                    Handshake();
                }
                _toServer.Direct = true;
                _toClient.Direct = true;
            }
            _client.Send(_payload, 0, size, 0);
        }
    }

    // ---------------------------------------------------------------- BouncyCastle

    /// <summary>One direction of an in-memory datagram link for BouncyCastle's blocking transport API.</summary>
    private sealed class BcTransport(BlockingCollection<byte[]> inbox, BlockingCollection<byte[]> outbox) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1232;

        public int Receive(byte[] buf, int off, int len, int waitMillis)
        {
            if (!inbox.TryTake(out byte[]? d, waitMillis))
            {
                return -1;
            }
            int n = Math.Min(len, d.Length);
            Array.Copy(d, 0, buf, off, n);
            return n;
        }

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (!inbox.TryTake(out byte[]? d, waitMillis))
            {
                return -1;
            }
            int n = Math.Min(buffer.Length, d.Length);
            d.AsSpan(0, n).CopyTo(buffer);
            return n;
        }

        public void Send(byte[] buf, int off, int len) => outbox.Add(buf.AsSpan(off, len).ToArray());

        public void Send(ReadOnlySpan<byte> buffer) => outbox.Add(buffer.ToArray());

        public void Close()
        {
        }
    }

    /// <summary>A PSK client that offers <see cref="ToResume"/> (a session of an earlier handshake) when set.</summary>
    private sealed class BcPskClient(BcTlsCrypto crypto, TlsSession? toResume) : PskTlsClient(crypto, new BasicTlsPskIdentity(Identity, Key))
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };

        public override TlsSession? GetSessionToResume() => toResume;

        /// <summary>The session of this handshake, resumable next time.</summary>
        public TlsSession? Session => m_context.ResumableSession;

        public bool Resumed => m_context.SecurityParameters.IsResumedSession;
    }

    private sealed class BcIdentities : TlsPskIdentityManager
    {
        public byte[]? GetHint() => null;

        public byte[]? GetPsk(byte[] identity) => identity.AsSpan().SequenceEqual(Identity) ? Key : null;
    }

    /// <summary>A PSK server with a session cache (BouncyCastle resumes by session ID, RFC 5246 §7.3).</summary>
    private sealed class BcPskServer(BcTlsCrypto crypto, Dictionary<string, TlsSession> cache) : PskTlsServer(crypto, new BcIdentities())
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => new[] { Org.BouncyCastle.Tls.CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 };

        public override byte[] GetNewSessionID() => m_context.NonceGenerator.GenerateNonce(32);

        public override TlsSession? GetSessionToResume(byte[] sessionID)
        {
            lock (cache)
            {
                return cache.TryGetValue(Convert.ToHexString(sessionID), out TlsSession? s) ? s : null;
            }
        }

        /// <summary>The session of the handshake just completed, to cache (NotifySession sees it before it is resumable).</summary>
        public TlsSession? Session => m_context.ResumableSession;
    }

    private sealed class BouncyPair : IDisposable
    {
        private readonly BcTlsCrypto _crypto = new(new SecureRandom());
        private readonly Dictionary<string, TlsSession> _cache = new();
        private TlsSession? _session;
        private DtlsTransport? _client;
        private DtlsTransport? _server;
        private readonly byte[] _payload = new byte[1024];
        private readonly byte[] _receive = new byte[2048];

        /// <summary>Handshakes that were resumed.</summary>
        public long Resumed;

        public void Handshake(bool resume)
        {
            _client?.Close();
            _server?.Close();
            var c2s = new BlockingCollection<byte[]>();
            var s2c = new BlockingCollection<byte[]>();
            var serverTransport = new BcTransport(c2s, s2c);
            var clientTransport = new BcTransport(s2c, c2s);
            DtlsTransport? server = null;
            Exception? failure = null;
            var t = new Thread(() =>
            {
                try
                {
                    var peer = new BcPskServer(_crypto, _cache);
                    server = new DtlsServerProtocol().Accept(peer, serverTransport);
                    if (peer.Session is { } session)
                    {
                        lock (_cache)
                        {
                            _cache[Convert.ToHexString(session.SessionID)] = session;
                        }
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            t.Start();
            var client = new BcPskClient(_crypto, resume ? _session : null);
            _client = new DtlsClientProtocol().Connect(client, clientTransport);
            t.Join();
            if (failure != null)
            {
                throw failure;
            }
            _server = server;
            if (client.Resumed)
            {
                Resumed++;
            }
            else if (resume)
            {
                throw new InvalidOperationException("BouncyCastle did not resume the session");
            }
            _session = client.Session;
        }

        public void Record(int size)
        {
            _client!.Send(_payload, 0, size);
            int n = _server!.Receive(_receive, 0, _receive.Length, 1000);
            if (n != size)
            {
                throw new InvalidOperationException("BouncyCastle record lost");
            }
        }

        public void Dispose()
        {
            _client?.Close();
            _server?.Close();
        }
    }
}
