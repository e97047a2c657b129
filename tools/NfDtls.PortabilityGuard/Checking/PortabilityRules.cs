using System.Text.RegularExpressions;

namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// The constructs ../shared/PORTABLE.md forbids, recognised in reference lines. Most of them would also fail the
/// "not in the nanoFramework list" test; a rule says *why* and what to write instead. First matching rule wins, so
/// the specific ones come before the catch-all "generics".
/// </summary>
public static class PortabilityRules
{
    public sealed record Rule(string Id, Regex Pattern, string Message);

    public static readonly IReadOnlyList<Rule> All = new[]
    {
        R("interpolation", @"System\.Runtime\.CompilerServices\.DefaultInterpolatedStringHandler",
            "string interpolation ($\"...\") compiles to DefaultInterpolatedStringHandler; use string.Concat"),
        R("lock", @"^M System\.Threading\.Monitor::Enter\(System\.Object,System\.Boolean&\)",
            "the lock statement compiles to Monitor.Enter(object, ref bool); write Monitor.Enter(o); try { } finally { Monitor.Exit(o); }"),
        R("reflection", @"^M System\.Type::GetTypeFromHandle|^M System\.Object::GetType\(\)",
            "typeof/GetType(): absent on the NoReflection firmware"),
        R("array-empty", @"^M System\.Array::Empty``1",
            "a params method called with no arguments becomes generic Array.Empty<T>(); pass an explicit array"),
        R("array-clone", @"^M System\.Array::Clone\(\)",
            "Array.Clone(): absent on the NoReflection firmware; copy into a new array with Array.Copy"),
        R("bitconverter", @"^[TMF] System\.BitConverter\b",
            "BitConverter (little-endian only; IsLittleEndian differs): write big-endian by hand"),
        R("environment", @"^[TMF] System\.Environment\b",
            "System.Environment is not in mscorlib (TickCount64 is nanoFramework.Runtime.Native); time comes in as an argument"),
        R("clock", @"^M System\.DateTime::get_(Utc)?Now\(|^[TMF] System\.Diagnostics\.Stopwatch\b",
            "time comes in, it is not read: engines take nowMs as an argument"),
        R("random", @"^[TMF] System\.Random\b",
            "randomness comes through IRandom (a DRBG seeded by the platform), never System.Random in the core"),
        R("separate-package", @"^[TMF] System\.(Math|MathF|Buffer|Text\.[A-Za-z.]+|Collections\.(Hashtable|Queue|Stack))\b",
            "System.Math/Buffer/Text/Hashtable are separate nanoFramework packages or absent: write min/max, Array.Copy, hand-coded ASCII"),
        R("linq-async", @"^[TMF] (System\.Linq\.|System\.Threading\.Tasks\.|System\.Runtime\.CompilerServices\.(Async\w*MethodBuilder|IAsyncStateMachine|TaskAwaiter|ValueTaskAwaiter)|Microsoft\.CSharp\.)",
            "LINQ, async/await, Task and dynamic are not on nanoFramework"),
        R("value-types", @"^[TMF] System\.(ValueTuple|Decimal|Index|Range)\b",
            "ValueTuple, decimal, Index/Range are not in mscorlib 1.17"),
        R("span", @"System\.(Span|ReadOnlySpan|Memory|ReadOnlyMemory)`1|System\.SpanByte\b|System\.Runtime\.InteropServices\.MemoryMarshal|System\.Runtime\.CompilerServices\.Unsafe\b",
            "Span/stackalloc/u8 literals: bytes are byte[] + offset + count"),
        R("nullable", @"System\.Nullable`1",
            "Nullable<T> (int?) is generic: use a sentinel value or a bool flag"),
        R("interlocked", @"^M System\.Threading\.Interlocked::(Add|And|Or|Read)\b|^M System\.Threading\.Interlocked::\w+\([^)]*System\.(Int64|UInt32|UInt64|Object|IntPtr)",
            "Interlocked is Int32 only on nanoFramework (Increment, Decrement, Exchange, CompareExchange)"),
        R("multi-dim", @"\[,+\]", "multi-dimensional arrays ([,]): use jagged arrays"),
        R("pointer", @"\*", "pointers/unsafe code: bytes are byte[] + offset + count"),
        R("generics", @"`|<", "generics (generic types, methods or instantiations): use arrays, fixed-capacity tables and out parameters"),
    };

    /// <summary>The first rule the line breaks, or null.</summary>
    public static Rule? Match(string line, IReadOnlySet<string> allowedRuleIds)
    {
        foreach (var rule in All)
        {
            if (!allowedRuleIds.Contains(rule.Id) && rule.Pattern.IsMatch(line))
            {
                return rule;
            }
        }
        return null;
    }

    private static Rule R(string id, string pattern, string message) =>
        new(id, new Regex(pattern, RegexOptions.CultureInvariant), message);
}
