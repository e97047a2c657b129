using NfDtls.Config;
using NfDtls.Desktop.Mqtt;
using NfDtls.Desktop.Provisioning;

namespace NfDtls.Cli.Commands;

/// <summary>
/// `nfdtls provision`: creates a fleet's credentials and writes gateway.json plus one settings file per device.
/// Secrets (PSKs, private keys, Wi-Fi password) reach the console only with --show-secrets.
/// </summary>
public sealed class ProvisionCommand : ICommand
{
    public CommandSyntax Syntax { get; } = new CommandSyntax()
        .Values("--out", "--nodes", "--security", "--prefix", "--gateway-host", "--gateway-port", "--board", "--period-ms",
            "--psk-bytes", "--wifi-ssid", "--wifi-password", "--gateway-board", "--mqtt")
        .Switches("--show-secrets", "--force")
        .Completes("--security", () => new[] { "psk", "rpk", "x509", "psk,rpk,x509" })
        .Completes("--board", BoardSettings.Known)
        .Completes("--gateway-board", BoardSettings.KnownGateways);

    public IReadOnlyList<string> Names { get; } = new[] { "provision" };

    public string Summary => "create a fleet's credentials: gateway.json and one settings file per device";

    public int Run(string name, ParsedArguments o)
    {
        string dir = o.Require("--out");
        var plan = new ProvisioningPlan
        {
            Nodes = o.GetInt("--nodes", 1, 1, 100000),
            Prefix = o.Get("--prefix") ?? "node-",
            GatewayHost = o.Get("--gateway-host") ?? "192.168.1.10",
            GatewayPort = o.GetInt("--gateway-port", NodeSettings.DefaultGatewayPort, 1, 65535),
            PskKeyLength = o.GetInt("--psk-bytes", 16, NodeSettingsCheck.MinPskKeyLength, NodeSettingsCheck.MaxPskKeyLength),
            WifiSsid = o.Get("--wifi-ssid") ?? "",
            WifiPassword = o.Get("--wifi-password") ?? "",
        };
        if (o.Get("--period-ms") != null)
        {
            plan.ReadingPeriodMs = o.GetInt("--period-ms", 10000, 100, 86400000);
        }
        plan.Security = (o.Get("--security") ?? "psk").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var m in plan.Security)
        {
            if (m is not (NodeSettings.SecurityPsk or NodeSettings.SecurityRpk or NodeSettings.SecurityX509))
            {
                throw new UsageException("--security wants psk, rpk or x509 (or a comma list of them for a mixed fleet), not '" + m + "'");
            }
        }
        string boardNote = "NodeSettings defaults";
        if (o.Get("--board") is string board)
        {
            plan.BaseSettingsText = BoardSettings.Load(board, out string source);
            boardNote = "board defaults from " + source;
        }
        string? gatewayBoardText = null;
        string gatewayBoardNote = "";
        MqttForwarderOptions? broker = null;
        if (o.Get("--gateway-board") is string gatewayBoard)
        {
            if (o.Get("--mqtt") is not string mqtt)
            {
                throw new UsageException("--gateway-board wants --mqtt HOST:PORT: the broker the edge gateway publishes to");
            }
            gatewayBoardText = BoardSettings.LoadGateway(gatewayBoard, out gatewayBoardNote);
            try
            {
                broker = MqttForwarderOptions.Parse(mqtt);
            }
            catch (FormatException e)
            {
                throw new UsageException("--mqtt: " + e.Message);
            }
        }
        else if (o.Get("--mqtt") != null)
        {
            throw new UsageException("--mqtt is the edge gateway's broker: it goes with --gateway-board");
        }
        if (File.Exists(Path.Combine(dir, FleetFiles.GatewayFile)) && !o.Has("--force"))
        {
            Console.Error.WriteLine("nfdtls provision: " + Path.Combine(dir, FleetFiles.GatewayFile)
                + " already exists; new credentials would lock out the fleet it belongs to (use --force to replace it)");
            return ExitCodes.Failure;
        }

        ProvisionedFleet fleet;
        IReadOnlyList<string> files;
        try
        {
            fleet = FleetProvisioner.Create(plan);
            string? edge = broker == null ? null : EdgeGatewaySettingsFile.Write(fleet.Gateway, gatewayBoardText, broker.Host, broker.Port,
                "nf-dtls edge gateway settings: " + fleet.Nodes.Length + " node(s), MQTT " + broker.Host + ":" + broker.Port + "\n"
                + "board defaults from " + gatewayBoardNote);
            files = FleetFiles.Write(fleet, dir, boardNote, edge);
        }
        catch (ProvisioningException e)
        {
            Console.Error.WriteLine("nfdtls provision: " + e.Message);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("nfdtls provision: cannot write " + dir + ": " + e.Message);
            return ExitCodes.Failure;
        }
        Report(fleet, dir, boardNote, o.Has("--show-secrets"));
        if (broker != null)
        {
            Console.Out.WriteLine("  " + Path.Combine(dir, EdgeGatewaySettingsFile.FileName) + "   edge gateway (" + gatewayBoardNote
                + "), publishing to " + broker.Host + ":" + broker.Port + " (secret: copy onto the gateway board)");
        }
        if (o.Get("--gateway-host") == null)
        {
            // Nodes find the gateway only at this address: say so when it is the example default.
            Console.Error.WriteLine("nfdtls provision: note: nodes will look for the gateway at " + plan.GatewayHost
                + " (the default); --gateway-host sets the real address");
        }
        return ExitCodes.Ok;
    }

    private static void Report(ProvisionedFleet fleet, string dir, string boardNote, bool showSecrets)
    {
        var w = Console.Out;
        w.WriteLine("provisioned " + fleet.Nodes.Length + " node(s) for gateway " + fleet.Nodes[0].GatewayHost + ":" + fleet.Nodes[0].GatewayPort + " (" + boardNote + ")");
        w.WriteLine("  " + Path.Combine(dir, FleetFiles.GatewayFile) + "   gateway credentials (secret)");
        w.WriteLine("  " + Path.Combine(dir, FleetFiles.NodesFolder, "<id>" + FleetFiles.SettingsExtension) + "   one per device (secret: copy onto the board)");
        w.WriteLine("  " + Path.Combine(dir, FleetFiles.CaKeyFile) + "   fleet CA private key (secret: keep offline)");
        w.WriteLine();
        w.WriteLine("  " + "node".PadRight(20) + "security  " + (showSecrets ? "secret" : "public part"));
        foreach (var n in fleet.Nodes)
        {
            string detail;
            if (n.Security == NodeSettings.SecurityPsk)
            {
                detail = "identity " + n.PskIdentity + (showSecrets ? "  key " + SettingsText.ToHex(n.PskKey) : "  key hidden");
            }
            else
            {
                detail = showSecrets
                    ? "private key " + SettingsText.ToHex(n.PrivateKey)
                    : "public key " + SettingsText.ToHex(n.PublicKey, 0, 9) + "…";
            }
            w.WriteLine("  " + n.NodeId.PadRight(20) + n.Security.PadRight(10) + detail);
        }
        if (!showSecrets)
        {
            w.WriteLine();
            w.WriteLine("secrets are in the files only (--show-secrets prints them)");
        }
    }

    public void PrintHelp(TextWriter w, string name)
    {
        w.WriteLine("nfdtls provision: create a fleet's credentials");
        w.WriteLine();
        w.WriteLine("usage: nfdtls provision --out DIR [options]");
        w.WriteLine();
        w.WriteLine("Writes DIR/gateway.json (the gateway's key, certificate and every node's credential),");
        w.WriteLine("DIR/nodes/<id>.settings (one per device: copy it onto the board) and DIR/ca-key.pem (the fleet CA).");
        w.WriteLine("All files hold secrets and are created readable by their owner only.");
        w.WriteLine();
        w.WriteLine("options:");
        w.WriteLine("  --out DIR              where to write (required)");
        w.WriteLine("  --nodes N              how many nodes (default 1)");
        w.WriteLine("  --security MODE        psk | rpk | x509, or a comma list given out round-robin (default psk)");
        w.WriteLine("  --prefix TEXT          node ids are TEXT + number: node-001 … (default node-)");
        w.WriteLine("  --gateway-host HOST    where nodes find the gateway (default 192.168.1.10)");
        w.WriteLine("  --gateway-port PORT    its CoAPS port (default 5684)");
        w.WriteLine("  --board NAME|PATH      start from a board's settings (" + string.Join(", ", BoardSettings.Known()) + ")");
        w.WriteLine("                         or a board.settings file / folder");
        w.WriteLine("  --period-ms MS         reading period (default: the board's, else 10000)");
        w.WriteLine("  --psk-bytes N          PSK length, 16 to 64 (default 16)");
        w.WriteLine("  --wifi-ssid SSID       Wi-Fi network written into each device file (ESP32 boards)");
        w.WriteLine("  --wifi-password PASS   its passphrase");
        w.WriteLine("  --gateway-board NAME   also write DIR/edge-gateway.settings for a board running firmware/EdgeGateway");
        w.WriteLine("                         (" + string.Join(", ", BoardSettings.KnownGateways()) + ", or a gateway.settings path)");
        w.WriteLine("  --mqtt HOST:PORT       the broker that edge gateway publishes to (with --gateway-board)");
        w.WriteLine("  --show-secrets         also print keys (never printed otherwise)");
        w.WriteLine("  --force                replace an existing DIR/gateway.json");
        w.WriteLine();
        w.WriteLine("examples:");
        w.WriteLine("  nfdtls provision --out fleet --nodes 10");
        w.WriteLine("  nfdtls provision --out fleet --nodes 3 --security rpk --gateway-host 10.0.0.2 --board esp32-devkitc \\");
        w.WriteLine("                   --wifi-ssid home --wifi-password 'correct horse'");
        w.WriteLine("  nfdtls provision --out lab --nodes 30 --security psk,rpk,x509 --prefix lab- --board nucleo-f746zg");
        w.WriteLine("  nfdtls provision --out site --nodes 8 --gateway-host 192.168.1.20 --gateway-board stm32f769i-discovery \\");
        w.WriteLine("                   --mqtt 192.168.1.5:1883");
        w.WriteLine();
        w.WriteLine("exit codes: 0 written, 1 could not write (or gateway.json exists without --force), 2 bad options");
    }
}
