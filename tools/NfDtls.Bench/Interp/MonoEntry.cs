// The entry point of the Mono interpreter bench only (InterpBench.cs compiles it with csc); NfDtls.Bench's own
// entry is Program.cs, so its csproj leaves this file out.
namespace NfDtls.Bench.Interp
{
    internal static class MonoEntry
    {
        private static int Main(string[] args)
        {
            return InterpHarness.MonoMain(args);
        }
    }
}
