using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfDtls.PortabilityGuard.ByteCode;

/// <summary>One method's share of the byte-code table: its type's namespace (of the outermost type, so a nested or
/// compiler-generated type counts where its source is), its type and name, and its bytes.</summary>
public sealed record MethodByteCode(string Namespace, string Type, string Method, int Bytes);

/// <summary>
/// An assembly's nanoFramework byte-code table, as MetadataProcessor would build it: every method of every type
/// (nanoByteCodeTable.GetMethodId is called for each MethodDef; bodiless ones add 0), bodies end to end.
/// </summary>
public sealed class ByteCodeTable
{
    /// <summary>MDP addresses a body with an unsigned 16-bit offset: the table must stay below 64 KiB.</summary>
    public const int HardLimit = 65536;

    /// <summary>The project's budget per device assembly (issue 11): room for the features to come.</summary>
    public const int Budget = 48 * 1024;

    private ByteCodeTable(string assemblyName, IReadOnlyList<MethodByteCode> methods)
    {
        AssemblyName = assemblyName;
        Methods = methods;
        Total = methods.Sum(m => m.Bytes);
    }

    public string AssemblyName { get; }

    public IReadOnlyList<MethodByteCode> Methods { get; }

    public int Total { get; }

    /// <summary>Bytes per namespace (outermost type's), largest first.</summary>
    public IEnumerable<(string Namespace, int Bytes)> ByNamespace() => Methods
        .GroupBy(m => m.Namespace)
        .Select(g => (g.Key, g.Sum(m => m.Bytes)))
        .OrderByDescending(x => x.Item2);

    /// <summary>Bytes of the methods whose namespace is one of <paramref name="roots"/> or below one of them
    /// ("NfDtls.Dtls" takes NfDtls.Dtls.Record too). Types with no namespace (&lt;PrivateImplementationDetails&gt;)
    /// belong to no group.</summary>
    public int BytesUnder(IEnumerable<string> roots)
    {
        var list = roots.ToList();
        return Methods.Where(m => list.Any(r => m.Namespace == r || m.Namespace.StartsWith(r + ".", StringComparison.Ordinal))).Sum(m => m.Bytes);
    }

    public static ByteCodeTable Read(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new GuardException("assembly not found: " + assemblyPath);
        }
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var methods = new List<MethodByteCode>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(typeHandle);
            string name = reader.GetString(type.Name);
            if (name == "<Module>")
            {
                continue; // MDP skips the module type (nanoTablesContext.GetOrderedTypes)
            }
            var outer = type;
            string typeName = name;
            while (outer.GetDeclaringType() is { IsNil: false } declaring)
            {
                outer = reader.GetTypeDefinition(declaring);
                typeName = reader.GetString(outer.Name) + "/" + typeName;
            }
            string ns = reader.GetString(outer.Namespace);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                methods.Add(new MethodByteCode(ns, ns.Length > 0 ? ns + "." + typeName : typeName, reader.GetString(method.Name),
                    NanoByteCode.MethodSize(pe, method)));
            }
        }
        return new ByteCodeTable(reader.GetString(reader.GetAssemblyDefinition().Name), methods);
    }
}
