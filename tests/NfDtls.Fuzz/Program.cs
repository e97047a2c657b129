using System.Diagnostics;
using NfDtls.Fuzz.Capture;
using NfDtls.Fuzz.Coap;
using NfDtls.Fuzz.Config;
using NfDtls.Fuzz.Dtls;
using NfDtls.Fuzz.Harness;
using NfDtls.Fuzz.Pki;
using NfDtls.Fuzz.Senml;
using NfDtls.Senml;
using SharpFuzz;

namespace NfDtls.Fuzz;

/// <summary>The fuzz executable: `NfDtls.Fuzz COMMAND ...` (README.md). Exit codes: 0 ok, 1 finding or failure, 2 usage.</summary>
public static class Program
{
    /// <summary>
    /// Every target, made fresh. Under afl-fuzz nothing instrumented may run before SharpFuzz maps the coverage memory,
    /// so `run` makes its target inside the fuzz loop (target constructors build engines and parsers).
    /// </summary>
    public static FuzzTarget[] CreateTargets() => new FuzzTarget[]
    {
        new DtlsServerTarget(), new DtlsClientTarget(), new X509Target(), new CoapCodecTarget(), new CoapServerTarget(),
        new SenmlTarget(SenmlFormat.Json), new SenmlTarget(SenmlFormat.Cbor), new SettingsTarget(),
    };

    public static readonly string[] TargetNames =
    {
        "dtls-server", "dtls-client", "x509", "coap-codec", "coap-server", "senml-json", "senml-cbor", "settings",
    };

    private const string Usage =
        "usage: NfDtls.Fuzz list\n" +
        "       NfDtls.Fuzz run TARGET                  (under afl-fuzz: the input comes on stdin)\n" +
        "       NfDtls.Fuzz replay TARGET PATH...       (files or folders; every exception is a finding)\n" +
        "       NfDtls.Fuzz instrument DIR              (SharpFuzz instrumentation of the core assemblies in DIR, in place)\n" +
        "       NfDtls.Fuzz record-dtls-server SETUP PORT FILE [SECONDS]\n" +
        "       NfDtls.Fuzz record-dtls-client SETUP PORT FILE [SECONDS]\n" +
        "       NfDtls.Fuzz record-coap PORT FILE DATAGRAM_DIR [SECONDS]\n" +
        "       NfDtls.Fuzz seed-own CORPUS_DIR\n" +
        "       NfDtls.Fuzz make-pki DIR";

    public static int Main(string[] args)
    {
        try
        {
            return args.Length == 0 ? UsageError() : args[0] switch
            {
                "list" => List(),
                "run" when args.Length == 2 => Run(Known(args[1])),
                "replay" when args.Length >= 3 => Replay(Find(args[1]), args.Skip(2).Where(a => a != "-v" || !(FuzzTarget.Verbose = true))),
                "instrument" when args.Length == 2 => Instrument(args[1]),
                "record-dtls-server" when args.Length >= 4 => UdpRecorder.RecordDtlsServer(Number(args[1]), int.Parse(args[2]), args[3], Seconds(args, 4)),
                "record-dtls-client" when args.Length >= 4 => UdpRecorder.RecordDtlsClient(Number(args[1]), int.Parse(args[2]), args[3], Seconds(args, 4)),
                "record-coap" when args.Length >= 4 => UdpRecorder.RecordCoap(int.Parse(args[1]), args[2], args[3], Seconds(args, 4)),
                "seed-own" when args.Length == 2 => SeedOwn(args[1]),
                "make-pki" when args.Length == 2 => MakePki(args[1]),
                _ => UsageError(),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static int UsageError()
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    private static int Number(string s) => s.StartsWith("0x") ? Convert.ToInt32(s[2..], 16) : int.Parse(s);

    private static double Seconds(string[] args, int index) => args.Length > index ? double.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : 10;

    private static string Known(string name) =>
        TargetNames.Contains(name) ? name : throw new ArgumentException("no target '" + name + "' (list shows them)");

    public static FuzzTarget Find(string name) => CreateTargets().First(t => t.Name == Known(name));

    private static int List()
    {
        foreach (FuzzTarget t in CreateTargets())
        {
            Console.WriteLine(t.Name.PadRight(12) + " " + t.Description);
        }
        return 0;
    }

    /// <summary>afl-fuzz's persistent loop (SharpFuzz): every exception escaping the target is reported as a crash.</summary>
    private static int Run(string name)
    {
        byte[] buffer = new byte[1 << 20];
        FuzzTarget target = null;
        Fuzzer.Run(stream =>
        {
            target ??= Find(name);
            int n = 0;
            int read;
            while (n < buffer.Length && (read = stream.Read(buffer, n, buffer.Length - n)) > 0)
            {
                n += read;
            }
            target.Execute(buffer, n);
        });
        return 0;
    }

    private static int Replay(FuzzTarget target, IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string p in paths)
        {
            if (Directory.Exists(p))
            {
                files.AddRange(Directory.GetFiles(p, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                files.Add(p);
            }
            else
            {
                throw new ArgumentException("no file or folder " + p);
            }
        }
        int findings = 0;
        var clock = Stopwatch.StartNew();
        foreach (string f in files)
        {
            byte[] data = File.ReadAllBytes(f);
            try
            {
                target.Execute(data, data.Length);
            }
            catch (Exception e)
            {
                findings++;
                Console.Error.WriteLine("FINDING " + target.Name + " " + f + ": " + e);
            }
        }
        Console.WriteLine("replay " + target.Name + ": " + files.Count + " inputs, " + findings + " findings, " + clock.ElapsedMilliseconds + " ms");
        return findings == 0 ? 0 : 1;
    }

    /// <summary>
    /// Instruments our assemblies in DIR for afl-fuzz (SharpFuzz adds a coverage probe at every branch). The crypto
    /// namespace is left out: its branches depend on key bits, not on the structure of the input, and would only drown
    /// the parsers' coverage in noise.
    /// </summary>
    /// <summary>Our assemblies with parsers in them (NfDtls.Crypto is left out: see <see cref="Instrument"/>).</summary>
    public static readonly string[] InstrumentedAssemblies =
    {
        "NfDtls.Dtls.dll", "NfDtls.Coap.dll", "NfDtls.Node.dll", "NfDtls.Desktop.dll",
    };

    private static int Instrument(string dir)
    {
        foreach (string name in InstrumentedAssemblies)
        {
            string path = Path.Combine(dir, name);
            if (!File.Exists(path))
            {
                throw new ArgumentException("no " + path + " to instrument (assemblies renamed? update InstrumentedAssemblies)");
            }
            var types = SharpFuzz.Fuzzer.Instrument(path, t => !t.StartsWith("NfDtls.Crypto", StringComparison.Ordinal) && !t.StartsWith("NfDtls.Desktop.Crypto", StringComparison.Ordinal), SharpFuzz.Options.Value);
            Console.Error.WriteLine("instrumented " + name + ": " + types.Count() + " types");
        }
        return 0;
    }

    private static int SeedOwn(string dir)
    {
        OwnTrafficSeeds.Write(dir);
        return 0;
    }

    private static int MakePki(string dir)
    {
        PkiMaker.Make(dir);
        return 0;
    }
}
