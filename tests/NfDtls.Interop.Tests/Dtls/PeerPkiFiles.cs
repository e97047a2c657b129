using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Desktop.Dtls;
using NfDtls.Desktop.Pki;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using Xunit;

namespace NfDtls.Interop.Tests.Dtls;

/// <summary>
/// A fresh P-256 PKI in a temporary folder, as PEM files the peer programs (openssl, gnutls) read: a CA, and a server
/// and a client certificate it issued (SAN localhost and 127.0.0.1), with their private keys and public keys (SPKI,
/// for RFC 7250 raw public keys). Our side's ECDHE credentials are read back from the same files.
/// </summary>
internal sealed class PeerPkiFiles : IDisposable
{
    public readonly string Dir;
    public readonly string Ca;
    public readonly string ServerCert;
    public readonly string ServerKey;
    public readonly string ServerPub;
    public readonly string ClientCert;
    public readonly string ClientKey;
    public readonly string ClientPub;

    public PeerPkiFiles(string folderPrefix, string caName)
    {
        Dir = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=" + caName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        Ca = Write("ca.pem", ca.ExportCertificatePem());
        (ServerCert, ServerKey, ServerPub) = Issue("server", ca);
        (ClientCert, ClientKey, ClientPub) = Issue("client", ca);
    }

    public void Dispose() => Directory.Delete(Dir, true);

    /// <summary>Writes <paramref name="text"/> to NAME in the folder; returns its path.</summary>
    public string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (string Cert, string Key, string Pub) Issue(string name, X509Certificate2 ca)
    {
        var now = DateTimeOffset.UtcNow;
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 cert = request.Create(ca, now.AddDays(-1), now.AddDays(10), RandomNumberGenerator.GetBytes(8));
        return (Write(name + ".pem", cert.ExportCertificatePem()),
                Write(name + ".key", key.ExportECPrivateKeyPem()),
                Write(name + ".pub", key.ExportSubjectPublicKeyInfoPem()));
    }

    /// <summary>
    /// Our server's or client's credentials from these files: its key and one-certificate chain, the CA as trust
    /// anchor, the peer's public key as the one trusted raw key; the server requires a client certificate, the client
    /// expects the server at 127.0.0.1.
    /// </summary>
    public EcdheCredentials Credentials(bool server, bool rawPublicKeys)
    {
        var anchors = new TrustAnchorStore(1);
        byte[] caDer = PemFiles.ReadCertificates(Ca)[0];
        Assert.Equal(CertificateError.None, anchors.AddCertificate(caDer, 0, caDer.Length));
        var trusted = new RpkAllowList(1);
        byte[] peerSpki = PemFiles.ReadSpki(server ? ClientPub : ServerPub);
        Assert.True(trusted.AddSpki(peerSpki, 0, peerSpki.Length));
        return new EcdheCredentials
        {
            PrivateKey = PemFiles.ReadP256PrivateKey(server ? ServerKey : ClientKey),
            CertificateChain = PemFiles.ReadCertificates(server ? ServerCert : ClientCert).ToArray(),
            RawPublicKeys = rawPublicKeys,
            TrustAnchors = anchors,
            TrustedKeys = trusted,
            Clock = SystemWallClock.Instance,
            RequestClientCertificate = server,
            RequireClientCertificate = server,
            ExpectedServerAddress = server ? null : IPAddress.Loopback.GetAddressBytes(),
        };
    }
}
