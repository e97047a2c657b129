using NfDtls.Desktop.Pki;
using NfDtls.Pki;

namespace NfDtls.Fuzz.Harness;

/// <summary>
/// The fixed P-256 PKI the DTLS targets and recorders use (pki/*.pem, made once by `make-pki`, valid 2025-2045):
/// a CA, a server certificate (SAN localhost, 127.0.0.1) and a client certificate, and a clock fixed inside that span.
/// </summary>
public sealed class FuzzPki
{
    /// <summary>2026-12-01T00:00:00Z: what every certificate check in a fuzz run sees.</summary>
    public const long NowSeconds = 1796083200;

    public static readonly FuzzPki Instance = new(Path.Combine(AppContext.BaseDirectory, "pki"));

    public readonly byte[] CaCertificate;
    public readonly byte[] ServerCertificate;
    public readonly byte[] ServerKey;
    public readonly byte[] ServerSpki;
    public readonly byte[] ClientCertificate;
    public readonly byte[] ClientKey;
    public readonly byte[] ClientSpki;

    private FuzzPki(string dir)
    {
        CaCertificate = PemFiles.ReadCertificates(Path.Combine(dir, "ca.pem"))[0];
        ServerCertificate = PemFiles.ReadCertificates(Path.Combine(dir, "server.pem"))[0];
        ServerKey = PemFiles.ReadP256PrivateKey(Path.Combine(dir, "server.key"));
        ServerSpki = PemFiles.ReadSpki(Path.Combine(dir, "server.pem"));
        ClientCertificate = PemFiles.ReadCertificates(Path.Combine(dir, "client.pem"))[0];
        ClientKey = PemFiles.ReadP256PrivateKey(Path.Combine(dir, "client.key"));
        ClientSpki = PemFiles.ReadSpki(Path.Combine(dir, "client.pem"));
    }

    public TrustAnchorStore Anchors()
    {
        var anchors = new TrustAnchorStore(2);
        FuzzFailure.Check(anchors.AddCertificate(CaCertificate, 0, CaCertificate.Length) == CertificateError.None, "the fuzz CA loads");
        return anchors;
    }

    public sealed class FixedClock : IWallClock
    {
        public static readonly FixedClock Instance = new();

        public long UnixSeconds => NowSeconds;
    }
}
