using NfDtls.BoardHeap;
using NfDtls.Config;
using NfDtls.Crypto;
using NfDtls.Desktop.Gateway;
using NfDtls.Desktop.Provisioning;
using NfDtls.Gateway;
using NfDtls.Net;
using NfDtls.Pki;
using NfDtls.Uplink;

namespace NfDtls.Bench;

/// <summary>
/// The edge gateway's board figures (part of `memory`): the portable <see cref="GatewayEndpoint"/> built from each
/// board's gateway.settings, as a fixed part and a per-session part (all sessions are allocated at construction), the
/// node table per node, and the MQTT uplink's queue. Portable crypto, as on a board.
/// </summary>
internal static class GatewayMemoryBench
{
    private sealed class NoSink : IDatagramSink
    {
        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
        }
    }

    private sealed class NoBroker : IBrokerClient
    {
        public bool IsConnected => false;
        public bool Connect() => false;
        public int Publish(string topic, byte[] payload) => -1;
        public void Disconnect()
        {
        }
    }

    private sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)9, offset, count);
    }

    private sealed class FixedClock : IWallClock
    {
        public long UnixSeconds => 1_767_312_000;
    }

    /// <summary>One board's figures.</summary>
    public sealed record Figures(string Board, int Sessions, long PerSession, long Fixed, long PerNode, long Uplink, int QueueCapacity);

    public static IEnumerable<Figures> Measure(string boardsDir)
    {
        foreach (var dir in Directory.GetDirectories(boardsDir).OrderBy(d => d, StringComparer.Ordinal))
        {
            string file = Path.Combine(dir, "gateway.settings");
            if (File.Exists(file))
            {
                yield return Measure(Path.GetFileName(dir), File.ReadAllText(file));
            }
        }
    }

    public static Figures Measure(string board, string settingsText)
    {
        var s = new GatewaySettings(1);
        if (!GatewaySettingsReader.TryParse(settingsText, s, out string error, false))
        {
            throw new InvalidOperationException(board + " gateway.settings: " + error);
        }
        // One node of each kind, so the gateway offers PSK and ECDHE-ECDSA with raw keys and certificates.
        var fleet = FleetProvisioner.Create(new ProvisioningPlan
        {
            Nodes = 3,
            Security = new[] { NodeSettings.SecurityPsk, NodeSettings.SecurityRpk, NodeSettings.SecurityX509 },
            GatewayHost = "10.0.0.1",
        }, new HmacDrbg(new FixedEntropy()), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var nodes = SensorGateway.NodeTableOf(fleet.Gateway);
        var sink = new NoSink();
        var random = new HmacDrbg(new FixedEntropy());
        HeapFigure At(int sessions)
        {
            var config = s.ToConfig();
            config.SessionCapacity = sessions;
            config.Random = random;
            config.Crypto = PortableCryptoProvider.Instance;
            config.PrivateKey = fleet.Gateway.PrivateKey;
            config.Certificate = fleet.Gateway.Certificate;
            config.CaCertificate = fleet.Gateway.CaCertificate;
            config.Clock = new FixedClock();
            config.Deduplicator = new ReadingDeduplicator(nodes.Count);
            return BoardHeapModel.Measure(() => new GatewayEndpoint(config, nodes, null!, null!, sink), config, nodes, sink, random);
        }
        // From 8 and 16 sessions: below 8 the CoAP tables sit at their minimums, so the difference is the per-session cost.
        var f8 = At(8);
        var f16 = At(16);
        long perSession = (f16.Total - f8.Total) / 8;
        long fixedPart = f8.Total - 8 * perSession;

        // The node table: what the settings reader builds per node (the credential, its id and key material).
        var one = BoardHeapModel.Measure(() =>
        {
            var t = new NodeTable(1);
            t.Add(NodeCredential.Rpk("node-001", (byte[])fleet.Gateway.Nodes[1].PublicKey!.Clone()));
            return t;
        });
        var empty = BoardHeapModel.Measure(() => new NodeTable(1));
        long perNode = one.Total - empty.Total + 12; // + its slot in the table's array

        var publisherConfig = new PublisherConfig { QueueCapacity = s.MqttQueueCapacity, TopicPrefix = s.MqttTopicPrefix };
        var broker = new NoBroker();
        var uplink = BoardHeapModel.Measure(() => new ReadingPublisher(publisherConfig, broker, random), publisherConfig, broker, random);
        return new Figures(board, s.SessionCapacity, perSession, fixedPart, perNode, uplink.Total, s.MqttQueueCapacity);
    }
}
