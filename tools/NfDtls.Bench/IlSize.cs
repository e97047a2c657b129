// IL byte-code size per namespace of an assembly: the sum of its method bodies' IL (code only, no headers, no
// metadata). A stand-in for nanoFramework's byte-code size (its metadata processor re-encodes IL and metadata, so
// the figure on a board differs; the portability guard owns that number once it measures it).
//
//   dotnet run -c Release --project tools/NfDtls.Bench -- il-size [assembly.dll ...]   (default: NfDtls.Core.dll)
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfDtls.Bench;

internal static class IlSize
{
    public static int Run(string[] args)
    {
        string[] paths = args.Length > 0 ? args : new[] { Path.Combine(AppContext.BaseDirectory, "NfDtls.Core.dll") };
        foreach (string path in paths)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            var perNamespace = new SortedDictionary<string, (int Bytes, int Methods)>(StringComparer.Ordinal);
            int total = 0;
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition type = md.GetTypeDefinition(th);
                TypeDefinition outer = type;
                while (outer.GetDeclaringType() is { IsNil: false } d)
                {
                    outer = md.GetTypeDefinition(d);
                }
                string ns = md.GetString(outer.Namespace);
                foreach (MethodDefinitionHandle mh in type.GetMethods())
                {
                    MethodDefinition m = md.GetMethodDefinition(mh);
                    if (m.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }
                    int size = pe.GetMethodBody(m.RelativeVirtualAddress).Size;
                    perNamespace.TryGetValue(ns, out var v);
                    perNamespace[ns] = (v.Bytes + size, v.Methods + 1);
                    total += size;
                }
            }
            Console.WriteLine(Path.GetFileName(path) + ": " + total + " B of IL method bodies (" + (total / 1024.0).ToString("0.0") + " KiB)");
            foreach (var (ns, v) in perNamespace)
            {
                Console.WriteLine("  {0,-40} {1,8} B {2,6} methods", ns.Length == 0 ? "(global)" : ns, v.Bytes, v.Methods);
            }
        }
        return 0;
    }
}
