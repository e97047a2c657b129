using NfDtls.BoardHeap;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Mqtt;
using NfDtls.Desktop.Provisioning;
using NfDtls.Diagnostics;
using NfDtls.Dtls;
using NfDtls.Net;
using NfDtls.Node;

namespace NfDtls.Simulation.Fleet;

/// <summary>What kind of fleet <see cref="SensorFleet"/> builds.</summary>
public sealed class SensorFleetOptions
{
    public int Nodes { get; set; } = 10;
    public int Seed { get; set; } = 1;
    public int ReadingPeriodMs { get; set; } = 60_000;
    public bool Confirmable { get; set; } = true;
    /// <summary>Security modes handed out round-robin ("psk", "rpk", "x509").</summary>
    public string[] Security { get; set; } = { NodeSettings.SecurityPsk };
    /// <summary>The last this-many nodes present a PSK identity the gateway does not hold.</summary>
    public int UnknownNodes { get; set; }
    /// <summary>
    /// The nodes' Connection ID setting (RFC 9146): send-only by default (a node behind NAT uses the gateway's CID and
    /// asks for none), <see cref="NodeSettings.ConnectionIdOff"/>, or a length to ask the gateway for.
    /// </summary>
    public int NodeConnectionIdLength { get; set; } = NodeSettings.ConnectionIdSendOnly;
    /// <summary>The CID length the gateway issues (0: none), <see cref="GatewayOptions.DefaultConnectionIdLength"/> by default.</summary>
    public int GatewayConnectionIdLength { get; set; } = GatewayOptions.DefaultConnectionIdLength;
    /// <summary>Node crypto: the portable provider the boards run (default) or the desktop one.</summary>
    public ICryptoProvider NodeCrypto { get; set; } = PortableCryptoProvider.Instance;
    public ICryptoProvider GatewayCrypto { get; set; } = Desktop.Crypto.DesktopCryptoProvider.Instance;
    /// <summary>Session secrets for decrypting a capture (NSS key log), or null.</summary>
    public IDtlsKeyLog? KeyLog { get; set; }
    /// <summary>Where the gateway hands accepted readings (memory, an MQTT forwarder), or null.</summary>
    public IReadingSink? ReadingSink { get; set; }
    /// <summary>Wall-clock stamp for the gateway's clock value: virtual ms after 2026-01-01 by default (deterministic).</summary>
    public Func<long, DateTimeOffset>? TimeOf { get; set; }
    /// <summary>
    /// A restarted gateway loads the ticket keys the one before it held (SaveTicketKeys/LoadTicketKeys, as a real one
    /// keeps them in a file), so the nodes' session tickets (RFC 5077) still open and they resume. False: it starts with
    /// new keys, every ticket is refused and every node pays a full handshake.
    /// </summary>
    public bool GatewayRestartKeepsTicketKeys { get; set; } = true;
    /// <summary>
    /// A rebooted node gets back the resumable session its last incarnation held (SaveResumption/LoadResumption, as a
    /// board that keeps the blob in RTC memory or flash would). False (default): a reboot loses RAM, so a full handshake.
    /// </summary>
    public bool RebootKeepsSession { get; set; }
}

/// <summary>
/// The simulator's fleet: real <see cref="SensorNode"/>s (the board code, portable crypto) and a real
/// <see cref="SensorGateway"/>, provisioned deterministically from the seed by the same <see cref="FleetProvisioner"/>
/// `nfdtls provision` uses. Each node is wrapped so what it does (samples, handshakes, retransmissions) reaches the
/// <see cref="FleetRecorder"/>; the gateway's accepted readings do too.
/// </summary>
public sealed class SensorFleet : IFleetFactory
{
    private readonly SensorFleetOptions _options;
    private readonly ProvisionedFleet _fleet;
    private readonly NodeSettings[] _settings;
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _memoryByMode = new(StringComparer.Ordinal);
    private NfDtls.Gateway.ReadingDeduplicator? _dedup;

    public SensorFleet(SensorFleetOptions options, FleetRecorder recorder)
    {
        _options = options;
        Recorder = recorder;
        var plan = new ProvisioningPlan
        {
            Nodes = options.Nodes,
            Security = options.Security,
            GatewayHost = "10.0.0.1",
            ReadingPeriodMs = options.ReadingPeriodMs,
        };
        // Fixed randomness and a fixed date: the same seed provisions the same keys.
        _fleet = FleetProvisioner.Create(plan, SeededRandom.Create(options.Seed, -1000), Epoch);
        _settings = _fleet.Nodes;
        var keys = SeededRandom.Create(options.Seed, -1001);
        for (int i = 0; i < _settings.Length; i++)
        {
            _settings[i].Confirmable = options.Confirmable;
            _settings[i].ConnectionIdLength = options.NodeConnectionIdLength;
            _indexById[_settings[i].NodeId] = i;
            if (i >= _settings.Length - options.UnknownNodes)
            {
                // An intruder: a well-formed identity and key the gateway has never been given.
                _settings[i].Security = NodeSettings.SecurityPsk;
                _settings[i].PskIdentity = "intruder-" + _settings[i].NodeId;
                _settings[i].PskKey = new byte[16];
                keys.GetBytes(_settings[i].PskKey, 0, 16);
            }
        }
    }

    /// <summary>The simulated world's start: virtual time 0.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FleetRecorder Recorder { get; }
    /// <summary>Board figure of a node per security mode (board-heap model; the report shows the largest).</summary>
    public IReadOnlyDictionary<string, long> NodeMemoryByMode => _memoryByMode;
    private DateTimeOffset TimeOf(long ms) => _options.TimeOf != null ? _options.TimeOf(ms) : Epoch.AddMilliseconds(ms);
    public GatewayCredentials Credentials => _fleet.Gateway;
    public NodeSettings Settings(int index) => _settings[index];
    /// <summary>The gateway now running (the latest one created).</summary>
    public SensorGateway? Gateway { get; private set; }
    /// <summary>Every node instance created so far, per index (the last is the running one).</summary>
    public SensorNode?[] Nodes { get; private set; } = Array.Empty<SensorNode?>();

    public IDatagramEndpoint CreateGateway(PeerAddress address, IDatagramSink sink, int incarnation, long nowMs)
    {
        // Survives a gateway restart, as persisted state would (so it is not part of the gateway's figure either).
        _dedup ??= new NfDtls.Gateway.ReadingDeduplicator(_fleet.Gateway.Nodes.Count);
        GatewayOptions Options() => new()
        {
            Crypto = _options.GatewayCrypto,
            Random = SeededRandom.Create(_options.Seed, -1 - incarnation),
            SessionCapacity = _options.Nodes + 8,
            ConnectionIdLength = _options.GatewayConnectionIdLength,
            // Secrets are logged by the nodes (one line per session); the gateway would repeat each.
            KeyLog = null,
            Sink = _options.ReadingSink,
            Deduplicator = _dedup,
            TimeOf = TimeOf,
        };
        if (incarnation == 0)
        {
            // A first construction also pays one-time static set-up (tables, JIT-time allocations), which varies
            // between processes; a throw-away one-session gateway pays it so the figure below is reproducible.
            _ = new SensorGateway(_fleet.Gateway, new GatewayOptions
            {
                Crypto = _options.GatewayCrypto,
                Random = SeededRandom.Create(_options.Seed, -1000000),
                SessionCapacity = 1,
                ConnectionIdLength = _options.GatewayConnectionIdLength,
                TimeOf = ms => Epoch.AddMilliseconds(ms),
            }, sink);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var gateway = new SensorGateway(_fleet.Gateway, Options(), sink);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        if (Gateway != null && _options.GatewayRestartKeepsTicketKeys)
        {
            // What a real gateway keeps in a file across a restart: the ticket keys, so every node's ticket still opens
            // (RFC 5077 §4: the keys, not per-node state). Its session cache, in RAM, is gone.
            byte[] keys = new byte[DtlsServer.TicketKeysLength];
            int n = Gateway.Dtls.SaveTicketKeys(keys, 0);
            if (n <= 0 || !gateway.Dtls.LoadTicketKeys(keys, 0, n))
            {
                throw new InvalidOperationException("the restarted gateway could not take over the ticket keys");
            }
        }
        if (incarnation == 0)
        {
            // A few hundred bytes come and go between two identical constructions in one process (runtime-internal,
            // with the GC's timing; main's gateway shows it too): twins are measured as well, the smallest figure is
            // the reproducible one.
            for (int twin = 0; twin < 2; twin++)
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                _ = new SensorGateway(_fleet.Gateway, Options(), sink);
                bytes = Math.Min(bytes, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Recorder.GatewayBytesPerSession = bytes / gateway.SessionCapacity;
        }
        gateway.ReadingAccepted = reading =>
        {
            if (_indexById.TryGetValue(reading.NodeId, out int index))
            {
                Recorder.ReadingDelivered(index, reading.Sequence, reading.ReceivedAtMs);
            }
        };
        gateway.IdentityRefused = identity => Recorder.Refused(identity);
        Gateway = gateway;
        return gateway;
    }

    public IDatagramEndpoint CreateNode(int index, int boot, PeerAddress address, PeerAddress gateway, IDatagramSink sink, long nowMs)
    {
        if (Nodes.Length != _settings.Length)
        {
            Nodes = new SensorNode?[_settings.Length];
        }
        var sensor = new RecordingSensor(new SimulatedSensor(_options.Seed, index, boot), index, Recorder);
        // Randomness per (node, boot): a rebooted node draws new client randoms, as a board's TRNG would.
        IRandom random = SeededRandom.Create(_options.Seed, ((long)index << 16) | (uint)boot);
        // Point the node at wherever the gateway lives in this run (virtual 10.0.0.1, or a loopback port).
        var settings = _settings[index];
        settings.GatewayHost = gateway.AddressByte(0) + "." + gateway.AddressByte(1) + "." + gateway.AddressByte(2) + "." + gateway.AddressByte(3);
        settings.GatewayPort = gateway.Port;
        // The board figure of the first node of each security mode; the report shows the largest mode: the budget a
        // board must have.
        string mode = settings.Security;
        if (!_memoryByMode.ContainsKey(mode))
        {
            _memoryByMode[mode] = BoardFigure(settings);
            Recorder.NodeMemoryBytes = _memoryByMode.Values.Max();
        }
        var node = new SensorNode(settings, _options.NodeCrypto, random, sensor, sink, NullLog.Instance);
        if (boot > 0 && _options.RebootKeepsSession && Nodes[index] is { } before)
        {
            // A board that keeps the resumable-session blob where a reboot does not wipe it (RTC memory, flash).
            byte[] blob = new byte[DtlsClient.MaxResumptionStateLength];
            int n = before.Dtls.SaveResumption(blob, 0);
            if (n > 0)
            {
                node.Dtls.LoadResumption(blob, 0, n);
            }
        }
        // Calendar time for X.509 validity: the simulated world's (certificates were issued at the epoch).
        node.SetWallClock(TimeOf(nowMs).ToUnixTimeSeconds(), nowMs);
        node.KeyLog = _options.KeyLog;
        sensor.Node = node;
        // Sample numbers stay unique across reboots, as if the board kept its counter in flash.
        node.NextSequence = boot * 1_000_000L;
        Nodes[index] = node;
        return new ObservedNode(node, index, Recorder);
    }

    /// <summary>
    /// What a node with these settings holds on a board: a twin built with the portable crypto a board runs, its own
    /// random, sensor and sink (so the simulation's randomness and results are untouched), priced by the board-heap
    /// model (tools/NfDtls.BoardHeap: nanoCLR's 32-bit heap, 12-byte header per object and 12 bytes per field).
    /// </summary>
    private static long BoardFigure(NodeSettings settings)
    {
        IRandom random = new HmacDrbg(new FixedEntropy());
        ISensor sensor = new NoSensor();
        IDatagramSink sink = new NullSink();
        return BoardHeapModel.Measure(
            () => new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, sink, NullLog.Instance),
            settings, random, sensor, sink).Total;
    }

    private sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)7, offset, count);
    }

    private sealed class NoSensor : ISensor
    {
        public int Read(SensorReading[] into, long nowMs) => 0;
    }

    private sealed class NullSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    /// <summary>
    /// Tells the recorder about a sample the moment the node reads its sensor: before the node can send it, so even on
    /// real sockets (the gateway on another thread) a reading is never delivered before it was taken. The node numbers
    /// the sample with its <see cref="SensorNode.NextSequence"/> right after this read.
    /// </summary>
    private sealed class RecordingSensor(ISensor inner, int index, FleetRecorder recorder) : ISensor
    {
        public SensorNode? Node;

        public int Read(SensorReading[] into, long nowMs)
        {
            if (Node != null)
            {
                recorder.ReadingTaken(index, Node.NextSequence, nowMs);
            }
            return inner.Read(into, nowMs);
        }
    }

    /// <summary>Forwards to the node and reports what changed in its counters after every call.</summary>
    private sealed class ObservedNode(SensorNode node, int index, FleetRecorder recorder) : IDatagramEndpoint
    {
        private long _handshakes, _resumed, _failed, _retransmissions;

        public long NextDeadline => node.NextDeadline;

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            node.Receive(buffer, offset, count, from, nowMs);
            Report(nowMs);
        }

        public void Tick(long nowMs)
        {
            node.Tick(nowMs);
            Report(nowMs);
        }

        private void Report(long nowMs)
        {
            if (node.HandshakesCompleted != _handshakes)
            {
                // One call handles one datagram or deadline: at most one handshake completes in it.
                if (node.HandshakesResumed != _resumed)
                {
                    recorder.HandshakeResumed(index, nowMs);
                }
                else
                {
                    recorder.HandshakeDone(index, nowMs);
                }
                _handshakes = node.HandshakesCompleted;
                _resumed = node.HandshakesResumed;
            }
            if (node.HandshakesFailed != _failed)
            {
                recorder.HandshakeFailed(index, nowMs);
                _failed = node.HandshakesFailed;
            }
            long r = node.Retransmissions;
            if (r != _retransmissions)
            {
                recorder.Retransmitted(index, (int)(r - _retransmissions), nowMs);
                _retransmissions = r;
            }
        }
    }
}
