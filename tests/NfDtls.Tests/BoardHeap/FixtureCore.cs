using System.Reflection;
using System.Runtime.Loader;

namespace NfDtls.Tests.BoardHeap;

/// <summary>
/// The core as it was at commit 0bb2224 (tests/Fixtures/Core0bb2224/NfDtls.Core.dll, a Release build), loaded in its own
/// load context so that its types are not the current core's: the board-heap calibration measures the objects nanoCLR
/// was measured on, whatever the current code has become. Objects are built by reflection; the interfaces the
/// constructors take (sink, events, sensor, entropy) are answered by do-nothing proxies. (Not collectible: the
/// runtime's DispatchProxy types live in a non-collectible assembly, which may not reference a collectible one. One
/// instance per process, <see cref="Shared"/>.)
/// </summary>
public sealed class FixtureCore
{
    private static readonly Lazy<FixtureCore> Lazy = new(() => new FixtureCore(Calibration0bb2224.Fixture("NfDtls.Core.dll")));

    private FixtureCore(string assemblyPath)
    {
        var context = new AssemblyLoadContext("NfDtls.Core@0bb2224", isCollectible: false);
        Assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
    }

    public static FixtureCore Shared => Lazy.Value;

    public Assembly Assembly { get; }

    public Type Type(string name) => Assembly.GetType("NfDtls." + name, throwOnError: true)!;

    public object New(string type, params object?[] args) =>
        Activator.CreateInstance(Type(type), BindingFlags.Public | BindingFlags.Instance, null, args, null)!;

    /// <summary>Sets public fields by name: With(config, ("Random", drbg), ("SessionCapacity", 1)).</summary>
    public static T With<T>(T target, params (string Field, object? Value)[] values) where T : notnull
    {
        foreach (var (field, value) in values)
        {
            var f = target.GetType().GetField(field, BindingFlags.Public | BindingFlags.Instance)
                    ?? throw new MissingFieldException(target.GetType().Name, field);
            f.SetValue(target, value);
        }
        return target;
    }

    public static object? Get(object target, string member)
    {
        var t = target.GetType();
        if (t.GetField(member, BindingFlags.Public | BindingFlags.Instance) is { } f)
        {
            return f.GetValue(target);
        }
        return t.GetProperty(member, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target)
               ?? throw new MissingMemberException(t.Name, member);
    }

    public static object? Call(object target, string method, params object?[] args) =>
        target.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)!.Invoke(target, args);

    public object? CallStatic(string type, string method, params object?[] args) =>
        Type(type).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args);

    /// <summary>An implementation of one of the core's interfaces that does nothing and returns defaults.</summary>
    public object Nothing(string interfaceName) => DispatchProxy.Create(Type(interfaceName), typeof(NothingProxy));

    public class NothingProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var r = targetMethod?.ReturnType;
            return r == null || r == typeof(void) || !r.IsValueType ? null : Activator.CreateInstance(r);
        }
    }
}
