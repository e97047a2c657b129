using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// The small private CA a fleet's X.509 credentials hang from: one self-signed ECDSA P-256 root that signs the
/// gateway's certificate (serverAuth) and one certificate per node (clientAuth). Certificates are kept small
/// (short names, no chain) because a node holds its own and parses the gateway's in a few KB of heap.
/// </summary>
public static class FleetCertificates
{
    /// <summary>How long certificates are valid; boards without a battery-backed clock get their time from SNTP.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    public static X509Certificate2 CreateCa(P256KeyPair caKey, string name, DateTimeOffset now)
    {
        var req = new CertificateRequest(new X500DistinguishedName("CN=" + name), caKey.Key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }

    /// <summary>An end-entity certificate for <paramref name="subject"/>, signed by the CA, DER.</summary>
    public static byte[] Issue(X509Certificate2 ca, P256KeyPair caKey, P256KeyPair subjectKey, string commonName,
                               bool server, string? hostName, NfDtls.Crypto.IRandom random, DateTimeOffset now)
    {
        var req = new CertificateRequest(new X500DistinguishedName("CN=" + commonName), subjectKey.Key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // RFC 5280 §4.2.1.12: serverAuth 1.3.6.1.5.5.7.3.1, clientAuth 1.3.6.1.5.5.7.3.2.
        var eku = new OidCollection { new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") };
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        if (hostName != null)
        {
            var san = new SubjectAlternativeNameBuilder();
            if (IPAddress.TryParse(hostName, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(hostName);
            }
            req.CertificateExtensions.Add(san.Build());
        }
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var generator = X509SignatureGenerator.CreateForECDsa(caKey.Key);
        DateTimeOffset notAfter = now.Add(Validity) < ca.NotAfter ? now.Add(Validity) : new DateTimeOffset(ca.NotAfter);
        using var cert = req.Create(ca.SubjectName, generator, now.AddMinutes(-5), notAfter, Serial(random));
        return cert.RawData;
    }

    /// <summary>RFC 5280 §4.1.2.2: positive, unique per CA, at most 20 bytes. 8 random bytes, top bit clear, never a leading zero byte.</summary>
    private static byte[] Serial(NfDtls.Crypto.IRandom random)
    {
        var s = new byte[8];
        random.GetBytes(s, 0, 8);
        s[0] = (byte)((s[0] & 0x7F) | 0x01);
        return s;
    }
}
