using System.Buffers.Binary;
using NfDtls.Dtls;

namespace NfDtls.Desktop.Dtls;

/// <summary>
/// Keeps a DTLS server's session-ticket keys (RFC 5077 §5.5) in a file, so a restarted server still accepts the
/// tickets it issued and its clients resume instead of paying for a full handshake. The file is
/// "NFTK" ‖ version (1) ‖ saved-at Unix ms (8, big-endian) ‖ <see cref="DtlsServer.SaveTicketKeys(byte[], int, long)"/>'s
/// bytes; the saved-at time makes the downtime count towards the keys' rotation and their tickets' lifetime.
/// It is written at start, whenever the engine rotates its key (looked at every <see cref="CheckInterval"/>), and at
/// <see cref="Dispose"/>; always mode 0600 (secret key material) through a temporary file and a rename, so a crash never
/// leaves half a file. A missing file means fresh keys; a damaged one is reported and replaced, never fatal.
/// </summary>
public sealed class TicketKeyFile : IDisposable
{
    private static readonly byte[] Magic = { (byte)'N', (byte)'F', (byte)'T', (byte)'K' };
    private const byte Version = 1;
    private const int HeaderLength = 4 + 1 + 8;

    /// <summary>The file's exact length.</summary>
    public const int FileLength = HeaderLength + DtlsServer.TicketKeysLength;

    /// <summary>How often the engine's rotation count is looked at (a rotation is on disk at most this much later).</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    private readonly string _path;
    private readonly TextWriter _warnings;
    private readonly string _who;
    private readonly Func<Func<long, byte[]?>, byte[]?> _invoke;
    private readonly DtlsServer _server;
    private readonly object _writing = new();
    private Timer? _timer;
    private int _savedRotations = -1;
    private bool _disposed;
    private bool _keeping;
    private string? _lastWarning;

    /// <param name="path">the file</param>
    /// <param name="server">the engine whose keys are kept (with tickets on)</param>
    /// <param name="invoke">runs a function on the engine's thread discipline with the engine's time (the host's Invoke)</param>
    /// <param name="warnings">where problems are reported (stderr)</param>
    /// <param name="who">prefix of those reports, e.g. "nfdtls gateway"</param>
    public TicketKeyFile(string path, DtlsServer server, Func<Func<long, byte[]?>, byte[]?> invoke, TextWriter warnings, string who)
    {
        _path = path;
        _server = server;
        _invoke = invoke;
        _warnings = warnings;
        _who = who;
    }

    public string Path => _path;

    /// <summary>What <see cref="Load"/> found.</summary>
    public TicketKeyFileState State { get; private set; }

    /// <summary>
    /// Loads the keys from the file into the engine, if it exists and is valid; before the engine runs. A damaged or
    /// unreadable file is reported on the warnings writer and the engine keeps its fresh keys.
    /// </summary>
    public TicketKeyFileState Load(Func<DateTimeOffset>? now = null)
    {
        State = Read(now ?? (() => DateTimeOffset.UtcNow));
        return State;
    }

    private TicketKeyFileState Read(Func<DateTimeOffset> now)
    {
        if (!File.Exists(_path))
        {
            return TicketKeyFileState.Absent;
        }
        byte[] content;
        try
        {
            content = File.ReadAllBytes(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn(e.Message + " (fresh keys: clients do full handshakes)");
            return TicketKeyFileState.Damaged;
        }
        if (content.Length != FileLength || !content.AsSpan(0, 4).SequenceEqual(Magic) || content[4] != Version)
        {
            Warn("not a ticket key file (" + content.Length + " bytes); starting with fresh keys, the file is replaced");
            return TicketKeyFileState.Damaged;
        }
        long savedAt = BinaryPrimitives.ReadInt64BigEndian(content.AsSpan(5, 8));
        // A clock set back reads as no downtime; the engine caps a huge one.
        long offline = Math.Max(0, now().ToUnixTimeMilliseconds() - savedAt);
        bool loaded = _invoke(_ => _server.LoadTicketKeys(content, HeaderLength, DtlsServer.TicketKeysLength, offline) ? content : null) != null;
        Array.Clear(content);
        if (!loaded)
        {
            Warn("damaged ticket keys; starting with fresh keys, the file is replaced");
            return TicketKeyFileState.Damaged;
        }
        return TicketKeyFileState.Loaded;
    }

    /// <summary>Writes the keys now and then whenever the engine rotates its key, until disposed.</summary>
    public void Keep(Func<DateTimeOffset>? now = null)
    {
        var clock = now ?? (() => DateTimeOffset.UtcNow);
        _keeping = true;
        Save(clock, true);
        _timer = new Timer(_ => Save(clock, false), null, CheckInterval, CheckInterval);
    }

    /// <summary>Writes the keys when <paramref name="always"/> or when the key rotated since the last write; true when written.</summary>
    public bool Save(Func<DateTimeOffset> now, bool always)
    {
        lock (_writing)
        {
            if (_disposed && !always)
            {
                return false;
            }
            int rotations = 0;
            byte[]? content = _invoke(engineNow =>
            {
                rotations = _server.TicketKeyRotations;
                var b = new byte[FileLength];
                // With the engine's time: a key due for rotation rotates now, ages are current.
                if (_server.SaveTicketKeys(b, HeaderLength, engineNow) != DtlsServer.TicketKeysLength)
                {
                    return null;
                }
                rotations = _server.TicketKeyRotations;
                return b;
            });
            if (content == null)
            {
                return false;
            }
            if (!always && rotations == _savedRotations)
            {
                Array.Clear(content);
                return false;
            }
            Magic.CopyTo(content, 0);
            content[4] = Version;
            BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(5, 8), now().ToUnixTimeMilliseconds());
            try
            {
                WriteAtomically(_path, content);
                _savedRotations = rotations;
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn(e.Message + " (ticket keys not kept)");
                return false;
            }
            finally
            {
                Array.Clear(content);
            }
        }
    }

    /// <summary>Mode 0600 through "FILE.tmp" and a rename: readers see the old file or the new one, never a part.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(true);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an older .tmp kept its mode
        }
        File.Move(temporary, path, true);
    }

    private void Warn(string message)
    {
        // A directory that cannot be written fails the same way at every save: said once.
        if (message == _lastWarning)
        {
            return;
        }
        _lastWarning = message;
        lock (_warnings)
        {
            _warnings.WriteLine(_who + ": --ticket-keys " + _path + ": " + message);
        }
    }

    /// <summary>Stops watching and writes the keys a last time (their ages at shutdown).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _timer?.Dispose();
        _timer = null;
        if (_keeping)
        {
            Save(() => DateTimeOffset.UtcNow, true);
        }
        _disposed = true;
    }
}

/// <summary>What <see cref="TicketKeyFile.Load"/> found.</summary>
public enum TicketKeyFileState
{
    Unknown,
    /// <summary>No file: fresh keys (written at start).</summary>
    Absent,
    /// <summary>The keys of the last run: its tickets still resume.</summary>
    Loaded,
    /// <summary>Unreadable, wrong size or not ours: fresh keys, the file is replaced.</summary>
    Damaged,
}
