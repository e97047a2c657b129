namespace NfDtls.Tests;

/// <summary>Where the repository and the project's ../shared folder are, from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared beside the repository (PORTABLE.md, nanoframework-api/, test-vectors/). NFDTLS_SHARED overrides.</summary>
    public static string Shared { get; } =
        Environment.GetEnvironmentVariable("NFDTLS_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Wycheproof(string file) => Path.Combine(Shared, "test-vectors", "wycheproof", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("nf-dtls.sln not found above " + AppContext.BaseDirectory);
    }
}
