using System.Text;
using NfDtls.Crypto;
using NfDtls.Fuzz.Harness;
using NfDtls.Pki;

namespace NfDtls.Fuzz.Pki;

/// <summary>
/// The streaming X.509 parser and chain verifier (lib/NfDtls.Dtls/Pki). Input: one mode byte, then DER. Mode bit 0: 0 = one
/// certificate through <see cref="CertificateParser"/> (and <see cref="TrustAnchorStore.AddCertificate"/>), 1 = a TLS
/// Certificate message body (uint24 list of uint24-prefixed certificates) through <see cref="CertificateChainVerifier"/>
/// against the fuzz CA at the fixed time. Bits 1-5: chunk size - 1 for a second, piecewise feed whose verdict must
/// equal the one-piece feed (the handshake hands the parser fragments of any size). Bit 6: localhost expected in
/// subjectAltName; bit 7: 127.0.0.1 expected.
/// </summary>
public sealed class X509Target : FuzzTarget
{
    private static readonly byte[] Localhost = Encoding.ASCII.GetBytes("localhost");
    private static readonly byte[] Loopback = { 127, 0, 0, 1 };
    private readonly TrustAnchorStore _anchors = FuzzPki.Instance.Anchors();
    private readonly IEcdsaP256 _ecdsa = FuzzCrypto.Instance.CreateEcdsaP256();

    public override string Name => "x509";

    public override string Description => "CertificateParser / CertificateChainVerifier: one DER certificate or a TLS certificate list, whole and in pieces";

    public override void Execute(byte[] data, int length)
    {
        if (length < 1)
        {
            return;
        }
        int mode = data[0];
        int chunk = ((mode >> 1) & 0x1F) + 1;
        byte[] dns = (mode & 0x40) != 0 ? Localhost : null;
        byte[] ip = (mode & 0x80) != 0 ? Loopback : null;
        if ((mode & 1) == 0)
        {
            Certificate(data, length, chunk, dns, ip);
        }
        else
        {
            Chain(data, length, chunk, dns, ip);
        }
    }

    private void Certificate(byte[] data, int length, int chunk, byte[] dns, byte[] ip)
    {
        var whole = new CertificateParser();
        whole.SetExpectedName(dns, 0, dns?.Length ?? 0, ip, 0, ip?.Length ?? 0);
        bool wholeOk = whole.Feed(data, 1, length - 1);
        var pieces = new CertificateParser();
        pieces.SetExpectedName(dns, 0, dns?.Length ?? 0, ip, 0, ip?.Length ?? 0);
        bool piecesOk = true;
        for (int at = 1; at < length && piecesOk; at += chunk)
        {
            piecesOk = pieces.Feed(data, at, Math.Min(chunk, length - at));
        }
        FuzzFailure.Check(wholeOk == piecesOk, "Feed verdict whole " + wholeOk + " vs in " + chunk + "-byte pieces " + piecesOk);
        FuzzFailure.Check(whole.Error == pieces.Error, "Error whole " + whole.Error + " vs pieces " + pieces.Error);
        FuzzFailure.Check(whole.IsComplete == pieces.IsComplete, "IsComplete whole vs pieces");
        FuzzFailure.Check(!whole.IsComplete || whole.Error == CertificateError.None, "complete with an error");
        if (whole.IsComplete)
        {
            SameInfo(whole.Info, pieces.Info);
        }
        // The same bytes as a trust anchor (a CA file the gateway loads).
        var store = new TrustAnchorStore(1);
        store.AddCertificate(data, 1, length - 1);
        FuzzFailure.Check(store.Count <= 1, "anchor store over capacity");
    }

    private void Chain(byte[] data, int length, int chunk, byte[] dns, byte[] ip)
    {
        var whole = new CertificateChainVerifier(_anchors, _ecdsa, 4);
        whole.Start(FuzzPki.NowSeconds, dns, 0, dns?.Length ?? 0, ip, 0, ip?.Length ?? 0);
        whole.FeedCertificateList(data, 1, length - 1);
        int wholeResult = whole.FinishCertificateList();
        var pieces = new CertificateChainVerifier(_anchors, _ecdsa, 4);
        pieces.Start(FuzzPki.NowSeconds, dns, 0, dns?.Length ?? 0, ip, 0, ip?.Length ?? 0);
        for (int at = 1; at < length; at += chunk)
        {
            if (!pieces.FeedCertificateList(data, at, Math.Min(chunk, length - at)))
            {
                break;
            }
        }
        int piecesResult = pieces.FinishCertificateList();
        FuzzFailure.Check(wholeResult == piecesResult, "chain verdict whole " + wholeResult + " vs in " + chunk + "-byte pieces " + piecesResult);
        FuzzFailure.Check(whole.CertificateCount == pieces.CertificateCount, "certificate count whole vs pieces");
        if (wholeResult == CertificateError.None)
        {
            byte[] wholeKey = new byte[65];
            byte[] piecesKey = new byte[65];
            whole.CopyEndEntityKey(wholeKey, 0);
            pieces.CopyEndEntityKey(piecesKey, 0);
            FuzzFailure.Check(wholeKey[0] == 0x04 && whole.CertificateCount >= 1, "an accepted chain has an end-entity key");
            FuzzFailure.Check(wholeKey.AsSpan().SequenceEqual(piecesKey), "end-entity key differs between the whole and the piecewise parse");
        }
    }

    private static void SameInfo(CertificateInfo a, CertificateInfo b)
    {
        FuzzFailure.Check(a.TbsHash.AsSpan().SequenceEqual(b.TbsHash) && a.IssuerHash.AsSpan().SequenceEqual(b.IssuerHash)
            && a.SubjectHash.AsSpan().SequenceEqual(b.SubjectHash) && a.PublicKey.AsSpan().SequenceEqual(b.PublicKey)
            && a.Signature.AsSpan().SequenceEqual(b.Signature) && a.HasP256Key == b.HasP256Key && a.HasSignature == b.HasSignature
            && a.NotBefore == b.NotBefore && a.NotAfter == b.NotAfter && a.IsCa == b.IsCa && a.PathLength == b.PathLength
            && a.HasKeyUsage == b.HasKeyUsage && a.KeyUsage == b.KeyUsage && a.DnsNameCount == b.DnsNameCount
            && a.IpAddressCount == b.IpAddressCount && a.NameMatched == b.NameMatched,
            "CertificateInfo differs between the whole and the piecewise parse");
    }
}
