using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NfDtls.PortabilityGuard.References;

/// <summary>
/// Reads what a compiled assembly uses from outside itself, as lines of the shared API lists:
/// every TypeReference (T), every MemberReference (M/F), every generic instantiation (TypeSpec as T, MethodSpec as M,
/// each with its type arguments in &lt;&gt;), plus the generic types and methods the assembly defines itself.
/// </summary>
public static class ReferenceReader
{
    private const string EventCompareExchange = "M System.Threading.Interlocked::CompareExchange``1(!!0&,!!0,!!0):!!0";

    public static AssemblyReferences Read(string assemblyPath, IReadOnlyCollection<string>? trustedAssemblies = null)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new GuardException("assembly not found: " + assemblyPath);
        }
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new GuardException(assemblyPath + " is not a .NET assembly");
        }
        var reader = pe.GetMetadataReader();
        var trusted = new HashSet<string>(trustedAssemblies ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        var format = new SignatureFormatter(reader);
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        var lineOf = new Dictionary<EntityHandle, string>();
        void Add(EntityHandle handle, string line)
        {
            lines.Add(line);
            lineOf[handle] = line;
        }

        foreach (var handle in reader.TypeReferences)
        {
            if (IsExternal(reader, handle, trusted))
            {
                Add(handle, "T " + format.TypeName(handle));
            }
        }

        foreach (var handle in Rows(reader, TableIndex.TypeSpec, MetadataTokens.TypeSpecificationHandle))
        {
            // Arrays of known types (byte[][] for newarr) say nothing new; instantiations, pointers and
            // multi-dimensional arrays do.
            var text = format.GetTypeFromSpecification(reader, null, handle, 0);
            if (text.Contains('<') || text.Contains('*') || text.Contains("[,"))
            {
                Add(handle, "T " + text);
            }
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (!IsExternalParent(reader, member.Parent, trusted))
            {
                continue;
            }
            var parent = format.ParentName(member.Parent);
            var name = reader.GetString(member.Name);
            if (member.GetKind() == MemberReferenceKind.Field)
            {
                Add(handle, "F " + parent + "::" + name + ":" + member.DecodeFieldSignature(format, null));
            }
            else
            {
                Add(handle, "M " + parent + "::" + MethodText(name, member.DecodeMethodSignature(format, null), null));
            }
        }

        // Field-like events: on .NET the compiler writes their add/remove with Interlocked.CompareExchange<TDelegate>;
        // against nanoFramework's mscorlib, which lacks it, the same source compiles to Delegate.Combine/Remove
        // (Roslyn falls back when the generic member is missing). So that instantiation, on an event's own delegate
        // type, is the compiler's and not the code's: PORTABLE.md allows events.
        var eventTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.EventDefinitions)
        {
            var type = reader.GetEventDefinition(handle).Type;
            eventTypes.Add(type.Kind switch
            {
                HandleKind.TypeReference => format.TypeName((TypeReferenceHandle)type),
                HandleKind.TypeDefinition => format.TypeName((TypeDefinitionHandle)type),
                _ => format.GetTypeFromSpecification(reader, null, (TypeSpecificationHandle)type, 0),
            });
        }
        var eventPatternOnly = (bool?)null;

        foreach (var handle in Rows(reader, TableIndex.MethodSpec, MetadataTokens.MethodSpecificationHandle))
        {
            var spec = reader.GetMethodSpecification(handle);
            var typeArguments = spec.DecodeSignature(format, null);
            var arguments = "<" + string.Join(",", typeArguments) + ">";
            string parent, name;
            MethodSignature<string> signature;
            if (spec.Method.Kind == HandleKind.MemberReference)
            {
                var member = reader.GetMemberReference((MemberReferenceHandle)spec.Method);
                parent = format.ParentName(member.Parent);
                name = reader.GetString(member.Name);
                signature = member.DecodeMethodSignature(format, null);
            }
            else
            {
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)spec.Method);
                parent = format.TypeName(method.GetDeclaringType());
                name = reader.GetString(method.Name);
                signature = method.DecodeSignature(format, null);
            }
            var text = "M " + parent + "::" + MethodText(name, signature, null);
            if (text == EventCompareExchange)
            {
                var compilers = typeArguments.Length == 1 && eventTypes.Contains(typeArguments[0]);
                eventPatternOnly = (eventPatternOnly ?? true) && compilers;
                if (compilers)
                {
                    continue;
                }
            }
            Add(handle, "M " + parent + "::" + MethodText(name, signature, arguments));
        }
        if (eventPatternOnly == true)
        {
            lines.Remove(EventCompareExchange);
        }

        var ownGenerics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in Rows(reader, TableIndex.GenericParam, MetadataTokens.GenericParameterHandle))
        {
            var owner = reader.GetGenericParameter(handle).Parent;
            if (owner.Kind == HandleKind.TypeDefinition)
            {
                ownGenerics.Add("T " + format.TypeName((TypeDefinitionHandle)owner));
            }
            else
            {
                var method = reader.GetMethodDefinition((MethodDefinitionHandle)owner);
                ownGenerics.Add("M " + format.TypeName(method.GetDeclaringType()) + "::"
                    + MethodText(reader.GetString(method.Name), method.DecodeSignature(format, null), null));
            }
        }

        var name0 = reader.GetString(reader.GetAssemblyDefinition().Name);
        var usages = IlUsage.Find(pe, reader, format, lineOf);
        return new AssemblyReferences(name0, lines.ToArray(), ownGenerics.ToArray(), usages);
    }

    /// <summary>Tables the reader has no collection for, walked by row number (rows are 1-based).</summary>
    private static IEnumerable<T> Rows<T>(MetadataReader reader, TableIndex table, Func<int, T> handle)
    {
        int count = reader.GetTableRowCount(table);
        for (int row = 1; row <= count; row++)
        {
            yield return handle(row);
        }
    }

    /// <summary>Name``N&lt;args&gt;(P1,P2):Ret, the lists' method text (``N only for generic methods).</summary>
    private static string MethodText(string name, MethodSignature<string> signature, string? typeArguments)
    {
        var arity = signature.GenericParameterCount > 0 ? "``" + signature.GenericParameterCount : "";
        return name + arity + (typeArguments ?? "") + "(" + string.Join(",", signature.ParameterTypes) + "):" + signature.ReturnType;
    }

    private static bool IsExternal(MetadataReader reader, TypeReferenceHandle handle, HashSet<string> trusted)
    {
        var scope = reader.GetTypeReference(handle).ResolutionScope;
        while (scope.Kind == HandleKind.TypeReference)
        {
            scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
        }
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => !trusted.Contains(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name)),
            HandleKind.ModuleDefinition => false,
            _ => true,
        };
    }

    private static bool IsExternalParent(MetadataReader reader, EntityHandle parent, HashSet<string> trusted) => parent.Kind switch
    {
        HandleKind.TypeReference => IsExternal(reader, (TypeReferenceHandle)parent, trusted),
        HandleKind.TypeDefinition => false,
        HandleKind.MethodDefinition => false,
        _ => true,
    };
}

/// <summary>What one assembly uses from outside itself (sorted, ordinal) and the generic definitions it declares.</summary>
/// <param name="UsedIn">For lines the IL uses directly: the methods (Type::Method) whose bodies use them.</param>
public sealed record AssemblyReferences(string AssemblyName, IReadOnlyList<string> Lines, IReadOnlyList<string> OwnGenericDefinitions,
    IReadOnlyDictionary<string, SortedSet<string>> UsedIn);
