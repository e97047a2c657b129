using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NfDtls.Fuzz.Pki;

/// <summary>`make-pki DIR`: the fixed PKI of the DTLS targets (run once; the files are in the repository).</summary>
public static class PkiMaker
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2045, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Make(string dir)
    {
        Directory.CreateDirectory(dir);
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=nf-dtls fuzz CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(From, To);
        File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "ca.key"), caKey.ExportECPrivateKeyPem());
        Issue(dir, "server", ca, 1);
        Issue(dir, "client", ca, 2);
    }

    private static void Issue(string dir, string name, X509Certificate2 ca, byte serial)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 cert = request.Create(ca, From, To, new byte[] { 0x10, serial });
        File.WriteAllText(Path.Combine(dir, name + ".pem"), cert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, name + ".key"), key.ExportECPrivateKeyPem());
        File.WriteAllText(Path.Combine(dir, name + ".pub"), key.ExportSubjectPublicKeyInfoPem());
    }
}
