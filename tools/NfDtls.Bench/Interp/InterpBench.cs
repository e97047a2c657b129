// The interpreter bench: what the portable code costs where no JIT runs (a board's nanoCLR interprets IL).
//
//   dotnet run -c Release --project tools/NfDtls.Bench -- interp [--quick] [--rounds N] [--seconds S]
//              [--rows sha256,ecdh,...] [--ab <dir of another core's sources>] [--no-inline-mode] [--no-jit] [--min]
//
// It compiles the portable layers (lib/NfDtls.Crypto, .Dtls, .Coap) with the bench workloads
// (InterpWorkloads.cs, InterpHandshake.cs, DatagramQueue.cs, ConnectionCounter.cs, InterpHarness.cs, InterpClock.cs,
// MonoEntry.cs) into one exe, with the SDK's Roslyn csc
// against Mono's reference assemblies, runs it under `mono --interpreter` (every method of ours and of corlib
// interpreted) and under `mono --interpreter --interp=-inline` (nor inlined), several processes in turn, and prints
// per operation the median time, the nanoCLR estimate (Mono interpreter time x the calibration ratio of issue 17:
// 2.1 for hash/AEAD/protocol/CoAP code, 3.0 for P-256) and the desktop JIT time of the same workload in this process.
//
// Read the estimate with the calibration's limits (issue 17): rankings of rewrites carry over from Mono to nanoCLR,
// the size of a gain does not (Mono shows about half of it in log terms), and changes under ~15% are noise.
// --ab DIR builds a second exe from the core sources under DIR (e.g. `git archive <ref> | tar -x -C DIR`) and runs
// the two in turn (ABBA), so a before/after comparison shares the machine's conditions. --min reports the fastest
// sample instead of the median (on a machine shared with other work, load only ever adds time).
using System.Diagnostics;
using System.Globalization;

namespace NfDtls.Bench.Interp;

internal static class InterpBench
{
    private static bool s_useMin;

    private sealed class Variant
    {
        public required string Name;
        public required string Exe;
        public readonly Dictionary<string, List<double>> Interp = new();
        public readonly Dictionary<string, List<double>> NoInline = new();
    }

    public static int Run(string[] args)
    {
        int rounds = 3;
        double seconds = 0.5;
        bool inlineMode = true;
        bool jit = true;
        string? abDir = null;
        s_useMin = false;
        string[] rowKeys = InterpWorkloads.Rows.Select(r => r.Key).ToArray();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    rounds = 1;
                    seconds = 0.05;
                    inlineMode = false;
                    break;
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out int r) && r > 0:
                    rounds = r;
                    i++;
                    break;
                case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0:
                    seconds = s;
                    i++;
                    break;
                case "--rows" when i + 1 < args.Length:
                    rowKeys = args[++i].Split(',');
                    break;
                case "--ab" when i + 1 < args.Length:
                    abDir = Path.GetFullPath(args[++i]);
                    break;
                case "--no-inline-mode":
                    inlineMode = false;
                    break;
                case "--no-jit":
                    jit = false;
                    break;
                case "--min":
                    s_useMin = true;
                    break;
                default:
                    Console.Error.WriteLine("usage: NfDtls.Bench interp [--quick] [--rounds N] [--seconds S] [--rows KEY,...] [--ab DIR] [--no-inline-mode] [--no-jit] [--min]");
                    Console.Error.WriteLine("rows: " + string.Join(",", InterpWorkloads.Rows.Select(x => x.Key)));
                    return 2;
            }
        }
        InterpRow[] rows = InterpWorkloads.Rows.Where(x => rowKeys.Contains(x.Key)).ToArray();
        if (rows.Length != rowKeys.Length)
        {
            Console.Error.WriteLine("interp: unknown row in " + string.Join(",", rowKeys));
            return 2;
        }
        string workloads = string.Join(",", rows.Select(x => x.Workload).Distinct());

        string? mono = FindOnPath("mono");
        if (mono == null)
        {
            Console.Error.WriteLine("interp: mono not found; install it: apt-get install --no-install-recommends mono-runtime libmono-corlib4.5-cil libmono-system4.0-cil");
            return 1;
        }
        string root = RepoRoot();
        string work = Path.Combine(root, "tools", "NfDtls.Bench", "obj", "interp");
        var variants = new List<Variant>();
        if (abDir != null)
        {
            variants.Add(new Variant { Name = "A " + abDir, Exe = Compile(root, abDir, Path.Combine(work, "a")) });
        }
        variants.Add(new Variant { Name = (abDir != null ? "B " : "") + root, Exe = Compile(root, root, Path.Combine(work, "b")) });

        string secondsArg = seconds.ToString("R", CultureInfo.InvariantCulture);
        for (int round = 0; round < rounds; round++)
        {
            // ABBA: alternate which build goes first, so a drift of the machine's load favours neither.
            IEnumerable<Variant> order = round % 2 == 0 ? variants : Enumerable.Reverse(variants);
            foreach (Variant v in order)
            {
                RunMono(mono, v.Exe, new[] { "--interpreter" }, workloads, secondsArg, v.Interp);
                if (inlineMode)
                {
                    RunMono(mono, v.Exe, new[] { "--interpreter", "--interp=-inline" }, workloads, secondsArg, v.NoInline);
                }
            }
        }

        var jitHarness = new InterpHarness { WarmupSeconds = 0.3, SecondsPerWorkload = seconds };
        if (jit)
        {
            for (int round = 0; round < rounds; round++)
            {
                foreach (string w in workloads.Split(','))
                {
                    jitHarness.Measure(w);
                }
            }
        }

        Console.WriteLine("nf-dtls interpreter bench: " + Environment.ProcessorCount + " CPU(s), " + rounds + " round(s) x "
                          + secondsArg + " s per workload; " + (s_useMin ? "fastest" : "median") + " ms per operation, " + InterpClock.Kind);
        foreach (Variant v in variants)
        {
            Console.WriteLine("  " + v.Name + " -> " + v.Exe);
        }
        Console.WriteLine();
        if (variants.Count == 1)
        {
            Console.WriteLine("{0,-38} {1,12} {2,12} {3,12} {4,12}", "operation", "mono interp", "nanoCLR est", "-inline", "desktop JIT");
            Console.WriteLine(new string('-', 90));
            foreach (InterpRow row in rows)
            {
                double m = Median(variants[0].Interp, row.Key);
                Console.WriteLine("{0,-38} {1,12} {2,12} {3,12} {4,12}", row.Label, Ms(m), Ms(m * row.NanoClrRatio),
                                  Ms(Median(variants[0].NoInline, row.Key)), Ms(Median(jitHarness.Samples(row.Key))));
            }
        }
        else
        {
            Console.WriteLine("{0,-38} {1,10} {2,10} {3,7} {4,10} {5,10} {6,9} {7,9} {8,12}", "operation", "interp A", "interp B", "A/B",
                              "nanoCLR A", "nanoCLR B", "-inl A", "-inl B", "JIT (B)");
            Console.WriteLine(new string('-', 126));
            foreach (InterpRow row in rows)
            {
                double a = Median(variants[0].Interp, row.Key);
                double b = Median(variants[1].Interp, row.Key);
                Console.WriteLine("{0,-38} {1,10} {2,10} {3,7} {4,10} {5,10} {6,9} {7,9} {8,12}", row.Label, Ms(a), Ms(b),
                                  (a / b).ToString("0.00", CultureInfo.InvariantCulture) + "x",
                                  Ms(a * row.NanoClrRatio), Ms(b * row.NanoClrRatio),
                                  Ms(Median(variants[0].NoInline, row.Key)), Ms(Median(variants[1].NoInline, row.Key)),
                                  Ms(Median(jitHarness.Samples(row.Key))));
            }
        }
        Console.WriteLine();
        Console.WriteLine("mono interp = `mono --interpreter` (measured); nanoCLR est = mono interp x " + InterpWorkloads.ProtocolRatio
                          + " (hash, AEAD, protocol, CoAP) or x " + InterpWorkloads.P256Ratio + " (P-256, ECDHE handshake): an estimate, not a measurement;");
        Console.WriteLine("-inline = `mono --interpreter --interp=-inline` (measured); desktop JIT = the same workload on .NET "
                          + Environment.Version + " in this process (measured). Handshakes: RPK, mutual, cookie exchange; one side = its own calls;");
        Console.WriteLine("resumed = abbreviated handshake with the session ticket (RFC 5077) of the handshake before; full rows issue a ticket too.");
        return 0;
    }

    private static void RunMono(string mono, string exe, string[] options, string workloads, string seconds, Dictionary<string, List<double>> into)
    {
        var psi = new ProcessStartInfo(mono) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string o in options)
        {
            psi.ArgumentList.Add(o);
        }
        psi.ArgumentList.Add(exe);
        psi.ArgumentList.Add(workloads);
        psi.ArgumentList.Add(seconds);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("mono " + string.Join(" ", options) + " " + exe + " exited " + p.ExitCode + ": " + err.Result + output);
        }
        foreach (string line in output.Split('\n'))
        {
            string[] f = line.Trim().Split(' ');
            if (f.Length < 3 || f[0] != "row")
            {
                continue;
            }
            if (!into.TryGetValue(f[1], out List<double>? list))
            {
                into[f[1]] = list = new List<double>();
            }
            for (int i = 2; i < f.Length; i++)
            {
                list.Add(double.Parse(f[i], CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Compiles the core sources under <paramref name="sourceRoot"/> with the bench workloads into one exe.</summary>
    private static string Compile(string root, string sourceRoot, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var files = new List<string>();
        foreach (string dir in PortableCoreDirs(sourceRoot))
        {
            files.AddRange(Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                            && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)));
        }
        if (files.Count == 0)
        {
            throw new InvalidOperationException("no portable core sources under " + sourceRoot);
        }
        string interp = Path.Combine(root, "tools", "NfDtls.Bench", "Interp");
        foreach (string f in new[] { "InterpWorkloads.cs", "InterpHandshake.cs", "DatagramQueue.cs", "ConnectionCounter.cs", "InterpHarness.cs", "InterpClock.cs", "MonoEntry.cs" })
        {
            files.Add(Path.Combine(interp, f));
        }
        // The workloads name the CoAP namespaces of the layered core; an older single-assembly core (an --ab baseline)
        // had all of CoAP in NfDtls.Coap, and empty declarations make those usings valid there too.
        string namespaces = Path.Combine(outDir, "Namespaces.cs");
        File.WriteAllText(namespaces, "namespace NfDtls.Coap.Client { }\nnamespace NfDtls.Coap.Message { }\n"
                                      + "namespace NfDtls.Coap.Secure { }\nnamespace NfDtls.Coap.Server { }\n");
        files.Add(namespaces);
        string exe = Path.Combine(outDir, "interp-bench.exe");
        string rsp = Path.Combine(outDir, "csc.rsp");
        var lines = new List<string>
        {
            "-noconfig", "-nostdlib+", "-nologo", "-optimize+", "-deterministic", "-langversion:12", "-target:exe", "-nowarn:CS1591",
            "-r:" + MonoReference("mscorlib.dll"), "-r:" + MonoReference("System.dll"), "-out:" + Quote(exe),
        };
        lines.AddRange(files.Select(Quote));
        File.WriteAllLines(rsp, lines);
        var psi = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(FindCsc());
        psi.ArgumentList.Add("@" + rsp);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("csc failed for " + sourceRoot + ":\n" + output + err.Result);
        }
        return exe;
    }

    /// <summary>
    /// The portable layers the workloads use: lib/NfDtls.Crypto, .Dtls and .Coap (or, in a tree from before the split
    /// into layer assemblies, the one core lib/NfDtls).
    /// </summary>
    private static IEnumerable<string> PortableCoreDirs(string sourceRoot)
    {
        foreach (string name in new[] { "NfDtls", "NfDtls.Crypto", "NfDtls.Dtls", "NfDtls.Coap" })
        {
            string dir = Path.Combine(sourceRoot, "lib", name);
            if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.nfproj").Any())
            {
                yield return dir;
            }
        }
    }

    private static string MonoReference(string name)
    {
        string path = Path.Combine("/usr/lib/mono/4.5", name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(path + " is missing: apt-get install --no-install-recommends mono-runtime libmono-corlib4.5-cil libmono-system4.0-cil");
        }
        return path;
    }

    /// <summary>Roslyn's csc.dll of the newest SDK installed beside the running runtime (or $NFDTLS_CSC).</summary>
    private static string FindCsc()
    {
        string? env = Environment.GetEnvironmentVariable("NFDTLS_CSC");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }
        string dotnetRoot = Path.GetDirectoryName(DotnetHost())!;
        string sdk = Path.Combine(dotnetRoot, "sdk");
        string? csc = Directory.Exists(sdk)
            ? Directory.EnumerateDirectories(sdk).OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "Roslyn", "bincore", "csc.dll")).FirstOrDefault(File.Exists)
            : null;
        return csc ?? throw new InvalidOperationException("no Roslyn csc.dll under " + sdk + " (set NFDTLS_CSC)");
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }
        // the runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string candidate = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", "dotnet"));
        return File.Exists(candidate) ? candidate : FindOnPath("dotnet") ?? "dotnet";
    }

    private static string RepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "nf-dtls.sln")))
            {
                return dir;
            }
        }
        throw new InvalidOperationException("nf-dtls.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    private static string Quote(string path) => "\"" + path + "\"";

    private static double Median(Dictionary<string, List<double>> samples, string key) =>
        samples.TryGetValue(key, out List<double>? list) ? Median(list.ToArray()) : double.NaN;

    private static double Median(double[]? s)
    {
        if (s == null || s.Length == 0)
        {
            return double.NaN;
        }
        double[] sorted = (double[])s.Clone();
        Array.Sort(sorted);
        if (s_useMin)
        {
            return sorted[0];
        }
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms >= 100 ? ms.ToString("0", CultureInfo.InvariantCulture)
        : ms >= 1 ? ms.ToString("0.0#", CultureInfo.InvariantCulture) : ms.ToString("0.000", CultureInfo.InvariantCulture);
}
