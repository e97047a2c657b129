using System.Text;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;

namespace NfDtls.Desktop.Coap.Resources;

/// <summary>GET: a fixed text.</summary>
public sealed class TextResource : CoapResource
{
    private readonly byte[] _body;

    public TextResource(string path, string text, string? resourceType = null) : base(path)
    {
        _body = Encoding.UTF8.GetBytes(text);
        ResourceType = resourceType;
        ContentFormat = CoapContentFormat.TextPlain;
        MaximumSizeEstimate = _body.Length;
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.SetPayload(_body, 0, _body.Length);
    }
}

/// <summary>GET: a large deterministic text, several blocks long (RFC 7959 Block2 exercise).</summary>
public sealed class LargeResource : CoapResource
{
    public byte[] Body { get; }

    public LargeResource(string path, int lines = 80) : base(path)
    {
        var sb = new StringBuilder();
        for (int i = 1; i <= lines; i++)
        {
            sb.Append("line ").Append(i.ToString("D4")).Append(": the quick brown fox jumps over the lazy dog\n");
        }
        Body = Encoding.ASCII.GetBytes(sb.ToString());
        ResourceType = "block";
        ContentFormat = CoapContentFormat.TextPlain;
        MaximumSizeEstimate = Body.Length;
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.SetPayload(Body, 0, Body.Length);
    }
}

/// <summary>Observable counter: GET the value, POST increments it (and notifies).</summary>
public sealed class CounterResource : CoapResource
{
    private int _value;
    public Action? Changed { get; set; }

    public CounterResource(string path) : base(path)
    {
        Observable = true;
        ResourceType = "counter";
        ContentFormat = CoapContentFormat.TextPlain;
    }

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.MaxAge = 2;
        response.SetText(Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override void OnPost(CoapRequest request, CoapResponse response)
    {
        Increment();
        response.Code = CoapCode.Changed;
        response.SetText(Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Changed?.Invoke();
    }
}

/// <summary>Observable clock: GET the UTC time (ISO 8601).</summary>
public sealed class ClockResource : CoapResource
{
    public ClockResource(string path) : base(path)
    {
        Observable = true;
        ResourceType = "clock";
        ContentFormat = CoapContentFormat.TextPlain;
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        response.ContentFormat = CoapContentFormat.TextPlain;
        response.MaxAge = 1;
        response.SetText(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A stored body: GET it (4.04 when empty), PUT replaces (2.04, 2.01 when new), POST appends (2.04), DELETE clears (2.02).</summary>
public sealed class StoreResource : CoapResource
{
    private byte[]? _body;
    private int _contentFormat = -1;

    public StoreResource(string path, string? initial = null) : base(path)
    {
        ResourceType = "store";
        _body = initial == null ? null : Encoding.UTF8.GetBytes(initial);
        _contentFormat = initial == null ? -1 : CoapContentFormat.TextPlain;
    }

    public byte[]? Body => _body;

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        if (_body == null)
        {
            response.Code = CoapCode.NotFound;
            return;
        }
        response.ContentFormat = _contentFormat;
        response.SetPayload(_body, 0, _body.Length);
    }

    protected override void OnPut(CoapRequest request, CoapResponse response)
    {
        response.Code = _body == null ? CoapCode.Created : CoapCode.Changed;
        _body = Copy(request);
        _contentFormat = request.ContentFormat;
    }

    protected override void OnPost(CoapRequest request, CoapResponse response)
    {
        byte[] add = Copy(request);
        _body = _body == null ? add : _body.Concat(add).ToArray();
        response.Code = CoapCode.Changed;
    }

    protected override void OnDelete(CoapRequest request, CoapResponse response)
    {
        _body = null;
        response.Code = CoapCode.Deleted;
    }

    internal static byte[] Copy(CoapRequest request) =>
        request.Payload == null ? Array.Empty<byte>() : request.Payload.AsSpan(request.PayloadOffset, request.PayloadLength).ToArray();
}

/// <summary>
/// The files of a directory under a path: GET /files lists names (one per line), GET /files/NAME reads,
/// PUT writes (2.01 new, 2.04 replaced), DELETE removes. Names are single segments: no traversal.
/// </summary>
public sealed class DirectoryResource : CoapResource
{
    private readonly string _directory;
    private readonly int _depth;
    private byte[] _last = Array.Empty<byte>();

    public DirectoryResource(string path, string directory) : base(path)
    {
        _directory = System.IO.Path.GetFullPath(directory);
        MatchesSubpaths = true;
        ResourceType = "files";
        _depth = Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private string? FileName(CoapRequest request)
    {
        if (request.UriPathCount != _depth + 1)
        {
            return null;
        }
        int i = request.UriPathOption(_depth);
        string name = Encoding.UTF8.GetString(request.Message.OptionBuffer(i), request.Message.OptionOffset(i), request.Message.OptionLength(i));
        if (name.Length == 0 || name == "." || name == ".." || name.IndexOfAny(new[] { '/', '\\', '\0' }) >= 0)
        {
            return null;
        }
        return System.IO.Path.Combine(_directory, name);
    }

    protected override void OnGet(CoapRequest request, CoapResponse response)
    {
        if (request.UriPathCount == _depth)
        {
            var names = Directory.Exists(_directory) ? Directory.GetFiles(_directory).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal) : Enumerable.Empty<string?>();
            _last = Encoding.UTF8.GetBytes(string.Join("\n", names));
            response.ContentFormat = CoapContentFormat.TextPlain;
            response.SetPayload(_last, 0, _last.Length);
            return;
        }
        string? file = FileName(request);
        if (file == null || !File.Exists(file))
        {
            response.Code = CoapCode.NotFound;
            return;
        }
        _last = File.ReadAllBytes(file);
        response.ContentFormat = CoapContentFormat.OctetStream;
        response.SetPayload(_last, 0, _last.Length);
    }

    protected override void OnPut(CoapRequest request, CoapResponse response)
    {
        string? file = FileName(request);
        if (file == null)
        {
            response.Code = CoapCode.BadRequest;
            return;
        }
        bool existed = File.Exists(file);
        Directory.CreateDirectory(_directory);
        File.WriteAllBytes(file, StoreResource.Copy(request));
        response.Code = existed ? CoapCode.Changed : CoapCode.Created;
    }

    protected override void OnDelete(CoapRequest request, CoapResponse response)
    {
        string? file = FileName(request);
        if (file == null || !File.Exists(file))
        {
            response.Code = CoapCode.NotFound;
            return;
        }
        File.Delete(file);
        response.Code = CoapCode.Deleted;
    }
}
