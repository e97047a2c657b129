using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NfDtls.Desktop.Pki;

/// <summary>
/// Reads the PEM (RFC 7468) and DER files the commands take: certificate chains, P-256 private keys (SEC 1
/// "EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY") and public keys as SubjectPublicKeyInfo ("PUBLIC KEY", a DER file, or a
/// certificate's key). Errors are <see cref="InvalidDataException"/> with the file name.
/// </summary>
public static class PemFiles
{
    /// <summary>The DER of every CERTIFICATE block, in file order (a PEM file, or one DER certificate).</summary>
    public static List<byte[]> ReadCertificates(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        var result = new List<byte[]>();
        if (raw.Length > 0 && raw[0] == 0x30)
        {
            result.Add(raw);
            return result;
        }
        string text = System.Text.Encoding.ASCII.GetString(raw);
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                result.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }
            rest = rest[fields.Location.End..];
        }
        if (result.Count == 0)
        {
            throw new InvalidDataException(path + ": no CERTIFICATE found");
        }
        return result;
    }

    /// <summary>The 32-byte private scalar of a P-256 key (PEM SEC 1 or PKCS#8, or DER PKCS#8).</summary>
    public static byte[] ReadP256PrivateKey(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        using ECDsa key = ECDsa.Create();
        try
        {
            if (raw.Length > 0 && raw[0] == 0x30)
            {
                try
                {
                    key.ImportPkcs8PrivateKey(raw, out _);
                }
                catch (CryptographicException)
                {
                    key.ImportECPrivateKey(raw, out _);
                }
            }
            else
            {
                key.ImportFromPem(System.Text.Encoding.ASCII.GetString(raw));
            }
            ECParameters p = key.ExportParameters(true);
            if (p.Curve.Oid?.Value != "1.2.840.10045.3.1.7" || p.D == null || p.D.Length > 32)
            {
                throw new InvalidDataException(path + ": not a P-256 private key");
            }
            byte[] d = new byte[32];
            p.D.CopyTo(d, 32 - p.D.Length);
            CryptographicOperations.ZeroMemory(p.D);
            return d;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException(path + ": cannot read a private key: " + e.Message, e);
        }
    }

    /// <summary>
    /// A public key as DER SubjectPublicKeyInfo: from a "PUBLIC KEY" PEM block, a DER SPKI file, or the first
    /// certificate of a PEM/DER certificate file.
    /// </summary>
    public static byte[] ReadSpki(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length > 0 && raw[0] == 0x30)
        {
            // DER: an SPKI, or else a certificate
            try
            {
                using ECDsa key = ECDsa.Create();
                key.ImportSubjectPublicKeyInfo(raw, out int read);
                if (read == raw.Length)
                {
                    return raw;
                }
            }
            catch (CryptographicException)
            {
            }
            return SpkiOfCertificate(raw, path);
        }
        string text = System.Text.Encoding.ASCII.GetString(raw);
        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> label = rest[fields.Label];
            byte[] der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            if (label.SequenceEqual("PUBLIC KEY"))
            {
                return der;
            }
            if (label.SequenceEqual("CERTIFICATE"))
            {
                return SpkiOfCertificate(der, path);
            }
            rest = rest[fields.Location.End..];
        }
        throw new InvalidDataException(path + ": no PUBLIC KEY or CERTIFICATE found");
    }

    private static byte[] SpkiOfCertificate(byte[] der, string path)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            return cert.PublicKey.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException(path + ": not a certificate or public key: " + e.Message, e);
        }
    }

    /// <summary>Writes DER as a PEM block (for tests and tools that make keys).</summary>
    public static string ToPem(string label, byte[] der) => new string(PemEncoding.Write(label, der));
}
