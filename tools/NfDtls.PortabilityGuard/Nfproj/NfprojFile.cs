using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NfDtls.PortabilityGuard.Nfproj;

/// <summary>
/// A nanoFramework project file (classic MSBuild XML, as nanoFramework's samples lay it out): its Compile items,
/// its Reference HintPaths, and the csproj whose sources it must compile (same directory, same base name).
/// </summary>
public sealed class NfprojFile
{
    private static readonly Regex CompileGroup = new(
        @"[ \t]*<ItemGroup>(?:(?!</ItemGroup>).)*?<Compile\s(?:(?!</ItemGroup>).)*</ItemGroup>[ \t]*\r?\n?", RegexOptions.Singleline);

    public NfprojFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path))
        {
            throw new GuardException("nfproj not found: " + path);
        }
        Directory = System.IO.Path.GetDirectoryName(Path)!;
        var doc = XDocument.Load(Path);
        Compile = new SortedSet<string>(
            doc.Descendants().Where(e => e.Name.LocalName == "Compile" && e.Attribute("Include") != null)
                .Select(e => e.Attribute("Include")!.Value.Replace('/', '\\')),
            StringComparer.Ordinal);
        HintPaths = doc.Descendants().Where(e => e.Name.LocalName == "HintPath").Select(e => e.Value.Trim()).ToArray();
        ProjectReferences = ProjectReferencesOf(doc, Directory);
    }

    /// <summary>Full paths of the projects this nfproj references.</summary>
    public IReadOnlyList<string> ProjectReferences { get; }

    /// <summary>
    /// The nanoFramework projects this one must reference: for each project the csproj references that has an
    /// .nfproj beside it (X.csproj → X.nfproj), that .nfproj.
    /// </summary>
    public IReadOnlyList<string> ExpectedProjectReferences()
    {
        if (Csproj is not { } csproj)
        {
            return Array.Empty<string>();
        }
        return ProjectReferencesOf(XDocument.Load(csproj), Directory)
            .Select(r => System.IO.Path.ChangeExtension(r, ".nfproj"))
            .Where(File.Exists)
            .ToArray();
    }

    private static string[] ProjectReferencesOf(XDocument doc, string directory) =>
        doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference" && e.Attribute("Include") != null)
            .Select(e => System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, e.Attribute("Include")!.Value.Replace('\\', '/'))))
            .ToArray();

    public string Path { get; }

    public string Directory { get; }

    /// <summary>Compile Include values, '\' separated.</summary>
    public SortedSet<string> Compile { get; }

    public IReadOnlyList<string> HintPaths { get; }

    /// <summary>The desktop project beside it (X.nfproj → X.csproj), or null.</summary>
    public string? Csproj
    {
        get
        {
            var csproj = System.IO.Path.ChangeExtension(Path, ".csproj");
            return File.Exists(csproj) ? csproj : null;
        }
    }

    /// <summary>What the nfproj must compile: the csproj's sources, or without a csproj every .cs under its directory.</summary>
    public SortedSet<string> ExpectedSources() =>
        Csproj is { } csproj ? SourceSet.OfCsproj(csproj) : SourceSet.CsFilesUnder(Directory);

    /// <summary>Rewrites the Compile items to exactly <paramref name="sources"/>; returns true if the file changed.</summary>
    public static bool WriteCompileItems(string nfprojPath, IEnumerable<string> sources)
    {
        var text = File.ReadAllText(nfprojPath);
        var newline = text.Contains("\r\n") ? "\r\n" : "\n";
        var block = new StringBuilder();
        block.Append("  <ItemGroup>").Append(newline);
        foreach (var source in sources.OrderBy(s => s, StringComparer.Ordinal))
        {
            block.Append("    <Compile Include=\"").Append(System.Security.SecurityElement.Escape(source)).Append("\" />").Append(newline);
        }
        block.Append("  </ItemGroup>").Append(newline);

        string updated;
        var match = CompileGroup.Match(text);
        if (match.Success)
        {
            updated = text.Substring(0, match.Index) + block + text.Substring(match.Index + match.Length);
        }
        else
        {
            // No Compile group yet: put one just before the C# targets import, where nanoFramework projects have it.
            var anchor = text.IndexOf("<Import Project=\"$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets\"", StringComparison.Ordinal);
            if (anchor < 0)
            {
                throw new GuardException(nfprojPath + ": no Compile ItemGroup and no NFProjectSystem.CSharp.targets import to place one before");
            }
            int lineStart = text.LastIndexOf('\n', anchor) + 1;
            updated = text.Substring(0, lineStart) + block + text.Substring(lineStart);
        }
        if (updated == text)
        {
            return false;
        }
        File.WriteAllText(nfprojPath, updated, new UTF8Encoding(text.Length > 0 && text[0] == '\uFEFF'));
        return true;
    }
}
