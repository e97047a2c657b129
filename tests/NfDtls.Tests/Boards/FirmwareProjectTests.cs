using System.Xml.Linq;
using Xunit;

namespace NfDtls.Tests.Boards;

/// <summary>
/// firmware/SensorNode cannot be built here (no nanoFramework tooling), so its project is checked by format:
/// it references the portable core and device bindings, lists the packages its code uses (one version per id is the
/// guard's check-nfproj), its ESP32-only assemblies are referenced only for the ESP32 build, and the desktop build
/// check (tests/Fixtures/FirmwareBuildCheck, in the solution) compiles every one of its source files.
/// </summary>
public class FirmwareProjectTests
{
    private static readonly string Dir = Path.Combine(RepoPaths.Root, "firmware", "SensorNode");
    private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

    [Fact]
    public void ProjectReferencesTheCoreAndTheDeviceBindings()
    {
        var project = XDocument.Load(Path.Combine(Dir, "SensorNode.nfproj"));
        var refs = project.Descendants(Ms + "ProjectReference").Select(e => (string)e.Attribute("Include")!).ToArray();
        foreach (var layer in new[] { "NfDtls.Crypto", "NfDtls.Dtls", "NfDtls.Coap", "NfDtls.Node" })
        {
            Assert.Contains(@"..\..\lib\" + layer + @"\" + layer + ".nfproj", refs);
        }
        Assert.Contains(@"..\..\lib\NfDtls.Device\NfDtls.Device.nfproj", refs);
        foreach (var r in refs)
        {
            Assert.True(File.Exists(Path.Combine(Dir, r.Replace('\\', '/'))), r);
        }
        Assert.Equal("Exe", project.Descendants(Ms + "OutputType").Single().Value);
    }

    [Fact]
    public void PackagesTheCodeUsesAreListedAndHintedAtTheSameVersion()
    {
        var config = XDocument.Load(Path.Combine(Dir, "packages.config"));
        var packages = config.Descendants("package").ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);
        foreach (var id in new[]
        {
            "nanoFramework.CoreLibrary", "nanoFramework.System.Net", "nanoFramework.System.Device.Wifi", "nanoFramework.System.Device.I2c",
            "nanoFramework.Iot.Device.Bmxx80", "nanoFramework.Hardware.Esp32", "nanoFramework.Runtime.Native", "nanoFramework.System.IO.FileSystem",
        })
        {
            Assert.True(packages.ContainsKey(id), id + " missing from packages.config");
        }
        var project = XDocument.Load(Path.Combine(Dir, "SensorNode.nfproj"));
        var hints = project.Descendants(Ms + "HintPath").Select(h => h.Value).ToArray();
        foreach (var (id, version) in packages)
        {
            Assert.Contains(hints, h => h.StartsWith(@"..\..\packages\" + id + "." + version + @"\lib\", StringComparison.Ordinal));
        }
        // The core is checked against CoreLibrary 1.17.11; the app must run on the same mscorlib.
        Assert.Equal("1.17.11", packages["nanoFramework.CoreLibrary"]);
    }

    [Fact]
    public void Esp32OnlyAssembliesAreReferencedOnlyForTheEsp32Board()
    {
        var project = XDocument.Load(Path.Combine(Dir, "SensorNode.nfproj"));
        foreach (var name in new[] { "nanoFramework.Hardware.Esp32", "System.Device.Wifi" })
        {
            var reference = project.Descendants(Ms + "Reference").Single(r => ((string)r.Attribute("Include")!).StartsWith(name + ",", StringComparison.Ordinal));
            Assert.Contains("esp32-devkitc", (string?)reference.Attribute("Condition") ?? "");
        }
        foreach (var file in Directory.GetFiles(Dir, "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (var ns in new[] { "using nanoFramework.Hardware.Esp32;", "using System.Device.Wifi;" })
            {
                int at = text.IndexOf(ns, StringComparison.Ordinal);
                if (at >= 0)
                {
                    Assert.True(text.LastIndexOf("#if BOARD_ESP32", at, StringComparison.Ordinal) >= 0, Path.GetFileName(file) + ": " + ns + " outside #if BOARD_ESP32");
                }
            }
        }
    }

    [Fact]
    public void TheDesktopBuildCheckCompilesEveryFirmwareSourceForBothBoardKinds()
    {
        foreach (var board in new[] { "Esp32", "Stm32" })
        {
            string csproj = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "FirmwareBuildCheck", board, "FirmwareBuildCheck." + board + ".csproj");
            Assert.Contains(@"firmware\SensorNode\**\*.cs", File.ReadAllText(csproj));
            Assert.Contains("FirmwareBuildCheck." + board + ".csproj", File.ReadAllText(Path.Combine(RepoPaths.Root, "nf-dtls.sln")));
        }
    }

    [Fact]
    public void ProgramOnlyWires()
    {
        // The logic lives in the portable core; Program.cs builds the object graph and nothing else.
        string program = File.ReadAllText(Path.Combine(Dir, "Program.cs"));
        Assert.Contains("new SensorNode(settings, PortableCryptoProvider.Instance, random, sensor, host, log)", program);
        Assert.Contains("new DeviceUdpHost(0, settings.MaxDatagramSize)", program);
        Assert.Contains("new HmacDrbg(new DeviceEntropySource())", program);
        Assert.True(program.Split('\n').Length < 80, "Program.cs grew past wiring");
        Assert.DoesNotContain("while (", program);
    }
}
