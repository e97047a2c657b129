using System.Globalization;
using NfDtls.BoardHeap;
using NfDtls.Coap;
using NfDtls.Coap.Secure;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Net;
using NfDtls.Node;
using NfDtls.Pki;

namespace NfDtls.Bench;

/// <summary>
/// `memory`: what our objects cost on a board, as nanoCLR's 32-bit heap would hold them (the board-heap model,
/// tools/NfDtls.BoardHeap: 12-byte header per object, 12 bytes per field, packed primitive arrays). Portable crypto,
/// as on a board. Each figure is what the constructor builds: its arguments (configuration, credentials, settings,
/// random, sink) existed before and are not counted, nor are static tables. Under each figure, where the bytes are.
///
///   dotnet run -c Release --project tools/NfDtls.Bench -- memory [--top N] [--depth D] [--quiet] [--gateway-settings FILE]...
/// </summary>
internal static class BoardMemoryBench
{
    private sealed class NoSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    private sealed class NoEvents : IDtlsEvents
    {
        public void OnConnected(DtlsSession session)
        {
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

    private sealed class NoSensor : ISensor
    {
        public int Read(SensorReading[] into, long nowMs) => 0;
    }

    private sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)7, offset, count);
    }

    private sealed class FixedClock : IWallClock
    {
        public long UnixSeconds => 1_700_000_000;
    }

    private static readonly PeerAddress Server = PeerAddress.FromIPv4(10, 0, 0, 1, 5684);
    private static readonly IDatagramSink Sink = new NoSink();
    private static readonly IDtlsEvents Events = new NoEvents();
    private static readonly ISensor Sensor = new NoSensor();
    private static readonly IRandom Random = new HmacDrbg(new FixedEntropy());

    public static int Run(string[] args)
    {
        int top = 6;
        int depth = 3;
        bool quiet = false;
        var gatewayFiles = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--top" && i + 1 < args.Length && int.TryParse(args[i + 1], out top) && top >= 0)
            {
                i++;
            }
            else if (args[i] == "--depth" && i + 1 < args.Length && int.TryParse(args[i + 1], out depth) && depth >= 0)
            {
                i++;
            }
            else if (args[i] == "--quiet")
            {
                quiet = true;
            }
            else if (args[i] == "--gateway-settings" && i + 1 < args.Length)
            {
                gatewayFiles.Add(args[++i]); // another edge-gateway settings file to price (e.g. a board not in boards/)
            }
            else
            {
                Console.Error.WriteLine("usage: NfDtls.Bench memory [--top N] [--depth D] [--quiet] [--gateway-settings FILE]...");
                return 2;
            }
        }

        // A fleet with one node of each mode (seeded: the same keys and certificate sizes every run).
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 3,
            Security = new[] { NodeSettings.SecurityPsk, NodeSettings.SecurityRpk, NodeSettings.SecurityX509 },
            GatewayHost = "10.0.0.1",
        }, new HmacDrbg(new FixedEntropy()), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var rpkNode = fleet.Nodes.Single(n => n.Security == NodeSettings.SecurityRpk);
        var x509Node = fleet.Nodes.Single(n => n.Security == NodeSettings.SecurityX509);

        Console.WriteLine("nf-dtls board memory: board figures, nanoCLR 32-bit heap as the board-heap model prices it");
        Console.WriteLine("(tools/NfDtls.BoardHeap; portable crypto; what each constructor builds, arguments and static tables excluded)");
        Console.WriteLine();
        Console.WriteLine("{0,-62} {1,10} {2,8}", "object", "board B", "objects");
        Console.WriteLine(new string('-', 82));
        void Row(string what, HeapFigure figure)
        {
            Console.WriteLine("{0,-62} {1,10} {2,8}", what, N(figure.Total), N(figure.Objects));
            if (!quiet && top > 0)
            {
                Console.Write(figure.Describe(top, depth));
            }
        }
        void Line(string what, long bytes, string note) =>
            Console.WriteLine("{0,-62} {1,10}   {2}", what, N(bytes), note);

        // ---- DTLS engines (default DtlsConfig sizes).
        var entropy = new FixedEntropy();
        Row("random: HmacDrbg (every engine needs one; not counted below)", BoardHeapModel.Measure(() => new HmacDrbg(entropy), entropy));
        Row("P-256 ECDSA, portable provider (its own curve)", BoardHeapModel.Measure(() => PortableCryptoProvider.Instance.CreateEcdsaP256()));
        Row("P-256 ECDH, portable provider (its own curve)", BoardHeapModel.Measure(() => PortableCryptoProvider.Instance.CreateEcdhP256()));
        var pskClient = Config(1);
        Row("DtlsClient, PSK", BoardHeapModel.Measure(
            () => new DtlsClient(pskClient, Sink, Server, "node-1"u8.ToArray(), new byte[16], Events), pskClient, Sink, Events, Server));
        var rpkClient = Config(1, ClientCredentials(rpkNode, x509: false));
        Row("DtlsClient, ECDHE-ECDSA (raw public keys)", BoardHeapModel.Measure(
            () => new DtlsClient(rpkClient, Sink, Server, null!, null!, Events), rpkClient, Sink, Events, Server));
        var x509Client = Config(1, ClientCredentials(x509Node, x509: true));
        Row("DtlsClient, ECDHE-ECDSA (X.509)", BoardHeapModel.Measure(
            () => new DtlsClient(x509Client, Sink, Server, null!, null!, Events), x509Client, Sink, Events, Server));
        var coapConfig = new CoapConfig { Random = Random };
        var udp = new NfDtls.Coap.Transport.UdpConnector(Sink, 4);
        Row("CoapEndpoint alone, default CoapConfig (its connector excluded)", BoardHeapModel.Measure(() => new CoapEndpoint(coapConfig, udp), coapConfig, Sink, udp));
        Row("CoapEndpoint, default CoapConfig, coap:// (UdpConnector)", BoardHeapModel.Measure(() => CoapStack.OverUdp(coapConfig, Sink), coapConfig, Sink));
        var bridgeClient = Config(1);
        Row("CoapEndpoint + DtlsClient (connector), PSK, default configs", BoardHeapModel.Measure(() =>
        {
            var connector = new DtlsClientConnector(bridgeClient, Sink, Server, "node-1"u8.ToArray(), new byte[16]);
            coapConfig.FitBlockSizeTo(bridgeClient.MaxRecordPlaintext);
            connector.Receiver = new CoapEndpoint(coapConfig, connector);
            return connector;
        }, coapConfig, bridgeClient, Sink, Server));

        // ---- Server: the fixed part and what each session of SessionCapacity adds (all allocated at construction).
        // From capacities 2 and 10: a server of one session keeps its own ECDH object, from two on they share one.
        var goals = new Dictionary<string, long>(StringComparer.Ordinal);
        long worstPerSession = 0;
        foreach (var (mode, key, credentials) in new[]
        {
            ("PSK", "psk", (EcdheCredentials?)null),
            ("PSK + ECDHE-ECDSA raw public keys (client keys required)", "rpk", ServerRawKeyCredentials(fleet)),
            ("PSK + ECDHE-ECDSA raw keys and X.509 (client certificates required: the gateway's)", "x509", ServerCredentials(fleet)),
        })
        {
            var two = Config(2, credentials);
            var ten = Config(10, credentials);
            var keys = new PskTable(1);
            var f2 = BoardHeapModel.Measure(() => new DtlsServer(two, Sink, keys, Events), two, Sink, keys, Events);
            var f10 = BoardHeapModel.Measure(() => new DtlsServer(ten, Sink, keys, Events), ten, Sink, keys, Events);
            long perSession = (f10.Total - f2.Total) / 8;
            worstPerSession = Math.Max(worstPerSession, perSession);
            goals["server fixed " + key] = f2.Total - 2 * perSession;
            Console.WriteLine("DtlsServer, " + mode + ":");
            Line("  per session", perSession, "(SessionCapacity 10 minus 2, / 8)");
            Line("  fixed part, pool of 2 handshakes", f2.Total - 2 * perSession, "(SessionCapacity 2 minus two sessions)");
            if (!quiet && top > 0)
            {
                Console.Write(f2.Describe(top, depth));
            }
        }
        goals["server session"] = worstPerSession;

        // ---- Resumption (issue 13): the session-ID cache per entry, the ticket state, the ticket a session keeps.
        {
            var keys = new PskTable(1);
            DtlsConfig Resumable(int sessions, int cache, bool tickets)
            {
                var c = Config(sessions);
                c.SessionCacheSize = cache;
                c.SessionTickets = tickets;
                return c;
            }
            HeapFigure Server(DtlsConfig c) => BoardHeapModel.Measure(() => new DtlsServer(c, Sink, keys, Events), c, Sink, keys, Events);
            long plain = Server(Resumable(2, 0, false)).Total;
            long cache2 = Server(Resumable(2, 2, false)).Total;
            long cache10 = Server(Resumable(2, 10, false)).Total;
            long perEntry = (cache10 - cache2) / 8;
            Line("DtlsServer, PSK: session cache, per entry", perEntry, "(SessionCacheSize 10 minus 2, / 8; default MaxPskIdentityLength 128)");
            Line("DtlsServer, PSK: session cache, fixed part", cache2 - 2 * perEntry - plain, "(the cache object and the resumption scratch)");
            long tickets2 = Server(Resumable(2, 0, true)).Total;
            long tickets10 = Server(Resumable(10, 0, true)).Total;
            long plain10 = Server(Resumable(10, 0, false)).Total;
            long ticketPerSession = (tickets10 - plain10 - (tickets2 - plain)) / 8;
            Line("DtlsServer, PSK: session tickets, fixed part", tickets2 - plain - 2 * ticketPerSession, "(2 ticket keys, AES-128-CCM engine, scratch)");
            Line("DtlsServer, PSK: session tickets, per session", ticketPerSession, "(the ticket of a lost final flight, RFC 5077 §3.3)");
        }

        // ---- The sensor node with each board's settings, each security mode.
        string boards = Path.Combine(RepoRoot(), "boards");
        foreach (var dir in Directory.GetDirectories(boards).OrderBy(d => d, StringComparer.Ordinal))
        {
            string file = Path.Combine(dir, "board.settings");
            if (!File.Exists(file))
            {
                continue;
            }
            var boardFleet = FleetProvisioner.Create(new ProvisioningPlan
            {
                Nodes = 3,
                Security = new[] { NodeSettings.SecurityPsk, NodeSettings.SecurityRpk, NodeSettings.SecurityX509 },
                GatewayHost = "10.0.0.1",
                BaseSettingsText = File.ReadAllText(file),
            }, new HmacDrbg(new FixedEntropy()), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
            foreach (var settings in boardFleet.Nodes)
            {
                var figure = NodeFigure(settings);
                Row("SensorNode, " + Path.GetFileName(dir) + ", " + settings.Security, figure);
                goals["node " + Path.GetFileName(dir) + " " + settings.Security] = figure.Total;
            }
        }
        // On a board these exist from start-up, once, whatever is built: the P-256 comb table, AES and SHA-256 constants.
        var statics = BoardHeapModel.Statics(typeof(SensorNode));
        Row("static tables of the node's assemblies (Node, Coap, Dtls, Crypto), once per device", statics);

        // ---- The edge gateway (lib/NfDtls.Gateway) with each board's gateway.settings.
        foreach (var g in GatewayMemoryBench.Measure(boards).Concat(gatewayFiles.Select(f => GatewayMemoryBench.Measure(f, File.ReadAllText(f)))))
        {
            Line("GatewayEndpoint, " + g.Board + ": per node session", g.PerSession, "(SessionCapacity 16 minus 8, / 8; gateway.settings buffers)");
            Line("GatewayEndpoint, " + g.Board + ": fixed part", g.Fixed, "(PSK + ECDHE-ECDSA, rpk and x509 nodes)");
            Line("GatewayEndpoint, " + g.Board + ": node table, per node", g.PerNode, "(an rpk node: credential, id, key)");
            Line("ReadingPublisher, " + g.Board + ": MQTT queue of " + N(g.QueueCapacity), g.Uplink, "(slots of 256 B)");
            Line("edge gateway, " + g.Board + ": " + g.Sessions + " sessions and nodes, queue", g.Fixed + g.Sessions * (g.PerSession + g.PerNode) + g.Uplink,
                "(gateway.settings as provisioned)");
        }
        Console.WriteLine();
        Console.WriteLine("by type: bytes per type (xN objects); by path: bytes under each field path, " + depth + " steps from the object.");

        // ---- Issue 12's goals, each figure from the rows above.
        Console.WriteLine();
        Console.WriteLine("issue 12 goals (board figures; esp32-devkitc: boards/esp32-devkitc/board.settings)");
        Console.WriteLine("{0,-62} {1,10} {2,10}   {3}", "figure", "board B", "goal", "met");
        Console.WriteLine(new string('-', 96));
        void Goal(string what, string key, long goal, string note)
        {
            long v = goals[key];
            string met = v <= goal ? "met" : "MISSED by " + N(v - goal);
            Console.WriteLine("{0,-62} {1,10} {2,10}   {3}", what, N(v), N(goal), met + (note.Length > 0 ? " " + note : ""));
        }
        Goal("SensorNode, esp32-devkitc, psk", "node esp32-devkitc psk", 16_384, "");
        Goal("SensorNode, esp32-devkitc, rpk, with the handshake's peak", "node esp32-devkitc rpk", 32_768,
            "(peak = construction: 0 B allocated through a handshake, BoardHandshakeTests)");
        Goal("SensorNode, esp32-devkitc, x509 (no goal; rpk's)", "node esp32-devkitc x509", 32_768, "");
        Goal("DtlsServer, each established session", "server session", 1_024, "(every suite)");
        Goal("DtlsServer, fixed part with a pool of 2, PSK", "server fixed psk", 12_288, "");
        Goal("DtlsServer, fixed part with a pool of 2, ECDHE raw keys", "server fixed rpk", 20_480, "");
        Goal("DtlsServer, fixed part with a pool of 2, ECDHE + X.509", "server fixed x509", 20_480,
            "(certificate verifiers pooled: ConcurrentCertificateChains 1)");
        return 0;
    }

    /// <summary>The board figure of one SensorNode: what its constructor builds from the settings (the simulator's
    /// memory line uses the same measurement).</summary>
    public static HeapFigure NodeFigure(NodeSettings settings) => BoardHeapModel.Measure(
        () => new SensorNode(settings, PortableCryptoProvider.Instance, Random, Sensor, Sink, NullLog.Instance),
        settings, Random, Sensor, Sink);

    private static DtlsConfig Config(int sessions, EcdheCredentials? ecdhe = null) => new()
    {
        Crypto = PortableCryptoProvider.Instance,
        Random = Random,
        SessionCapacity = sessions,
        CipherSuites = ecdhe == null
            ? new[] { CipherSuite.TlsPskWithAes128Ccm8 }
            : new[] { CipherSuite.TlsPskWithAes128Ccm8, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 },
        Ecdhe = ecdhe,
    };

    /// <summary>A node's client credentials, as SensorNode builds them from its settings.</summary>
    private static EcdheCredentials ClientCredentials(NodeSettings node, bool x509)
    {
        var c = new EcdheCredentials { PrivateKey = node.PrivateKey };
        if (!x509)
        {
            c.RawPublicKeys = true;
            c.TrustedKeys = new RpkAllowList(1);
            byte[] spki = new byte[P256Spki.Length];
            P256Spki.Encode(node.GatewayPublicKey!, 0, spki, 0);
            c.TrustedKeys.AddSpki(spki, 0, spki.Length);
        }
        else
        {
            c.CertificateChain = new[] { node.Certificate! };
            c.TrustAnchors = new TrustAnchorStore(1);
            c.TrustAnchors.AddCertificate(node.CaCertificate!, 0, node.CaCertificate!.Length);
            c.Clock = new FixedClock();
        }
        return c;
    }

    /// <summary>Raw public keys only: the gateway's key, the rpk node's key on the allow-list, client keys asked.</summary>
    private static EcdheCredentials ServerRawKeyCredentials(ProvisionedFleet fleet)
    {
        var c = new EcdheCredentials
        {
            PrivateKey = fleet.Gateway.PrivateKey,
            RawPublicKeys = true,
            TrustedKeys = new RpkAllowList(1),
            RequestClientCertificate = true,
            RequireClientCertificate = true,
        };
        var rpk = fleet.Nodes.Single(n => n.Security == NodeSettings.SecurityRpk);
        byte[] spki = new byte[P256Spki.Length];
        P256Spki.Encode(rpk.PublicKey!, 0, spki, 0);
        c.TrustedKeys.AddSpki(spki, 0, spki.Length);
        return c;
    }

    /// <summary>The gateway's: its key, certificate and the fleet CA, the rpk nodes' keys, client certificates required.</summary>
    private static EcdheCredentials ServerCredentials(ProvisionedFleet fleet)
    {
        var gateway = fleet.Gateway;
        var c = new EcdheCredentials
        {
            PrivateKey = gateway.PrivateKey,
            CertificateChain = new[] { gateway.Certificate! },
            TrustAnchors = new TrustAnchorStore(1),
            RawPublicKeys = true,
            TrustedKeys = new RpkAllowList(1),
            RequestClientCertificate = true,
            RequireClientCertificate = true,
            Clock = new FixedClock(),
        };
        c.TrustAnchors.AddCertificate(gateway.CaCertificate!, 0, gateway.CaCertificate!.Length);
        var rpk = fleet.Nodes.Single(n => n.Security == NodeSettings.SecurityRpk);
        byte[] spki = new byte[P256Spki.Length];
        P256Spki.Encode(rpk.PublicKey!, 0, spki, 0);
        c.TrustedKeys.AddSpki(spki, 0, spki.Length);
        return c;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
            {
                return dir.FullName;
            }
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("nf-dtls.sln not found: run from the repository");
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
