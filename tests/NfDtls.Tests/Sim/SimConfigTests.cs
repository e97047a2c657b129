using NfDtls.Sim;
using Xunit;

namespace NfDtls.Tests.Sim;

/// <summary>The simulator's configuration: file and flags, and a clear error naming the bad field.</summary>
public sealed class SimConfigTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "nfdtls-sim-" + Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_file);

    private static string FieldOf(params string[] args) => Assert.Throws<SimConfigException>(() => SimCommandLine.Parse(args)).Field;

    [Fact]
    public void DefaultsAreTheEmbeddedRun()
    {
        var c = SimCommandLine.Parse(Array.Empty<string>())!;
        Assert.Equal(200, c.Nodes);
        Assert.Equal(3600, c.DurationSeconds);
        Assert.True(c.Confirmable);
        Assert.False(c.Udp);
    }

    [Fact]
    public void FlagsOverrideTheFile()
    {
        File.WriteAllText(_file, "{ // comments allowed\n \"nodes\": 50, \"seed\": 9, \"network\": { \"profile\": \"bad\", \"loss\": 0.3 },\n"
            + " \"reboots\": [ { \"atSeconds\": 60, \"nodes\": \"0-4\" } ] }");
        var c = SimCommandLine.Parse(new[] { "--config", _file, "--nodes", "80", "--non", "--duration", "15m", "--partition", "5m:1m:10-19" })!;
        Assert.Equal(80, c.Nodes);
        Assert.Equal(9, c.Seed);
        Assert.Equal(900, c.DurationSeconds);
        Assert.False(c.Confirmable);
        Assert.Equal(0.3, c.Network.ToLinkProfile().Loss);
        Assert.Equal("0-4", Assert.Single(c.Reboots).Nodes);
        var plan = SimPlan.ToPlan(c);
        Assert.Equal(new NfDtls.Simulation.Fleet.FleetPartition(300_000, 60_000, 10, 19), Assert.Single(plan.Partitions));
    }

    [Fact]
    public void ResumptionFaultFlagsReachTheConfigAndTheHeader()
    {
        var keep = SimCommandLine.Parse(new[] { "--gateway-restart", "10m:5s", "--reboot", "5m:0" })!;
        Assert.False(keep.GatewayRestartNewKeys);
        Assert.False(keep.RebootKeepsSession);
        Assert.Contains("  gateway     restarts at 10 min, down for 5 s, ticket keys kept", SimPlan.Header(keep, "x"));
        Assert.Contains("  reboot      nodes 0 at 5 min, RAM lost (full handshake)", SimPlan.Header(keep, "x"));
        var fresh = SimCommandLine.Parse(new[] { "--gateway-restart", "10m:5s", "--gateway-restart-new-keys", "--reboot", "5m:0", "--reboot-keeps-session" })!;
        Assert.True(fresh.GatewayRestartNewKeys);
        Assert.True(fresh.RebootKeepsSession);
        Assert.Contains("  gateway     restarts at 10 min, down for 5 s, new ticket keys", SimPlan.Header(fresh, "x"));
        Assert.Contains("  reboot      nodes 0 at 5 min, resumable session kept", SimPlan.Header(fresh, "x"));
        File.WriteAllText(_file, "{ \"gatewayRestartNewKeys\": true, \"rebootKeepsSession\": true }");
        var file = SimCommandLine.Parse(new[] { "--config", _file })!;
        Assert.True(file.GatewayRestartNewKeys && file.RebootKeepsSession);
    }

    [Fact]
    public void BadValuesNameTheirField()
    {
        Assert.Equal("network.loss", FieldOf("--loss", "1.5"));
        Assert.Equal("nodes", FieldOf("--nodes", "0"));
        Assert.Equal("nodes", FieldOf("--nodes", "many"));
        Assert.Equal("duration", FieldOf("--duration", "soon"));
        Assert.Equal("network.profile", FieldOf("--network", "wifi"));
        Assert.Equal("credentials.lora", FieldOf("--credentials", "psk=0.5,lora=0.5"));
        Assert.Equal("reboots[0].nodes", FieldOf("--nodes", "10", "--reboot", "1m:12"));
        Assert.Equal("--frobnicate", FieldOf("--frobnicate"));
        File.WriteAllText(_file, "{ \"network\": { \"loss\": \"lots\" } }");
        Assert.Equal("network.loss", FieldOf("--config", _file));
        File.WriteAllText(_file, "{ \"nodez\": 3 }");
        Assert.Contains("nodez", Assert.Throws<SimConfigException>(() => SimCommandLine.Parse(new[] { "--config", _file })).Message);
    }

    [Fact]
    public void NatRebindAsARateOrASchedule()
    {
        var c = SimCommandLine.Parse(new[] { "--nodes", "50", "--nat-rebind", "2.5", "--nat-rebind", "20m:0-9", "--nat-rebind=30m:all", "--no-cid" })!;
        Assert.Equal(2.5, c.NatRebindsPerHour);
        Assert.Equal(2, c.NatRebinds.Count);
        Assert.False(c.ConnectionId);
        var plan = SimPlan.ToPlan(c);
        Assert.Equal(2.5, plan.NatRebindsPerNodeHour);
        Assert.Equal(new NfDtls.Simulation.Fleet.FleetNatRebind(1_200_000, 0, 9), plan.NatRebinds[0]);
        Assert.Equal(new NfDtls.Simulation.Fleet.FleetNatRebind(1_800_000, 0, 49), plan.NatRebinds[1]);
        var header = SimPlan.Header(c, "test");
        Assert.EndsWith("as CON, Connection ID off", header[1]);
        Assert.Contains("  nat rebind  2.5 per node per hour on average, at random (seeded)", header);
        Assert.Contains("  nat rebind  nodes 0-9 at 20 min", header);
        Assert.Contains("  nat rebind  nodes all at 30 min", header);

        var defaults = SimCommandLine.Parse(Array.Empty<string>())!;
        Assert.True(defaults.ConnectionId);
        Assert.Equal(0, defaults.NatRebindsPerHour);
        Assert.EndsWith("as CON, Connection ID on", SimPlan.Header(defaults, "test")[1]);
        Assert.DoesNotContain(SimPlan.Header(defaults, "test"), l => l.Contains("nat rebind"));

        File.WriteAllText(_file, "{ \"connectionId\": false, \"natRebindsPerHour\": 1, \"natRebinds\": [ { \"atSeconds\": 60, \"nodes\": \"3\" } ] }");
        c = SimCommandLine.Parse(new[] { "--config", _file, "--cid" })!;
        Assert.True(c.ConnectionId);
        Assert.Equal(1, c.NatRebindsPerHour);
        Assert.Equal("3", Assert.Single(c.NatRebinds).Nodes);

        Assert.Equal("natRebindsPerHour", FieldOf("--nat-rebind", "lots"));
        Assert.Equal("natRebindsPerHour", FieldOf("--nat-rebind", "-1"));
        Assert.Equal("natRebindsPerHour", FieldOf("--nat-rebind", "5000"));
        Assert.Equal("natRebinds[0].nodes", FieldOf("--nodes", "10", "--nat-rebind", "1m:12"));
        Assert.Equal("natRebinds.atSeconds", FieldOf("--nat-rebind", "soon:3"));
        Assert.Equal("natRebinds", FieldOf("--nat-rebind", "1m:2:3"));
    }

    [Fact]
    public void ProgramExitsTwoOnABadFlagAndZeroOnHelp()
    {
        var err = Console.Error;
        var @out = Console.Out;
        try
        {
            var captured = new StringWriter();
            Console.SetError(captured);
            Console.SetOut(new StringWriter());
            Assert.Equal(2, SimProgram.Run(new[] { "--loss", "7" }));
            Assert.Contains("network.loss", captured.ToString());
            var help = new StringWriter();
            Console.SetOut(help);
            Assert.Equal(0, SimProgram.Run(new[] { "--help" }));
            Assert.Contains("--nat-rebind RATE | AT:NODES", help.ToString());
            Assert.Contains("--no-cid", help.ToString());
        }
        finally
        {
            Console.SetError(err);
            Console.SetOut(@out);
        }
    }

    [Fact]
    public void ProgramRunsAPskRpkX509MixEveryKindInASmallFleet()
    {
        var err = Console.Error;
        var @out = Console.Out;
        var report = new StringWriter();
        try
        {
            Console.SetError(new StringWriter());
            Console.SetOut(report);
            Assert.Equal(0, SimProgram.Run(new[] { "--nodes", "3", "--credentials", "psk=1,rpk=1,x509=1", "--duration", "3m", "--network", "perfect" }));
        }
        finally
        {
            Console.SetError(err);
            Console.SetOut(@out);
        }
        string text = report.ToString();
        Assert.Contains("psk 33.3%, rpk 33.3%, x509 33.3%", text);
        Assert.Contains("handshakes  full 3, resumed 0, failed 0", text);
        Assert.Contains("lost 0 (0.00%)", text);
    }
}

public class SimExampleTests
{
    [Fact]
    public void ShippedExampleConfigLoadsAndValidates()
    {
        string path = Path.Combine(RepoPaths.Root, "tools", "NfDtls.Sim", "examples", "stormy-day.json");
        var c = SimCommandLine.Parse(new[] { "--config", path })!;
        Assert.Equal(300, c.Nodes);
        Assert.Equal(2, c.UnknownNodes);
        var plan = SimPlan.ToPlan(c);
        Assert.Single(plan.Partitions);
        Assert.Single(plan.Reboots);
        Assert.Single(plan.GatewayRestarts);
        Assert.Equal(new NfDtls.Simulation.Fleet.FleetNatRebind(3_000_000, 200, 299), Assert.Single(plan.NatRebinds));
        Assert.Equal(1, plan.NatRebindsPerNodeHour);
        Assert.True(c.ConnectionId);
    }
}
