using System.Reflection;

namespace NfDtls.BoardHeap;

/// <summary>
/// What nanoCLR makes of a desktop type: a value held in a block (primitives, enums, DateTime, TimeSpan), a value type
/// of its own (a struct: a separate boxed object on nanoCLR, see <see cref="StructFields"/>), or a reference.
/// Cached per type, with the instance fields the walk reads.
/// </summary>
internal sealed class TypeShape
{
    // Weak keys: a type from a collectible AssemblyLoadContext can still be unloaded.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, TypeShape> Cache = new();

    private TypeShape(Type type)
    {
        Type = type;
        if (type.IsEnum)
        {
            PrimitiveBytes = PrimitiveSize(Enum.GetUnderlyingType(type));
        }
        else if (type.IsPrimitive || type == typeof(DateTime) || type == typeof(TimeSpan))
        {
            PrimitiveBytes = PrimitiveSize(type);
        }
        IsStruct = type.IsValueType && PrimitiveBytes == 0;
        var fields = new List<FieldInfo>();
        if (!type.IsArray && PrimitiveBytes == 0)
        {
            for (var t = type; t != null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
            {
                fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            }
        }
        Fields = fields.ToArray();
        FieldShapes = Fields.Select(f => f.FieldType).ToArray();
    }

    public Type Type { get; }

    /// <summary>Size of the value when packed in an array (bool 1 ... long 8); 0 for structs and references.</summary>
    public int PrimitiveBytes { get; }

    /// <summary>A value type nanoCLR keeps as its own object (not an enum, primitive, DateTime or TimeSpan).</summary>
    public bool IsStruct { get; }

    /// <summary>Instance fields, base classes' included.</summary>
    public FieldInfo[] Fields { get; }

    private Type[] FieldShapes { get; }

    /// <summary>Element size in a nanoCLR array: packed primitives, else a 12-byte block.</summary>
    public int ElementBytes => PrimitiveBytes > 0 ? PrimitiveBytes : NanoClrLayout.Block;

    /// <summary>
    /// Bytes of one instance (class or boxed struct) not counting what its reference fields point to: the header and a
    /// block per field, plus, for each field of struct type, the boxed struct nanoCLR allocates for it with the
    /// instance (CLR_RT_ExecutionEngine::InitializeReference calls NewObject for a value-type field), recursively.
    /// </summary>
    public int InstanceBytes
    {
        get
        {
            if (_instanceBytes < 0)
            {
                int bytes = NanoClrLayout.Object(Fields.Length);
                foreach (var ft in FieldShapes)
                {
                    var shape = Of(ft);
                    if (shape.IsStruct)
                    {
                        bytes += shape.InstanceBytes;
                    }
                }
                _instanceBytes = bytes;
            }
            return _instanceBytes;
        }
    }

    private int _instanceBytes = -1;

    public static TypeShape Of(Type type) => Cache.GetValue(type, t => new TypeShape(t));

    private static int PrimitiveSize(Type t)
    {
        if (t == typeof(bool) || t == typeof(byte) || t == typeof(sbyte))
        {
            return 1;
        }
        if (t == typeof(char) || t == typeof(short) || t == typeof(ushort))
        {
            return 2;
        }
        if (t == typeof(long) || t == typeof(ulong) || t == typeof(double) || t == typeof(DateTime) || t == typeof(TimeSpan))
        {
            return 8;
        }
        return 4; // int, uint, float, IntPtr/UIntPtr (32-bit board)
    }
}
