using NfDtls.PortabilityGuard.Commands;

namespace NfDtls.PortabilityGuard;

/// <summary>Command dispatch; exit codes 0 ok, 1 the check failed, 2 usage or missing input.</summary>
public static class GuardProgram
{
    public const string Usage = """
        usage: dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- COMMAND [options]

        Reference baseline (targets: core = lib/NfDtls, device = lib/NfDtls.Device,
        devicetests = tests/NfDtls.DeviceTests; none given = all):
          check [TARGET...]            fail, naming each line, on a reference missing from the target's baseline,
                                       a baseline line missing from the nanoFramework API lists, or a construct
                                       ../shared/PORTABLE.md forbids (generics, $"", lock, typeof, Array.Empty ...)
          update-baseline [TARGET...]  rewrite lib/<project>/PortableApi.baseline.txt from the compiled assembly
          list [TARGET...]             print every external reference (format of ../shared/nanoframework-api/)
          rules                        print the PORTABLE.md rules the guard recognises
            --assembly DLL --baseline FILE [--api LIST]... [--trust ASSEMBLY]... [--allow RULE]...
                                       any other assembly instead of a named target
            --repo DIR  --shared DIR  --configuration Release|Debug

        nanoFramework byte code (what MetadataProcessor writes into the .pe; it refuses an assembly of 64 KiB or more):
          bytecode [TARGET...]         print each device assembly's byte-code size; fail above 48 KiB (49,152 B)
            --namespaces               also the bytes per namespace
            --top N                    also the N largest methods
            --limit BYTES              another budget
            --assembly DLL             any other assembly (repeatable) instead of the targets

        nanoFramework project files:
          sync-nfproj [NFPROJ...|--all]   rewrite an .nfproj's <Compile> items from what the csproj beside it compiles
          check-nfproj [NFPROJ...|--all]  fail when an .nfproj compiles other files than its csproj, or package
                                          versions of one package id differ across packages.config / HintPaths

        Examples:
          dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- check
          dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- update-baseline core
          dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- check --assembly X.dll --baseline X.txt
          dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- sync-nfproj --all
          dotnet run --project tools/NfDtls.PortabilityGuard -c Release -- bytecode --namespaces
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        var rest = args.Skip(1);
        try
        {
            return args[0] switch
            {
                "check" => BaselineCommands.Check(rest, stdout),
                "update-baseline" => BaselineCommands.UpdateBaseline(rest, stdout),
                "list" => BaselineCommands.List(rest, stdout),
                "rules" => RulesCommand.Run(stdout),
                "sync-nfproj" => NfprojCommands.Sync(rest, stdout),
                "check-nfproj" => NfprojCommands.Check(rest, stdout),
                "bytecode" => ByteCodeCommand.Run(rest, stdout),
                _ => throw new UsageException("unknown command '" + args[0] + "'"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine("guard: " + e.Message);
            stderr.WriteLine(Usage);
            return 2;
        }
        catch (GuardException e)
        {
            stderr.WriteLine("guard: " + e.Message);
            return 2;
        }
    }
}
