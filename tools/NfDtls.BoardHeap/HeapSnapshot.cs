using System.Reflection;
using System.Runtime.CompilerServices;

namespace NfDtls.BoardHeap;

/// <summary>
/// The objects that exist before a construction: what nanoCLR's free-heap difference (GC.Run before and after) does
/// not see. They are everything reachable from the constructor's arguments and from the static fields of the code's
/// assemblies (shared tables, singletons, cached literals), taken after a warm-up construction so that one-time static
/// set-up has happened, as it has on a board by the time the figure is read.
/// </summary>
public sealed class HeapSnapshot
{
    private readonly HashSet<object> _objects = new(ReferenceEqualityComparer.Instance);

    private HeapSnapshot()
    {
    }

    /// <summary>Nothing exists yet (to price what the statics themselves hold).</summary>
    public static HeapSnapshot Empty => new();

    /// <summary>Objects known to exist already.</summary>
    public int Count => _objects.Count;

    public bool Contains(object o) => _objects.Contains(o);

    /// <summary>
    /// Takes the snapshot: <paramref name="existing"/> (constructor arguments, configuration objects made beforehand)
    /// and the static fields of <paramref name="staticsOf"/>, each with all it reaches.
    /// </summary>
    public static HeapSnapshot Take(IEnumerable<Assembly> staticsOf, params object?[] existing)
    {
        var snapshot = new HeapSnapshot();
        var roots = new List<object>();
        foreach (var assembly in staticsOf)
        {
            roots.AddRange(StaticRoots(assembly).Select(r => r.Value));
        }
        roots.AddRange(existing.Where(o => o != null)!);
        foreach (var o in HeapWalker.Reach(roots, snapshot._objects.Contains))
        {
            snapshot._objects.Add(o);
        }
        return snapshot;
    }

    /// <summary>
    /// The assembly of <paramref name="type"/> and every assembly it references, transitively, that is not part of .NET
    /// itself: the code whose statics a board has already initialised. (Resolved in the type's own load context, so a
    /// fixture core loaded on its own is followed, not the current one.)
    /// </summary>
    public static IReadOnlyList<Assembly> CodeAssemblies(Type type)
    {
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(type.Assembly)
            ?? System.Runtime.Loader.AssemblyLoadContext.Default;
        var found = new List<Assembly>();
        var queue = new Queue<Assembly>();
        queue.Enqueue(type.Assembly);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var assembly = queue.Dequeue();
            if (!seen.Add(assembly.GetName().Name ?? "") || IsFramework(assembly.GetName()))
            {
                continue;
            }
            found.Add(assembly);
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!IsFramework(reference) && !seen.Contains(reference.Name ?? ""))
                {
                    queue.Enqueue(context.LoadFromAssemblyName(reference));
                }
            }
        }
        return found;
    }

    private static bool IsFramework(AssemblyName name)
    {
        string n = name.Name ?? "";
        return n == "mscorlib" || n == "netstandard" || n == "System" || n.StartsWith("System.", StringComparison.Ordinal)
               || n.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>Reference-typed static field values of every type of the assembly, named "Type.field" (reading one runs
    /// its type's static constructor, as first use on a board would).</summary>
    public static IEnumerable<(string Name, object Value)> StaticRoots(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t != null).ToArray()!;
        }
        foreach (var type in types)
        {
            if (type.ContainsGenericParameters)
            {
                continue;
            }
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.IsLiteral || field.FieldType.IsValueType || field.FieldType.IsByRefLike)
                {
                    continue;
                }
                object? value;
                try
                {
                    value = field.GetValue(null);
                }
                catch (TargetInvocationException)
                {
                    continue; // a static constructor that fails on desktop is not a board's table
                }
                catch (TypeInitializationException)
                {
                    continue;
                }
                if (value != null)
                {
                    yield return (type.Name + "." + field.Name, value);
                }
            }
        }
    }
}
