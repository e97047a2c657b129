using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Config;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// The gateway's credentials file (gateway.json, written by `nfdtls provision`): the gateway's own P-256 key and
/// certificate, the fleet CA's certificate, and for every node its security mode and what authenticates it
/// (PSK identity + key, raw public key, or certificate). Byte strings are lower-case hex.
/// <code>
/// { "format": "nfdtls-gateway/1", "port": 5684,
///   "gateway": { "privateKey": "…", "publicKey": "04…", "certificate": "30…" },
///   "ca": { "certificate": "30…" },
///   "nodes": [ { "id": "node-001", "security": "psk", "pskIdentity": "node-001", "pskKey": "…" },
///              { "id": "node-002", "security": "rpk", "publicKey": "04…", "spki": "3059…" },
///              { "id": "node-003", "security": "x509", "publicKey": "04…", "certificate": "30…" } ] }
/// </code>
/// The simulator's and the CLI's gateway look nodes up by PSK identity or by public key. The file holds secrets:
/// it is written owner-only, and nothing here prints keys.
/// </summary>
public sealed class GatewayCredentials
{
    public const string Format = "nfdtls-gateway/1";

    private readonly Dictionary<string, GatewayNodeCredential> _byPskIdentity = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GatewayNodeCredential> _byPublicKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GatewayNodeCredential> _byId = new(StringComparer.Ordinal);
    private readonly List<GatewayNodeCredential> _nodes = new();

    public int Port { get; set; } = NodeSettings.DefaultGatewayPort;

    /// <summary>The gateway's own P-256 key (32-byte scalar, 65-byte point) and certificate (DER).</summary>
    public byte[]? PrivateKey { get; set; }
    public byte[]? PublicKey { get; set; }
    public byte[]? Certificate { get; set; }

    /// <summary>The fleet CA certificate (DER) node certificates are checked against.</summary>
    public byte[]? CaCertificate { get; set; }

    public IReadOnlyList<GatewayNodeCredential> Nodes => _nodes;

    /// <summary>Adds a node; a second node with the same id, PSK identity or public key is refused.</summary>
    public void Add(GatewayNodeCredential node)
    {
        if (node.Id.Length == 0)
        {
            throw new GatewayCredentialsException("nodes[" + _nodes.Count + "].id", "is required");
        }
        if (_byId.ContainsKey(node.Id))
        {
            throw new GatewayCredentialsException("nodes[" + _nodes.Count + "].id", "'" + node.Id + "' appears twice");
        }
        if (node.PskIdentity != null && _byPskIdentity.ContainsKey(node.PskIdentity))
        {
            throw new GatewayCredentialsException("nodes[" + _nodes.Count + "].pskIdentity", "'" + node.PskIdentity + "' appears twice");
        }
        string? pk = node.PublicKey == null ? null : Convert.ToHexString(node.PublicKey);
        if (pk != null && _byPublicKey.ContainsKey(pk))
        {
            throw new GatewayCredentialsException("nodes[" + _nodes.Count + "].publicKey", "is the same as another node's");
        }
        _nodes.Add(node);
        _byId[node.Id] = node;
        if (node.PskIdentity != null)
        {
            _byPskIdentity[node.PskIdentity] = node;
        }
        if (pk != null)
        {
            _byPublicKey[pk] = node;
        }
    }

    public GatewayNodeCredential? FindById(string id) => _byId.TryGetValue(id, out var n) ? n : null;

    public GatewayNodeCredential? FindByPskIdentity(string identity) =>
        _byPskIdentity.TryGetValue(identity, out var n) && n.Security == NodeSettings.SecurityPsk ? n : null;

    /// <summary>By the identity bytes as they arrive in ClientKeyExchange (RFC 4279 §2: UTF-8).</summary>
    public GatewayNodeCredential? FindByPskIdentity(byte[] identity, int offset, int count)
    {
        string s;
        try
        {
            s = new UTF8Encoding(false, true).GetString(identity, offset, count);
        }
        catch (ArgumentException)
        {
            return null;
        }
        return FindByPskIdentity(s);
    }

    /// <summary>
    /// By public key: a 65-byte uncompressed point, or the P-256 SubjectPublicKeyInfo a raw-public-key peer sends
    /// (RFC 7250 §3).
    /// </summary>
    public GatewayNodeCredential? FindByPublicKey(byte[] key, int offset, int count)
    {
        byte[] point;
        if (count == 65)
        {
            point = key.AsSpan(offset, count).ToArray();
        }
        else
        {
            var p = P256KeyPair.PointFromSubjectPublicKeyInfo(key.AsSpan(offset, count).ToArray());
            if (p == null)
            {
                return null;
            }
            point = p;
        }
        return _byPublicKey.TryGetValue(Convert.ToHexString(point), out var n) ? n : null;
    }

    public GatewayNodeCredential? FindByPublicKey(byte[] key) => FindByPublicKey(key, 0, key.Length);

    public static GatewayCredentials Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayCredentialsException("file", "cannot read " + path + ": " + e.Message);
        }
        return Parse(text);
    }

    /// <summary>Reads gateway.json text; a bad file is a <see cref="GatewayCredentialsException"/> naming the field.</summary>
    public static GatewayCredentials Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GatewayCredentialsException("file", "is not JSON: " + e.Message);
        }
        if (root is not JsonObject o)
        {
            throw new GatewayCredentialsException("file", "must be a JSON object");
        }
        string? format = Str(o, "format", "format");
        if (format != Format)
        {
            throw new GatewayCredentialsException("format", "must be \"" + Format + "\"");
        }
        var c = new GatewayCredentials();
        if (o["port"] is JsonNode portNode)
        {
            if (portNode is not JsonValue pv || !pv.TryGetValue(out int port) || port < 1 || port > 65535)
            {
                throw new GatewayCredentialsException("port", "must be a number from 1 to 65535");
            }
            c.Port = port;
        }
        if (o["gateway"] is JsonObject g)
        {
            c.PrivateKey = Hex(g, "privateKey", "gateway.privateKey", 32);
            c.PublicKey = Hex(g, "publicKey", "gateway.publicKey", 65);
            c.Certificate = Hex(g, "certificate", "gateway.certificate", 0);
        }
        if (o["ca"] is JsonObject ca)
        {
            c.CaCertificate = Hex(ca, "certificate", "ca.certificate", 0);
        }
        if (o["nodes"] is not JsonArray nodes)
        {
            throw new GatewayCredentialsException("nodes", "must be a list");
        }
        for (int i = 0; i < nodes.Count; i++)
        {
            string where = "nodes[" + i + "]";
            if (nodes[i] is not JsonObject n)
            {
                throw new GatewayCredentialsException(where, "must be an object");
            }
            var node = new GatewayNodeCredential
            {
                Id = Str(n, "id", where + ".id") ?? throw new GatewayCredentialsException(where + ".id", "is required"),
                Security = Str(n, "security", where + ".security") ?? NodeSettings.SecurityPsk,
            };
            switch (node.Security)
            {
                case NodeSettings.SecurityPsk:
                    node.PskIdentity = Str(n, "pskIdentity", where + ".pskIdentity") ?? throw new GatewayCredentialsException(where + ".pskIdentity", "is required for psk");
                    node.PskKey = Hex(n, "pskKey", where + ".pskKey", 0) ?? throw new GatewayCredentialsException(where + ".pskKey", "is required for psk");
                    break;
                case NodeSettings.SecurityRpk:
                    node.PublicKey = Hex(n, "publicKey", where + ".publicKey", 65);
                    if (node.PublicKey == null && Hex(n, "spki", where + ".spki", 0) is byte[] spki)
                    {
                        node.PublicKey = P256KeyPair.PointFromSubjectPublicKeyInfo(spki)
                            ?? throw new GatewayCredentialsException(where + ".spki", "is not a P-256 SubjectPublicKeyInfo");
                    }
                    if (node.PublicKey == null)
                    {
                        throw new GatewayCredentialsException(where + ".publicKey", "is required for rpk");
                    }
                    break;
                case NodeSettings.SecurityX509:
                    node.Certificate = Hex(n, "certificate", where + ".certificate", 0) ?? throw new GatewayCredentialsException(where + ".certificate", "is required for x509");
                    node.PublicKey = Hex(n, "publicKey", where + ".publicKey", 65) ?? PublicKeyOfCertificate(node.Certificate, where + ".certificate");
                    break;
                default:
                    throw new GatewayCredentialsException(where + ".security", "must be psk, rpk or x509");
            }
            c.Add(node);
        }
        return c;
    }

    public string ToJson()
    {
        var nodes = new JsonArray();
        foreach (var n in _nodes)
        {
            var o = new JsonObject { ["id"] = n.Id, ["security"] = n.Security };
            if (n.PskIdentity != null) o["pskIdentity"] = n.PskIdentity;
            if (n.PskKey != null) o["pskKey"] = HexOf(n.PskKey);
            if (n.PublicKey != null) o["publicKey"] = HexOf(n.PublicKey);
            if (n.Security == NodeSettings.SecurityRpk && n.PublicKey != null) o["spki"] = HexOf(SpkiOf(n.PublicKey));
            if (n.Certificate != null) o["certificate"] = HexOf(n.Certificate);
            nodes.Add(o);
        }
        var gateway = new JsonObject();
        if (PrivateKey != null) gateway["privateKey"] = HexOf(PrivateKey);
        if (PublicKey != null) gateway["publicKey"] = HexOf(PublicKey);
        if (Certificate != null) gateway["certificate"] = HexOf(Certificate);
        var root = new JsonObject
        {
            ["format"] = Format,
            ["port"] = Port,
            ["gateway"] = gateway,
            ["ca"] = CaCertificate == null ? new JsonObject() : new JsonObject { ["certificate"] = HexOf(CaCertificate) },
            ["nodes"] = nodes,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string HexOf(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();

    private static byte[] SpkiOf(byte[] point)
    {
        using var k = System.Security.Cryptography.ECDsa.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
            Q = new System.Security.Cryptography.ECPoint { X = point[1..33], Y = point[33..65] },
        });
        return k.ExportSubjectPublicKeyInfo();
    }

    private static byte[] PublicKeyOfCertificate(byte[] der, string field)
    {
        try
        {
            using var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
            using var key = cert.GetECDsaPublicKey() ?? throw new System.Security.Cryptography.CryptographicException("no EC key");
            var q = key.ExportParameters(false).Q;
            var pub = new byte[65];
            pub[0] = 0x04;
            q.X!.CopyTo(pub, 1);
            q.Y!.CopyTo(pub, 33);
            return pub;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new GatewayCredentialsException(field, "is not a DER certificate with a P-256 key");
        }
    }

    private static string? Str(JsonObject o, string name, string field)
    {
        var v = o[name];
        if (v == null)
        {
            return null;
        }
        if (v is JsonValue jv && jv.TryGetValue(out string? s))
        {
            return s;
        }
        throw new GatewayCredentialsException(field, "must be a string");
    }

    /// <summary>Hex bytes; <paramref name="length"/> 0 = any non-empty length. Never echoes the value.</summary>
    private static byte[]? Hex(JsonObject o, string name, string field, int length)
    {
        string? s = Str(o, name, field);
        if (s == null)
        {
            return null;
        }
        byte[]? b = SettingsText.ParseHex(s, out string problem);
        if (b == null)
        {
            throw new GatewayCredentialsException(field, problem);
        }
        if (b.Length == 0 || (length != 0 && b.Length != length))
        {
            throw new GatewayCredentialsException(field, length != 0 ? "must be " + length + " bytes" : "is empty");
        }
        return b;
    }
}

/// <summary>A bad gateway credentials file; <see cref="Field"/> is the JSON path of the problem.</summary>
public sealed class GatewayCredentialsException(string field, string problem) : Exception(field + ": " + problem)
{
    public string Field { get; } = field;
}
