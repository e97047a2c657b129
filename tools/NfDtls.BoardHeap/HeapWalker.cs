using System.Reflection;
using System.Text;

namespace NfDtls.BoardHeap;

/// <summary>
/// Walks an object graph through instance fields (each object once, breadth first so an object's path is its
/// shortest) and prices each object as nanoCLR would hold it (<see cref="NanoClrLayout"/>, <see cref="TypeShape"/>).
/// </summary>
public static class HeapWalker
{
    /// <summary>
    /// Prices everything reachable from <paramref name="roots"/> that is not in <paramref name="before"/>: the heap a
    /// construction added, as GC.Run's free-heap difference on a board would show it.
    /// </summary>
    public static HeapFigure Measure(IEnumerable<(string Name, object Root)> roots, HeapSnapshot before)
    {
        var items = new List<HeapItem>();
        var warnings = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<(object Object, string Path)>();
        foreach (var (name, root) in roots)
        {
            if (root != null && !IsLiteral(root) && seen.Add(root))
            {
                queue.Enqueue((root, name));
            }
        }
        while (queue.Count > 0)
        {
            var (o, path) = queue.Dequeue();
            items.Add(new HeapItem(path, TypeName(o.GetType()), SelfBytes(o, warnings)));
            foreach (var (label, child) in Children(o))
            {
                if (IsLiteral(child))
                {
                    // nanoCLR does not intern: every ldstr makes its own 12-byte string object pointing into the
                    // assembly's string table. Desktop shares one interned instance, so each reference counts.
                    items.Add(new HeapItem(path + label, LiteralType, NanoClrLayout.StringHeader));
                }
                else if (!before.Contains(child) && seen.Add(child))
                {
                    queue.Enqueue((child, path + label));
                }
            }
        }
        return new HeapFigure(items, warnings.ToList());
    }

    /// <summary>The type name of a string literal's item.</summary>
    public const string LiteralType = "System.String (literal)";

    /// <summary>A string literal (desktop's interned instance): on nanoCLR a 12-byte object per ldstr.</summary>
    private static bool IsLiteral(object o) => o is string s && ReferenceEquals(string.IsInterned(s), s);

    /// <summary>Everything reachable from <paramref name="roots"/> (the roots included), skipping what
    /// <paramref name="known"/> already holds.</summary>
    internal static IEnumerable<object> Reach(IEnumerable<object> roots, Func<object, bool> known)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object>();
        foreach (var root in roots)
        {
            if (!known(root) && seen.Add(root))
            {
                stack.Push(root);
            }
        }
        while (stack.Count > 0)
        {
            var o = stack.Pop();
            yield return o;
            foreach (var (_, child) in Children(o))
            {
                if (!known(child) && seen.Add(child))
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>The object's own bytes on nanoCLR, not counting the objects its references point to.</summary>
    public static int SelfBytes(object o, ISet<string>? warnings = null)
    {
        var type = o.GetType();
        switch (o)
        {
            case string s:
                // A literal (the runtime's interned instance) is a 12-byte header pointing into the assembly's string
                // table; a string made at run time carries its UTF-8 text and a 0.
                return NanoClrLayout.String(Encoding.UTF8.GetByteCount(s), ReferenceEquals(string.IsInterned(s), s));
            case Array a:
            {
                var element = TypeShape.Of(type.GetElementType()!);
                int bytes = NanoClrLayout.Array(a.Length, element.ElementBytes);
                // An array of structs gets each element's boxed value with it (CLR_RT_HeapBlock_Array::ClearElements).
                return element.IsStruct ? bytes + a.Length * element.InstanceBytes : bytes;
            }
            case Delegate d:
            {
                int count = d.GetInvocationList().Length;
                return count == 1 ? NanoClrLayout.Delegate : NanoClrLayout.DelegateList(count) + count * NanoClrLayout.Delegate;
            }
        }
        if (type.IsValueType)
        {
            var shape = TypeShape.Of(type);
            return shape.IsStruct ? shape.InstanceBytes : NanoClrLayout.Object(1); // a boxed int: header + its value
        }
        if (warnings != null && type != typeof(object) && IsFramework(type))
        {
            warnings.Add(TypeName(type) + " priced by its desktop fields (nanoFramework's own class may differ)");
        }
        return TypeShape.Of(type).InstanceBytes;
    }

    /// <summary>The objects <paramref name="o"/> references, each with the path step that reaches it.</summary>
    internal static IEnumerable<(string Label, object Child)> Children(object o)
    {
        switch (o)
        {
            case string:
            case Type:
            case MemberInfo:
            case Assembly:
            case Module:
                yield break;
            case Delegate d:
            {
                var list = d.GetInvocationList();
                for (int i = 0; i < list.Length; i++)
                {
                    if (list[i].Target is { } target)
                    {
                        yield return (list.Length == 1 ? ".Target" : "[" + i + "].Target", target);
                    }
                }
                yield break;
            }
            case Array a:
            {
                var element = TypeShape.Of(o.GetType().GetElementType()!);
                if (element.PrimitiveBytes > 0 || a.Rank != 1)
                {
                    yield break;
                }
                for (int i = 0; i < a.Length; i++)
                {
                    var value = a.GetValue(i);
                    if (value == null)
                    {
                        continue;
                    }
                    if (element.IsStruct)
                    {
                        foreach (var inner in FieldChildren(value, "[" + i + "]"))
                        {
                            yield return inner;
                        }
                    }
                    else
                    {
                        yield return ("[" + i + "]", value);
                    }
                }
                yield break;
            }
        }
        foreach (var child in FieldChildren(o, ""))
        {
            yield return child;
        }
    }

    /// <summary>Reference fields of an instance, looking inside fields of struct type (kept inline on desktop).</summary>
    private static IEnumerable<(string Label, object Child)> FieldChildren(object o, string prefix)
    {
        var shape = TypeShape.Of(o.GetType());
        if (shape.PrimitiveBytes > 0)
        {
            yield break;
        }
        foreach (var field in shape.Fields)
        {
            var fieldShape = TypeShape.Of(field.FieldType);
            if (fieldShape.PrimitiveBytes > 0 || field.FieldType.IsPointer || field.FieldType.IsByRefLike)
            {
                continue;
            }
            var value = field.GetValue(o);
            if (value == null)
            {
                continue;
            }
            string label = prefix + "." + FieldName(field);
            if (fieldShape.IsStruct)
            {
                foreach (var inner in FieldChildren(value, label))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (label, value);
            }
        }
    }

    /// <summary>"&lt;Name&gt;k__BackingField" (an auto-property) reads as "Name".</summary>
    private static string FieldName(FieldInfo field)
    {
        string n = field.Name;
        return n.StartsWith('<') && n.EndsWith(">k__BackingField", StringComparison.Ordinal) ? n[1..n.IndexOf('>')] : n;
    }

    internal static string TypeName(Type t)
    {
        if (t.IsArray)
        {
            return TypeName(t.GetElementType()!) + "[]";
        }
        return t.FullName?.Replace('+', '.') ?? t.Name;
    }

    private static bool IsFramework(Type type)
    {
        string n = type.Assembly.GetName().Name ?? "";
        return n == "System.Private.CoreLib" || n.StartsWith("System.", StringComparison.Ordinal) || n == "mscorlib";
    }
}
