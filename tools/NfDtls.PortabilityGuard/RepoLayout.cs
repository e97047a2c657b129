using System.Reflection;

namespace NfDtls.PortabilityGuard;

/// <summary>Where the repository, ../shared and a project's build output are.</summary>
public sealed class RepoLayout
{
    public RepoLayout(string root, string shared, string configuration)
    {
        Root = root;
        Shared = shared;
        Configuration = configuration;
    }

    public string Root { get; }

    /// <summary>../shared beside the repository (NFDTLS_SHARED or --shared override).</summary>
    public string Shared { get; }

    /// <summary>Build configuration whose output is checked (the guard's own, so `dotnet run -c Release` checks Release).</summary>
    public string Configuration { get; }

    public string ApiList(string file) => Path.Combine(Shared, "nanoframework-api", file);

    public string Repo(string relative) => Path.GetFullPath(Path.Combine(Root, relative.Replace('\\', '/')));

    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>bin/&lt;Configuration&gt;/net10.0/&lt;name&gt;.dll beside the project; if that is missing, the newest build of it.</summary>
    public string BuildOutput(string projectDirectory, string assemblyName)
    {
        var dir = Repo(projectDirectory);
        var preferred = Path.Combine(dir, "bin", Configuration, "net10.0", assemblyName + ".dll");
        if (File.Exists(preferred))
        {
            return preferred;
        }
        var bin = Path.Combine(dir, "bin");
        var newest = Directory.Exists(bin)
            ? Directory.GetFiles(bin, assemblyName + ".dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        return newest ?? throw new GuardException("not built: " + preferred + " (dotnet build " + projectDirectory + " -c " + Configuration + ")");
    }

    public static RepoLayout Discover(string? root, string? shared, string? configuration)
    {
        root ??= FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory)
            ?? throw new GuardException("nf-dtls.sln not found above " + Directory.GetCurrentDirectory() + " (use --repo DIR)");
        root = Path.GetFullPath(root);
        shared ??= Environment.GetEnvironmentVariable("NFDTLS_SHARED") is { Length: > 0 } s ? s : Path.Combine(root, "..", "shared");
        configuration ??= typeof(RepoLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return new RepoLayout(root, Path.GetFullPath(shared), configuration);
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "nf-dtls.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
