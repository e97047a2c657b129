using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NfDtls.Tests.Pki;

/// <summary>P-256 certificates the tests make themselves with CertificateRequest (ECDSA with SHA-256).</summary>
internal static class TestPki
{
    public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static long NowSeconds => Now.ToUnixTimeSeconds();

    public sealed class Options
    {
        public bool Ca;
        public int PathLength = -1;
        public X509KeyUsageFlags? KeyUsage;
        public string[] DnsNames = Array.Empty<string>();
        public IPAddress[] Ips = Array.Empty<IPAddress>();
        public DateTimeOffset NotBefore = Now.AddDays(-30);
        public DateTimeOffset NotAfter = Now.AddDays(365);
        public List<X509Extension> Extra = new();
    }

    public static X509Certificate2 Make(string subject, Options o, X509Certificate2? issuer)
    {
        ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + subject + ", O=nf-dtls tests", key, HashAlgorithmName.SHA256);
        if (o.Ca)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, o.PathLength >= 0, Math.Max(0, o.PathLength), true));
        }
        if (o.KeyUsage is { } ku)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(ku, true));
        }
        if (o.DnsNames.Length > 0 || o.Ips.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string d in o.DnsNames)
            {
                san.AddDnsName(d);
            }
            foreach (IPAddress ip in o.Ips)
            {
                san.AddIpAddress(ip);
            }
            request.CertificateExtensions.Add(san.Build(false));
        }
        foreach (X509Extension e in o.Extra)
        {
            request.CertificateExtensions.Add(e);
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer == null)
        {
            return request.CreateSelfSigned(o.NotBefore, o.NotAfter);
        }
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        // The generator overload, so the test can also make the bad issuers (not a CA, no keyCertSign) that
        // Create(issuerCertificate, ...) refuses to sign with.
        using ECDsa issuerKey = issuer.GetECDsaPrivateKey()!;
        using X509Certificate2 issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey),
                                                       o.NotBefore, o.NotAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public static Options CaOptions(X509KeyUsageFlags usage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign) =>
        new() { Ca = true, KeyUsage = usage, NotBefore = Now.AddYears(-1), NotAfter = Now.AddYears(5) };

    public static Options LeafOptions(string dns = "device.example", string ip = "192.0.2.7") =>
        new() { KeyUsage = X509KeyUsageFlags.DigitalSignature, DnsNames = new[] { dns }, Ips = new[] { IPAddress.Parse(ip) } };

    /// <summary>A TLS Certificate message body (RFC 5246 §7.4.2): uint24 list length, then uint24-prefixed DER certificates.</summary>
    public static byte[] CertificateList(params X509Certificate2[] chain)
    {
        var body = new List<byte>();
        foreach (X509Certificate2 c in chain)
        {
            byte[] der = c.RawData;
            body.Add((byte)(der.Length >> 16));
            body.Add((byte)(der.Length >> 8));
            body.Add((byte)der.Length);
            body.AddRange(der);
        }
        var all = new List<byte> { (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count };
        all.AddRange(body);
        return all.ToArray();
    }
}
