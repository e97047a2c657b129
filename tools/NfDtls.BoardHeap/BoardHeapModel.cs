namespace NfDtls.BoardHeap;

/// <summary>
/// The board-heap model in one call: what constructing an object costs on a nanoFramework board (nanoCLR, 32-bit).
/// <code>
/// var figure = BoardHeapModel.Measure(() => new DtlsClient(config, sink, server, id, key, events), config, sink, server, id, key, events);
/// </code>
/// </summary>
public static class BoardHeapModel
{
    /// <summary>
    /// Builds one throw-away instance first (one-time static set-up, as a board has done by the time it is measured),
    /// snapshots what already exists (<paramref name="existing"/>, typically the constructor's arguments, and the
    /// statics of the code's assemblies), builds again and prices what the second construction added.
    /// </summary>
    public static HeapFigure Measure(Func<object> construct, params object?[] existing)
    {
        var warmUp = construct();
        return MeasureAfterWarmUp(warmUp.GetType(), construct, existing);
    }

    /// <summary>As <see cref="Measure(Func{object}, object[])"/>, for several objects built together (a DTLS client and
    /// the CoAP bridge over it): <paramref name="construct"/> returns them named.</summary>
    public static HeapFigure Measure(Func<(string Name, object Root)[]> construct, params object?[] existing)
    {
        var warmUp = construct();
        var statics = warmUp.SelectMany(r => HeapSnapshot.CodeAssemblies(r.Root.GetType())).Distinct().ToList();
        var before = HeapSnapshot.Take(statics, existing);
        var roots = construct();
        var figure = HeapWalker.Measure(roots, before);
        GC.KeepAlive(warmUp);
        return figure;
    }

    /// <summary>
    /// What the static fields of <paramref name="type"/>'s code assemblies hold (constant tables, singletons, labels): on
    /// a board they are on the managed heap from start-up, once per device, whatever is constructed later — which is why
    /// <see cref="Measure(Func{object}, object[])"/> leaves them out.
    /// </summary>
    public static HeapFigure Statics(Type type) =>
        HeapWalker.Measure(HeapSnapshot.CodeAssemblies(type).SelectMany(HeapSnapshot.StaticRoots), HeapSnapshot.Empty);

    private static HeapFigure MeasureAfterWarmUp(Type type, Func<object> construct, object?[] existing)
    {
        var before = HeapSnapshot.Take(HeapSnapshot.CodeAssemblies(type), existing);
        var root = construct();
        return HeapWalker.Measure(new[] { (Name(root.GetType()), root) }, before);
    }

    private static string Name(Type t) => t.Name;
}
