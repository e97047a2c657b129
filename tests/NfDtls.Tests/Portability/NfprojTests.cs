using NfDtls.PortabilityGuard.Nfproj;
using Xunit;

namespace NfDtls.Tests.Portability;

/// <summary>
/// check-nfproj / sync-nfproj (issue 7): nanoFramework's project system is not on this machine, so a desktop test
/// proves every .nfproj compiles the files its csproj compiles and that package versions agree across the repo.
/// </summary>
public class NfprojTests
{
    [Fact]
    public void The_repository_nfproj_files_match_their_csproj_and_agree_on_versions()
    {
        var (code, output) = GuardLayout.Run("check-nfproj", "--all");
        Assert.True(code == 0, output);
        Assert.Contains("check-nfproj OK", output);
    }

    [Theory]
    [InlineData("lib/NfDtls.Crypto/NfDtls.Crypto.nfproj", "nanoFramework.CoreLibrary")]
    [InlineData("lib/NfDtls.Dtls/NfDtls.Dtls.nfproj", "nanoFramework.CoreLibrary")]
    [InlineData("lib/NfDtls.Coap/NfDtls.Coap.nfproj", "nanoFramework.CoreLibrary")]
    [InlineData("lib/NfDtls.Node/NfDtls.Node.nfproj", "nanoFramework.CoreLibrary")]
    [InlineData("lib/NfDtls.Device/NfDtls.Device.nfproj", "nanoFramework.System.Net")]
    [InlineData("tests/NfDtls.DeviceTests/NfDtls.DeviceTests.nfproj", "nanoFramework.TestFramework")]
    [InlineData("lib/NfDtls.Gateway/NfDtls.Gateway.nfproj", "nanoFramework.CoreLibrary")]
    [InlineData("firmware/EdgeGateway/EdgeGateway.nfproj", "nanoFramework.M2Mqtt")]
    public void Each_nfproj_has_the_nanoFramework_layout(string nfproj, string package)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, nfproj));
        Assert.Contains("<ProjectTypeGuids>{11A8DD76-328B-46DF-9F39-F559912D0360};{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}</ProjectTypeGuids>", text);
        Assert.Contains("$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props", text);
        Assert.Contains("$(NanoFrameworkProjectSystemPath)NFProjectSystem.props", text);
        Assert.Contains("$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets", text);
        Assert.Contains("packages\\nanoFramework.CoreLibrary.1.17.", text);
        var config = Path.Combine(Path.GetDirectoryName(Path.Combine(RepoPaths.Root, nfproj))!, "packages.config");
        var uses = PackageVersions.FromPackagesConfig(config).ToArray();
        Assert.Contains(uses, u => u.Id == package);
        Assert.StartsWith("1.17.", uses.Single(u => u.Id == "nanoFramework.CoreLibrary").Version);
        var nf = new NfprojFile(Path.Combine(RepoPaths.Root, nfproj));
        Assert.Equal(nf.ExpectedSources(), nf.Compile);
    }

    [Fact]
    public void The_device_tests_compile_the_shared_vectors()
    {
        var nf = new NfprojFile(Path.Combine(RepoPaths.Root, "tests", "NfDtls.DeviceTests", "NfDtls.DeviceTests.nfproj"));
        Assert.Contains("..\\Vectors\\CryptoVectors.cs", nf.Compile);
        Assert.Contains("..\\Vectors\\VectorHex.cs", nf.Compile);
    }

    [Fact]
    public void A_missing_and_an_extra_file_are_named_and_sync_repairs_them()
    {
        using var repo = new TempRepo();
        repo.Write("lib/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><Compile Remove=\"Skip/**\" /></ItemGroup></Project>");
        repo.Write("lib/Core/A.cs", "");
        repo.Write("lib/Core/Sub/B.cs", "");
        repo.Write("lib/Core/Skip/C.cs", "");
        repo.Write("lib/Core/obj/Gen.cs", "");
        repo.Write("lib/Core/Core.nfproj", Nfproj("    <Compile Include=\"A.cs\" />\n    <Compile Include=\"Old.cs\" />\n", "1.17.11"));
        repo.Write("lib/Core/packages.config", PackagesConfig("1.17.11"));

        var (code, output) = repo.Guard("check-nfproj", "--all");
        Assert.Equal(1, code);
        Assert.Contains("lib/Core/Core.nfproj: missing 1 file(s) that the csproj compiles: Sub\\B.cs", output);
        Assert.Contains("lib/Core/Core.nfproj: compiles 1 file(s) that the desktop build does not: Old.cs", output);
        Assert.DoesNotContain("C.cs", output);
        Assert.DoesNotContain("Gen.cs", output);

        (code, output) = repo.Guard("sync-nfproj", "lib/Core/Core.nfproj");
        Assert.Equal(0, code);
        var nf = new NfprojFile(Path.Combine(repo.Root, "lib/Core/Core.nfproj"));
        Assert.Equal(new[] { "A.cs", "Sub\\B.cs" }, nf.Compile);
        Assert.Contains("<HintPath>", File.ReadAllText(nf.Path)); // the rest of the file is kept

        (code, output) = repo.Guard("check-nfproj", "--all");
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Different_versions_of_one_package_are_named_with_their_files()
    {
        using var repo = new TempRepo();
        repo.Write("a/A.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repo.Write("a/A.cs", "");
        repo.Write("a/A.nfproj", Nfproj("    <Compile Include=\"A.cs\" />\n", "1.17.11"));
        repo.Write("a/packages.config", PackagesConfig("1.17.11"));
        repo.Write("b/B.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repo.Write("b/B.cs", "");
        repo.Write("b/B.nfproj", Nfproj("    <Compile Include=\"B.cs\" />\n", "1.17.7"));
        repo.Write("b/packages.config", PackagesConfig("1.17.11"));

        var (code, output) = repo.Guard("check-nfproj", "a/A.nfproj");
        Assert.Equal(1, code);
        var line = output.Split('\n').Single(l => l.Contains("packages: nanoFramework.CoreLibrary has 2 versions: 1.17.11 in "));
        Assert.Contains("a/packages.config", line);
        Assert.Contains("a/A.nfproj", line);
        Assert.EndsWith("; 1.17.7 in b/B.nfproj", line.TrimEnd('\r'));

        (code, output) = repo.Guard("check-nfproj", "b/B.nfproj");
        Assert.Contains("b/B.nfproj: HintPath uses nanoFramework.CoreLibrary 1.17.7, packages.config says 1.17.11", output);
    }

    [Fact]
    public void A_project_reference_the_csproj_has_must_be_in_the_nfproj_too()
    {
        using var repo = new TempRepo();
        repo.Write("lib/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        repo.Write("lib/Core/A.cs", "");
        repo.Write("lib/Core/Core.nfproj", Nfproj("    <Compile Include=\"A.cs\" />\n", "1.17.11"));
        repo.Write("lib/Core/packages.config", PackagesConfig("1.17.11"));
        repo.Write("lib/App/App.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference Include=\"..\\Core\\Core.csproj\" /></ItemGroup></Project>");
        repo.Write("lib/App/B.cs", "");
        repo.Write("lib/App/App.nfproj", Nfproj("    <Compile Include=\"B.cs\" />\n", "1.17.11"));
        repo.Write("lib/App/packages.config", PackagesConfig("1.17.11"));

        var (code, output) = repo.Guard("check-nfproj", "--all");
        Assert.Equal(1, code);
        Assert.Contains("lib/App/App.nfproj: its csproj references lib/Core/Core.csproj but it lacks <ProjectReference Include=\"..\\Core\\Core.nfproj\" />", output);

        var app = Path.Combine(repo.Root, "lib/App/App.nfproj");
        File.WriteAllText(app, File.ReadAllText(app).Replace("  <Import Project=", "  <ItemGroup><ProjectReference Include=\"..\\Core\\Core.nfproj\" /></ItemGroup>\n  <Import Project="));
        (code, output) = repo.Guard("check-nfproj", "--all");
        Assert.True(code == 0, output);
    }

    private static string Nfproj(string compile, string coreVersion) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <Project ToolsVersion="Current" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
          <ItemGroup>
        {compile}  </ItemGroup>
          <ItemGroup>
            <Reference Include="mscorlib">
              <HintPath>..\packages\nanoFramework.CoreLibrary.{coreVersion}\lib\mscorlib.dll</HintPath>
            </Reference>
          </ItemGroup>
          <Import Project="$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets" Condition="false" />
        </Project>
        """;

    private static string PackagesConfig(string coreVersion) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <packages>
          <package id="nanoFramework.CoreLibrary" version="{coreVersion}" targetFramework="netnano1.0" />
        </packages>
        """;

    /// <summary>A throwaway repository (nf-dtls.sln marks its root) for the nfproj commands.</summary>
    private sealed class TempRepo : IDisposable
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "nfdtls-nfproj-" + Guid.NewGuid().ToString("N"));

        public TempRepo()
        {
            Directory.CreateDirectory(Root);
            File.WriteAllText(Path.Combine(Root, "nf-dtls.sln"), "");
        }

        public void Write(string relative, string text)
        {
            var path = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        public (int Code, string Output) Guard(params string[] args)
        {
            var output = new StringWriter();
            int code = NfDtls.PortabilityGuard.GuardProgram.Run(args.Concat(new[] { "--repo", Root, "--shared", RepoPaths.Shared }).ToArray(), output, output);
            return (code, output.ToString());
        }

        public void Dispose() => Directory.Delete(Root, true);
    }

    private static PackageVersions.Use Use(string id, string version) => new(id, version, "firmware/SensorNode/packages.config");

    [Fact]
    public void A_package_built_against_another_CoreLibrary_is_refused()
    {
        // Issue 11 §6: Bmxx80 1.2.743's set was built against CoreLibrary 1.15.5; next to mscorlib 1.17 it does not load.
        var table = new[]
        {
            new PackageCoreLibrary.Entry("nanoFramework.Iot.Device.Bmxx80", "1.2.743", "1.15.5", "test"),
            new PackageCoreLibrary.Entry("nanoFramework.Iot.Device.Bmxx80", "1.2.931", "1.17.11", "test"),
        };
        var old = PackageCoreLibrary.Problems(new[] { Use("nanoFramework.CoreLibrary", "1.17.11"), Use("nanoFramework.Iot.Device.Bmxx80", "1.2.743") }, table, f => f).ToArray();
        Assert.Contains("built against CoreLibrary 1.15.5, but the repository pins 1.17.x", Assert.Single(old));
        Assert.Empty(PackageCoreLibrary.Problems(new[] { Use("nanoFramework.CoreLibrary", "1.17.11"), Use("nanoFramework.Iot.Device.Bmxx80", "1.2.931") }, table, f => f));
        var unknown = PackageCoreLibrary.Problems(new[] { Use("nanoFramework.CoreLibrary", "1.17.11"), Use("nanoFramework.Iot.Device.Bmxx80", "1.2.742") }, table, f => f).ToArray();
        Assert.Contains("has no CoreLibrary dependency", Assert.Single(unknown));
    }

    [Fact]
    public void The_repository_table_names_every_pinned_package_and_the_sensor_node_set_of_issue_11()
    {
        var table = PackageCoreLibrary.Load(Path.Combine(RepoPaths.Root, "tools", "NfDtls.PortabilityGuard", "Nfproj", "PackageCoreLibrary.txt"));
        var config = PackageVersions.FromPackagesConfig(Path.Combine(RepoPaths.Root, "firmware", "SensorNode", "packages.config")).ToDictionary(u => u.Id, u => u.Version);
        Assert.Equal("1.2.931", config["nanoFramework.Iot.Device.Bmxx80"]);
        Assert.Equal("1.2.928", config["nanoFramework.Iot.Device.Common.WeatherHelper"]);
        Assert.Equal("1.2.928", config["nanoFramework.System.Buffers.Binary.BinaryPrimitives"]);
        Assert.Equal("1.2.928", config["nanoFramework.System.Device.Model"]);
        Assert.All(config.Where(kv => kv.Key.StartsWith("UnitsNet.", StringComparison.Ordinal)), kv => Assert.Equal("5.75.0", kv.Value));
        Assert.All(table, e => Assert.StartsWith("1.17", e.CoreLibrary));
    }
}
