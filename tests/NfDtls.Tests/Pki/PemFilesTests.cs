using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Crypto;
using NfDtls.Desktop.Pki;
using NfDtls.Tests.Crypto;
using Xunit;

namespace NfDtls.Tests.Pki;

public class PemFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nfdtls-pem-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsChainsKeysAndPublicKeys()
    {
        X509Certificate2 root = TestPki.Make("PEM Root", TestPki.CaOptions(), null);
        X509Certificate2 leaf = TestPki.Make("device", TestPki.LeafOptions(), root);
        string chain = Write("chain.pem", leaf.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n");
        List<byte[]> certs = PemFiles.ReadCertificates(chain);
        Assert.Equal(2, certs.Count);
        Assert.Equal(leaf.RawData, certs[0]);
        Assert.Equal(root.RawData, certs[1]);

        using ECDsa key = leaf.GetECDsaPrivateKey()!;
        byte[] d = key.ExportParameters(true).D!;
        byte[] expectedPublic = new byte[65];
        Assert.True(PortableCryptoProvider.Instance.CreateEcdsaP256().DerivePublicKey(d, 0, expectedPublic, 0));
        foreach (string pem in new[] { key.ExportECPrivateKeyPem(), key.ExportPkcs8PrivateKeyPem() })
        {
            byte[] scalar = PemFiles.ReadP256PrivateKey(Write("key.pem", pem));
            Assert.Equal(Hex.Of(d), Hex.Of(scalar));
        }
        File.WriteAllBytes(Path.Combine(_dir, "key.der"), key.ExportPkcs8PrivateKey());
        Assert.Equal(Hex.Of(d), Hex.Of(PemFiles.ReadP256PrivateKey(Path.Combine(_dir, "key.der"))));

        byte[] spki = key.ExportSubjectPublicKeyInfo();
        Assert.Equal(spki, PemFiles.ReadSpki(Write("pub.pem", key.ExportSubjectPublicKeyInfoPem())));
        Assert.Equal(spki, PemFiles.ReadSpki(chain));
        File.WriteAllBytes(Path.Combine(_dir, "pub.der"), spki);
        Assert.Equal(spki, PemFiles.ReadSpki(Path.Combine(_dir, "pub.der")));

        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<InvalidDataException>(() => PemFiles.ReadP256PrivateKey(Write("p384.pem", p384.ExportECPrivateKeyPem())));
        Assert.Throws<InvalidDataException>(() => PemFiles.ReadCertificates(Write("empty.pem", "nothing here")));
    }
}
