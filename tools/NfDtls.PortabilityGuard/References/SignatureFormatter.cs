using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace NfDtls.PortabilityGuard.References;

/// <summary>
/// Turns metadata signatures into the type text of the shared API lists (../shared/nanoframework-api/README.txt):
/// full names, nested as Outer/Inner, arity as `N, generic parameters positional (!0, !!0), modifiers dropped,
/// instantiations as Name`N&lt;A,B&gt;.
/// </summary>
public sealed class SignatureFormatter : ISignatureTypeProvider<string, object?>
{
    private readonly MetadataReader _reader;

    public SignatureFormatter(MetadataReader reader) => _reader = reader;

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Void => "System.Void",
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.Int16 => "System.Int16",
        PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.UInt32 => "System.UInt32",
        PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.Single => "System.Single",
        PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        _ => "?" + typeCode,
    };

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeName(handle);

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', Math.Max(0, shape.Rank - 1)) + "]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
        genericType + "<" + string.Join(",", typeArguments) + ">";

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        "method " + signature.ReturnType + "*(" + string.Join(",", signature.ParameterTypes) + ")";

    /// <summary>Full name of a referenced type: Namespace.Name, nested types as Outer/Inner.</summary>
    public string TypeName(TypeReferenceHandle handle)
    {
        var type = _reader.GetTypeReference(handle);
        var name = _reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return TypeName((TypeReferenceHandle)type.ResolutionScope) + "/" + name;
        }
        var ns = _reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Full name of a type the assembly itself defines.</summary>
    public string TypeName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var name = _reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeName(declaring) + "/" + name;
        }
        var ns = _reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The type a member reference hangs off, as the lists name it: a generic instantiation by its definition.</summary>
    public string ParentName(EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => TypeName((TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => TypeName((TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => StripInstantiation(GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)parent, 0)),
        HandleKind.MethodDefinition => TypeName(_reader.GetMethodDefinition((MethodDefinitionHandle)parent).GetDeclaringType()),
        HandleKind.ModuleReference => "<module " + _reader.GetString(_reader.GetModuleReference((ModuleReferenceHandle)parent).Name) + ">",
        _ => "?" + parent.Kind,
    };

    private static string StripInstantiation(string type)
    {
        // List`1<System.Int32> → List`1 (members are listed on the definition, with positional !0 in signatures).
        int lt = type.IndexOf('<');
        return lt > 0 && type.EndsWith('>') ? type.Substring(0, lt) : type;
    }
}
