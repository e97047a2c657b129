using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

public class TlsPrfTests
{
    // The widely published TLS 1.2 PRF (P_SHA256) vector: IETF TLS list msg03416, confirmed by the OASIS PKCS#11 TC.
    private const string Secret = "9bbe436ba940f017b17652849a71db35";
    private const string Seed = "a0ba9f936cda311827a6f796ffd5198c";
    private const string Expected =
        "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a" +
        "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab" +
        "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701" +
        "87347b66";

    [Fact]
    public void PublishedVector()
    {
        byte[] secret = Hex.Parse(Secret);
        byte[] seed = Hex.Parse(Seed);
        byte[] label = Hex.Ascii("test label");
        foreach (var prf in new[] { new TlsPrf(), new TlsPrf(DesktopCryptoProvider.Instance.CreateHmacSha256()) })
        {
            byte[] output = new byte[104];
            prf.Derive(secret, 0, secret.Length, label, 0, label.Length, seed, 0, seed.Length, output, 2, 100);
            Assert.Equal(Expected, Hex.Of(output, 2, 100));
            Assert.Equal(0, output[0] | output[1] | output[102] | output[103]);
        }
    }

    [Fact]
    public void SeedInTwoPartsEqualsTheConcatenation()
    {
        byte[] secret = Hex.Parse(Secret);
        byte[] seed = Hex.Parse(Seed);
        byte[] label = Hex.Ascii("test label");
        var prf = new TlsPrf();
        for (int split = 0; split <= seed.Length; split++)
        {
            // Seed halves in different arrays at odd offsets, as client_random/server_random sit in handshake buffers.
            byte[] a = new byte[split + 5];
            byte[] b = new byte[seed.Length - split + 7];
            Array.Copy(seed, 0, a, 5, split);
            Array.Copy(seed, split, b, 7, seed.Length - split);
            byte[] output = new byte[100];
            prf.Derive(secret, 0, secret.Length, label, 0, label.Length, a, 5, split, b, 7, seed.Length - split, output, 0, 100);
            Assert.Equal(Expected, Hex.Of(output));
        }
    }

    [Fact]
    public void ShortOutputsArePrefixes()
    {
        byte[] secret = Hex.Parse(Secret);
        byte[] seed = Hex.Parse(Seed);
        byte[] label = Hex.Ascii("test label");
        var prf = new TlsPrf();
        foreach (int n in new[] { 0, 1, 12, 31, 32, 33, 48, 64, 65, 99 })
        {
            byte[] output = new byte[n];
            prf.Derive(secret, 0, secret.Length, label, 0, label.Length, seed, 0, seed.Length, output, 0, n);
            Assert.Equal(Expected.Substring(0, 2 * n), Hex.Of(output));
        }
    }

    [Fact]
    public void OutputMayOverwriteTheSecret()
    {
        // Deriving the master secret over the pre-master secret's own buffer.
        byte[] buffer = Hex.Parse(Secret + new string('0', 200 - Secret.Length));
        byte[] seed = Hex.Parse(Seed);
        byte[] label = Hex.Ascii("test label");
        new TlsPrf().Derive(buffer, 0, 16, label, 0, label.Length, seed, 0, seed.Length, buffer, 0, 100);
        Assert.Equal(Expected, Hex.Of(buffer));
    }

    [Fact]
    public void LabelsAreTheRfcAscii()
    {
        Assert.Equal("master secret", System.Text.Encoding.ASCII.GetString(TlsLabels.MasterSecret));
        Assert.Equal("extended master secret", System.Text.Encoding.ASCII.GetString(TlsLabels.ExtendedMasterSecret));
        Assert.Equal("key expansion", System.Text.Encoding.ASCII.GetString(TlsLabels.KeyExpansion));
        Assert.Equal("client finished", System.Text.Encoding.ASCII.GetString(TlsLabels.ClientFinished));
        Assert.Equal("server finished", System.Text.Encoding.ASCII.GetString(TlsLabels.ServerFinished));
    }
}
