using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Pki;
using NfDtls.Tests.Crypto;
using Xunit;

namespace NfDtls.Tests.Pki;

/// <summary>The streaming certificate parser and chain validation on chains the test makes itself.</summary>
public class CertificateChainTests
{
    private static readonly X509Certificate2 Root = TestPki.Make("Test Root", TestPki.CaOptions(), null);
    private static readonly X509Certificate2 Intermediate = TestPki.Make("Test Intermediate", TestPki.CaOptions(), Root);
    private static readonly X509Certificate2 Leaf = TestPki.Make("device", TestPki.LeafOptions(), Intermediate);
    private static readonly X509Certificate2 OtherRoot = TestPki.Make("Other Root", TestPki.CaOptions(), null);

    private static TrustAnchorStore Anchors(params X509Certificate2[] roots)
    {
        var store = new TrustAnchorStore(4);
        foreach (X509Certificate2 r in roots)
        {
            Assert.Equal(CertificateError.None, store.AddCertificate(r.RawData, 0, r.RawData.Length));
        }
        return store;
    }

    private static int Verify(TrustAnchorStore anchors, byte[] list, string? dns = "device.example", long? now = null,
                              int maxChain = 4, int chunk = 0, CertificateChainVerifier? verifier = null)
    {
        verifier ??= new CertificateChainVerifier(anchors, PortableCryptoProvider.Instance.CreateEcdsaP256(), maxChain);
        byte[]? name = dns == null ? null : Hex.Ascii(dns);
        verifier.Start(now ?? TestPki.NowSeconds, name, 0, name?.Length ?? 0, null, 0, 0);
        if (chunk <= 0)
        {
            verifier.FeedCertificateList(list, 0, list.Length);
        }
        else
        {
            // pieces of varying size, as fragments arrive
            var rng = new Random(chunk);
            for (int o = 0; o < list.Length;)
            {
                int n = Math.Min(list.Length - o, rng.Next(1, chunk + 1));
                verifier.FeedCertificateList(list, o, n);
                o += n;
            }
        }
        return verifier.FinishCertificateList();
    }

    [Fact]
    public void ValidChainToTheRoot()
    {
        TrustAnchorStore anchors = Anchors(Root);
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        var verifier = new CertificateChainVerifier(anchors, PortableCryptoProvider.Instance.CreateEcdsaP256(), 4);
        Assert.Equal(CertificateError.None, Verify(anchors, list, verifier: verifier));
        Assert.Equal(2, verifier.CertificateCount);

        // the end-entity key the verifier keeps, and the facts the parser keeps of the leaf, agree with .NET's own parse
        byte[] eeKey = new byte[65];
        verifier.CopyEndEntityKey(eeKey, 0);
        byte[] spki = Leaf.PublicKey.ExportSubjectPublicKeyInfo();
        Assert.True(P256Spki.TryFindPoint(spki, 0, spki.Length, out int point));
        Assert.Equal(Hex.Of(spki, point, 65), Hex.Of(eeKey));
        var leafParser = new CertificateParser();
        byte[] dnsName = Hex.Ascii("device.example");
        leafParser.SetExpectedName(dnsName, 0, dnsName.Length, null, 0, 0);
        Assert.True(leafParser.Feed(Leaf.RawData, 0, Leaf.RawData.Length) && leafParser.IsComplete);
        CertificateInfo ee = leafParser.Info;
        Assert.Equal(Hex.Of(eeKey), Hex.Of(ee.PublicKey));
        Assert.Equal(Leaf.NotBefore.ToUniversalTime(), DateTime.UnixEpoch.AddSeconds(ee.NotBefore));
        Assert.Equal(Leaf.NotAfter.ToUniversalTime(), DateTime.UnixEpoch.AddSeconds(ee.NotAfter));
        Assert.Equal(Hex.Of(SHA256.HashData(Leaf.SubjectName.RawData)), Hex.Of(ee.SubjectHash));
        Assert.Equal(Hex.Of(SHA256.HashData(Intermediate.SubjectName.RawData)), Hex.Of(ee.IssuerHash));
        Assert.False(ee.IsCa);
        Assert.True(ee.NameMatched);
        Assert.Equal(1, ee.DnsNameCount);
        Assert.Equal(1, ee.IpAddressCount);

        // in small pieces, with the root sent along, by IP, upper case, no name expected
        Assert.Equal(CertificateError.None, Verify(anchors, list, chunk: 7));
        Assert.Equal(CertificateError.None, Verify(anchors, list, chunk: 1));
        Assert.Equal(CertificateError.None, Verify(anchors, TestPki.CertificateList(Leaf, Intermediate, Root)));
        Assert.Equal(CertificateError.None, Verify(anchors, list, dns: "DEVICE.Example"));
        Assert.Equal(CertificateError.None, Verify(anchors, list, dns: null));
        var byIp = new CertificateChainVerifier(anchors, PortableCryptoProvider.Instance.CreateEcdsaP256(), 4);
        byIp.Start(TestPki.NowSeconds, null, 0, 0, IPAddress.Parse("192.0.2.7").GetAddressBytes(), 0, 4);
        byIp.FeedCertificateList(list, 0, list.Length);
        Assert.Equal(CertificateError.None, byIp.FinishCertificateList());
        // the intermediate as the anchor also works
        Assert.Equal(CertificateError.None, Verify(Anchors(Intermediate), TestPki.CertificateList(Leaf)));
    }

    [Fact]
    public void WildcardNameMatchesOneLabel()
    {
        X509Certificate2 wild = TestPki.Make("wild", TestPki.LeafOptions(dns: "*.example.net"), Intermediate);
        byte[] list = TestPki.CertificateList(wild, Intermediate);
        TrustAnchorStore anchors = Anchors(Root);
        Assert.Equal(CertificateError.None, Verify(anchors, list, dns: "a.example.net"));
        Assert.Equal(CertificateError.NameMismatch, Verify(anchors, list, dns: "a.b.example.net"));
        Assert.Equal(CertificateError.NameMismatch, Verify(anchors, list, dns: "example.net"));
    }

    [Fact]
    public void UntrustedCaIsRefused()
    {
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        int error = Verify(Anchors(OtherRoot), list);
        Assert.Equal(CertificateError.UnknownCa, error);
        Assert.Equal(48, CertificateError.ToAlert(error));
        // a look-alike root: same name, other key
        X509Certificate2 impostor = TestPki.Make("Test Root", TestPki.CaOptions(), null);
        Assert.Equal(CertificateError.UnknownCa, Verify(Anchors(impostor), list));
        // no anchors at all
        Assert.Equal(CertificateError.UnknownCa, Verify(new TrustAnchorStore(1), list));
    }

    [Fact]
    public void ExpiredAndNotYetValidAreRefused()
    {
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        TrustAnchorStore anchors = Anchors(Root);
        int expired = Verify(anchors, list, now: TestPki.Now.AddDays(400).ToUnixTimeSeconds());
        Assert.Equal(CertificateError.Expired, expired);
        Assert.Equal(45, CertificateError.ToAlert(expired));
        Assert.Equal(CertificateError.NotYetValid, Verify(anchors, list, now: TestPki.Now.AddDays(-31).ToUnixTimeSeconds()));

        var o = TestPki.LeafOptions();
        o.NotBefore = TestPki.Now.AddDays(-60);
        o.NotAfter = TestPki.Now.AddDays(-1);
        X509Certificate2 old = TestPki.Make("old", o, Intermediate);
        Assert.Equal(CertificateError.Expired, Verify(anchors, TestPki.CertificateList(old, Intermediate)));
    }

    [Fact]
    public void WrongNameIsRefused()
    {
        int error = Verify(Anchors(Root), TestPki.CertificateList(Leaf, Intermediate), dns: "other.example");
        Assert.Equal(CertificateError.NameMismatch, error);
        Assert.Equal(42, CertificateError.ToAlert(error));
    }

    [Fact]
    public void IssuerWithoutKeyCertSignOrNotCaIsRefused()
    {
        TrustAnchorStore anchors = Anchors(Root);
        X509Certificate2 noSign = TestPki.Make("No Sign CA", TestPki.CaOptions(X509KeyUsageFlags.DigitalSignature), Root);
        X509Certificate2 leaf1 = TestPki.Make("device", TestPki.LeafOptions(), noSign);
        Assert.Equal(CertificateError.NoKeyCertSign, Verify(anchors, TestPki.CertificateList(leaf1, noSign)));

        var notCaOptions = TestPki.LeafOptions();
        notCaOptions.KeyUsage = null;
        X509Certificate2 notCa = TestPki.Make("Not A CA", notCaOptions, Root);
        X509Certificate2 leaf2 = TestPki.Make("device", TestPki.LeafOptions(), notCa);
        Assert.Equal(CertificateError.NotCa, Verify(anchors, TestPki.CertificateList(leaf2, notCa)));

        // pathLenConstraint 0 on the intermediate forbids another intermediate under it
        var zero = TestPki.CaOptions();
        zero.PathLength = 0;
        X509Certificate2 ca0 = TestPki.Make("CA pathlen 0", zero, Root);
        X509Certificate2 sub = TestPki.Make("Sub CA", TestPki.CaOptions(), ca0);
        X509Certificate2 leaf3 = TestPki.Make("device", TestPki.LeafOptions(), sub);
        Assert.Equal(CertificateError.NotCa, Verify(anchors, TestPki.CertificateList(leaf3, sub, ca0)));
        X509Certificate2 leaf4 = TestPki.Make("device", TestPki.LeafOptions(), ca0);
        Assert.Equal(CertificateError.None, Verify(anchors, TestPki.CertificateList(leaf4, ca0)));
    }

    [Fact]
    public void ChainLongerThanConfiguredIsRefusedAndBigCertificatesCostNoMore()
    {
        // Root -> CA1 -> CA2 -> CA3 -> leaf, limit 3
        X509Certificate2 ca1 = TestPki.Make("CA1", TestPki.CaOptions(), Root);
        X509Certificate2 ca2 = TestPki.Make("CA2", TestPki.CaOptions(), ca1);
        X509Certificate2 ca3 = TestPki.Make("CA3", TestPki.CaOptions(), ca2);
        X509Certificate2 leaf = TestPki.Make("device", TestPki.LeafOptions(), ca3);
        byte[] list = TestPki.CertificateList(leaf, ca3, ca2, ca1);
        Assert.Equal(CertificateError.TooLarge, Verify(Anchors(Root), list, maxChain: 3));
        Assert.Equal(CertificateError.None, Verify(Anchors(Root), list, maxChain: 4));

        // an 8 KB non-critical extension: streamed past, well beyond any handshake buffer, still verified
        var big = TestPki.LeafOptions();
        big.Extra.Add(new X509Extension("1.3.6.1.4.1.55555.1", new byte[] { 0x04, 0x82, 0x20, 0x00 }.Concat(new byte[8192]).ToArray(), false));
        X509Certificate2 bigLeaf = TestPki.Make("device", big, Intermediate);
        Assert.True(bigLeaf.RawData.Length > 8192);
        Assert.Equal(CertificateError.None, Verify(Anchors(Root), TestPki.CertificateList(bigLeaf, Intermediate), chunk: 600));
    }

    [Fact]
    public void TamperedSignatureOrUnknownCriticalExtensionIsRefused()
    {
        TrustAnchorStore anchors = Anchors(Root);
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        // the leaf's serial number is signed: change one byte of it (after 3+3 framing, 4+4 headers, [0] version 5, tag+len 2)
        byte[] tampered = (byte[])list.Clone();
        int serialByte = 6 + 4 + 4 + 5 + 2 + 3;
        tampered[serialByte] ^= 0x01;
        int error = Verify(anchors, tampered);
        Assert.Equal(CertificateError.BadSignature, error);

        var critical = TestPki.LeafOptions();
        critical.Extra.Add(new X509Extension("1.3.6.1.4.1.55555.2", new byte[] { 0x05, 0x00 }, true));
        X509Certificate2 leaf = TestPki.Make("device", critical, Intermediate);
        int unsupported = Verify(anchors, TestPki.CertificateList(leaf, Intermediate));
        Assert.Equal(CertificateError.UnsupportedCriticalExtension, unsupported);
        Assert.Equal(43, CertificateError.ToAlert(unsupported));
    }

    [Fact]
    public void MalformedInputIsAResultNeverAnException()
    {
        TrustAnchorStore anchors = Anchors(Root);
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        Assert.Equal(CertificateError.Malformed, Verify(anchors, list.AsSpan(0, list.Length - 1).ToArray()));
        Assert.Equal(CertificateError.Malformed, Verify(anchors, list.Concat(new byte[] { 0 }).ToArray()));
        Assert.Equal(CertificateError.Empty, Verify(anchors, new byte[] { 0, 0, 0 }));

        var rng = new Random(42);
        var verifier = new CertificateChainVerifier(anchors, PortableCryptoProvider.Instance.CreateEcdsaP256(), 4);
        int accepted = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            byte[] mutated = (byte[])list.Clone();
            int flips = rng.Next(1, 4);
            for (int f = 0; f < flips; f++)
            {
                mutated[rng.Next(mutated.Length)] = (byte)rng.Next(256);
            }
            int length = rng.Next(10) == 0 ? rng.Next(mutated.Length) : mutated.Length;
            int error = Verify(anchors, mutated.AsSpan(0, length).ToArray(), verifier: verifier, chunk: 1 + trial % 97);
            if (error == CertificateError.None)
            {
                accepted++;
            }
        }
        // a mutation can land in a skipped, unsigned part (the outer signature algorithm's padding, etc.) only rarely
        Assert.True(accepted < 150, accepted + " mutated chains accepted");
    }

    [Fact]
    public void VerifyingAChainAllocatesNothing()
    {
        TrustAnchorStore anchors = Anchors(Root);
        byte[] list = TestPki.CertificateList(Leaf, Intermediate);
        byte[] name = Hex.Ascii("device.example");
        var verifier = new CertificateChainVerifier(anchors, PortableCryptoProvider.Instance.CreateEcdsaP256(), 4);
        void Run()
        {
            verifier.Start(TestPki.NowSeconds, name, 0, name.Length, null, 0, 0);
            verifier.FeedCertificateList(list, 0, list.Length);
            Assert.True(verifier.FinishCertificateList() == CertificateError.None);
        }
        for (int i = 0; i < 40; i++)
        {
            Run(); // warm-up past JIT tiering
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            Run();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void DerTimesAgreeWithTheCalendar()
    {
        Assert.True(DerTime.TryParse(0x17, Hex.Ascii("491231235959Z"), 0, 13, out long t));
        Assert.Equal(new DateTimeOffset(2049, 12, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), t);
        Assert.True(DerTime.TryParse(0x17, Hex.Ascii("500101000000Z"), 0, 13, out t));
        Assert.Equal(new DateTimeOffset(1950, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), t);
        Assert.True(DerTime.TryParse(0x18, Hex.Ascii("20240229120000Z"), 0, 15, out t));
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), t);
        Assert.True(DerTime.TryParse(0x18, Hex.Ascii("99991231235959Z"), 0, 15, out t));
        Assert.Equal(DateTimeOffset.MaxValue.ToUnixTimeSeconds(), t);
        Assert.False(DerTime.TryParse(0x17, Hex.Ascii("4912312359Z"), 0, 11, out _));
        Assert.False(DerTime.TryParse(0x17, Hex.Ascii("491331235959Z"), 0, 13, out _));
        Assert.False(DerTime.TryParse(0x18, Hex.Ascii("20240229120000+"), 0, 15, out _));
    }

    [Fact]
    public void RawPublicKeyAllowList()
    {
        using ECDsa a = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa b = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa rsaLike = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        byte[] sa = a.ExportSubjectPublicKeyInfo();
        byte[] sb = b.ExportSubjectPublicKeyInfo();
        var list = new RpkAllowList(2);
        Assert.True(list.AddSpki(sa, 0, sa.Length));
        Assert.False(list.AddSpki(rsaLike.ExportSubjectPublicKeyInfo(), 0, rsaLike.ExportSubjectPublicKeyInfo().Length));
        Assert.True(list.ContainsSpki(sa, 0, sa.Length));
        Assert.False(list.ContainsSpki(sb, 0, sb.Length));
        Assert.True(list.AddSpki(sb, 0, sb.Length));
        Assert.True(list.ContainsSpki(sb, 0, sb.Length));
        Assert.False(list.AddSpki(sa, 0, sa.Length)); // full
    }
}
