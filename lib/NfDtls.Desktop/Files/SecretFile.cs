namespace NfDtls.Desktop.Files;

/// <summary>
/// A file holding secret material (a master secret, ticket keys): mode 0600 on Unix, and replaced whole through
/// "FILE.tmp" and a rename, so readers (and a restart after a crash) see the old content or the new, never a part.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="content"/> to "<paramref name="path"/>.tmp", flushed to disk, then renames it over <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The directory cannot be written (or the rename fails).</exception>
    /// <exception cref="UnauthorizedAccessException">The file or directory is not ours to write.</exception>
    public static void WriteAtomically(string path, byte[] content)
    {
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(true);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, OwnerOnly); // an older .tmp kept its mode
        }
        File.Move(temporary, path, true);
    }
}
