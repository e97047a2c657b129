using System.Text.Json;
using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Crypto;

/// <summary>
/// Project Wycheproof vectors read at run time from ../shared/test-vectors/wycheproof. Every "valid" case must pass,
/// every "invalid" case must be refused, "acceptable" may go either way, and nothing may throw.
/// </summary>
public class WycheproofTests
{
    private readonly ITestOutputHelper _output;

    public WycheproofTests(ITestOutputHelper output) => _output = output;

    private sealed class Tally
    {
        public int Valid;
        public int Invalid;
        public int Acceptable;
        public int Skipped;
        public readonly List<string> Failures = new();

        public override string ToString() =>
            $"valid {Valid}, invalid {Invalid}, acceptable {Acceptable}, skipped {Skipped}, failures {Failures.Count}";
    }

    private static JsonDocument Load(string file)
    {
        string path = RepoPaths.Wycheproof(file);
        Assert.True(File.Exists(path), "missing Wycheproof file " + path);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    public static TheoryData<string> Providers => new() { "portable", "desktop" };

    private static ICryptoProvider Provider(string name) =>
        name == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;

    // In scope: AES-128 with 64- and 128-bit tags (the CCM_8 and CCM suites). Everything else is counted as skipped.
    [Theory]
    [MemberData(nameof(Providers))]
    public void AesCcm(string providerName)
    {
        using JsonDocument doc = Load("aes_ccm_test.json");
        var tally = new Tally();
        ICryptoProvider provider = Provider(providerName);
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            int keySize = group.GetProperty("keySize").GetInt32();
            int tagSize = group.GetProperty("tagSize").GetInt32();
            JsonElement tests = group.GetProperty("tests");
            if (keySize != 128 || (tagSize != 64 && tagSize != 128))
            {
                tally.Skipped += tests.GetArrayLength();
                continue;
            }
            IAesCcm ccm = provider.CreateAesCcm(tagSize / 8);
            foreach (JsonElement test in tests.EnumerateArray())
            {
                RunCcmCase(ccm, test, tally);
            }
        }

        _output.WriteLine("Wycheproof aes_ccm_test.json [" + providerName + "]: " + tally);
        Assert.Empty(tally.Failures);
        Assert.Equal(552, tally.Valid + tally.Invalid + tally.Acceptable + tally.Skipped);
        Assert.Equal(95, tally.Valid);
        Assert.Equal(27, tally.Invalid);
        Assert.Equal(430, tally.Skipped);
    }

    // Not in the brief's scope, portable only: the other CCM tag lengths (M = 4..14) the portable class also
    // implements, and the invalid tag sizes, which its constructor must refuse. Reported separately.
    [Fact]
    public void AesCcmOtherTagSizesPortable()
    {
        using JsonDocument doc = Load("aes_ccm_test.json");
        var tally = new Tally();
        int refusedTagSizes = 0;
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            int keySize = group.GetProperty("keySize").GetInt32();
            int tagSize = group.GetProperty("tagSize").GetInt32();
            JsonElement tests = group.GetProperty("tests");
            if (keySize != 128 || tagSize == 64 || tagSize == 128)
            {
                tally.Skipped += tests.GetArrayLength();
                continue;
            }
            int m = tagSize / 8;
            bool validM = tagSize % 8 == 0 && m >= 4 && m <= 16 && m % 2 == 0;
            if (!validM)
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => new Aes128Ccm(m));
                foreach (JsonElement test in tests.EnumerateArray())
                {
                    Assert.Equal("invalid", test.GetProperty("result").GetString());
                    refusedTagSizes++;
                }
                continue;
            }
            var ccm = new Aes128Ccm(m);
            foreach (JsonElement test in tests.EnumerateArray())
            {
                RunCcmCase(ccm, test, tally);
            }
        }
        _output.WriteLine("Wycheproof aes_ccm_test.json, AES-128 other tag sizes [portable]: " + tally
                          + ", refused tag sizes " + refusedTagSizes);
        Assert.Empty(tally.Failures);
        Assert.True(tally.Valid > 0 && tally.Invalid > 0 && refusedTagSizes > 0);
    }

    private static void RunCcmCase(IAesCcm ccm, JsonElement test, Tally tally)
    {
        int id = test.GetProperty("tcId").GetInt32();
        string result = test.GetProperty("result").GetString()!;
        byte[] key = Hex.Parse(test.GetProperty("key").GetString()!);
        byte[] iv = Hex.Parse(test.GetProperty("iv").GetString()!);
        byte[] aad = Hex.Parse(test.GetProperty("aad").GetString()!);
        byte[] msg = Hex.Parse(test.GetProperty("msg").GetString()!);
        byte[] ct = Hex.Parse(test.GetProperty("ct").GetString()!);
        byte[] tag = Hex.Parse(test.GetProperty("tag").GetString()!);
        byte[] sealedExpected = ct.Concat(tag).ToArray();
        try
        {
            ccm.SetKey(key, 0);
            byte[] opened = new byte[Math.Max(0, sealedExpected.Length - ccm.TagLength)];
            Array.Fill(opened, (byte)0xA5);
            bool openOk = ccm.Open(iv, 0, iv.Length, aad, 0, aad.Length, sealedExpected, 0, sealedExpected.Length, opened, 0);

            byte[] sealedBuf = new byte[msg.Length + ccm.TagLength];
            bool sealOk = ccm.Seal(iv, 0, iv.Length, aad, 0, aad.Length, msg, 0, msg.Length, sealedBuf, 0);

            switch (result)
            {
                case "valid":
                    tally.Valid++;
                    if (!openOk || !opened.SequenceEqual(msg))
                    {
                        tally.Failures.Add(id + ": valid case did not open to msg");
                    }
                    if (!sealOk || !sealedBuf.SequenceEqual(sealedExpected))
                    {
                        tally.Failures.Add(id + ": valid case did not seal to ct||tag");
                    }
                    break;
                case "invalid":
                    tally.Invalid++;
                    if (openOk)
                    {
                        tally.Failures.Add(id + ": invalid case opened");
                    }
                    if (opened.Any(b => b != 0))
                    {
                        tally.Failures.Add(id + ": refused open left plaintext in the output");
                    }
                    if (sealOk && (iv.Length < 7 || iv.Length > 13))
                    {
                        tally.Failures.Add(id + ": sealed with an invalid nonce length " + iv.Length);
                    }
                    break;
                default:
                    tally.Acceptable++;
                    break;
            }
        }
        catch (Exception e)
        {
            tally.Failures.Add(id + ": threw " + e.GetType().Name + ": " + e.Message);
        }
    }

    // HMAC-SHA256, all groups: full 256-bit tags and tags truncated to 128 bits (the MAC's prefix is compared).
    [Theory]
    [MemberData(nameof(Providers))]
    public void HmacSha256(string providerName)
    {
        using JsonDocument doc = Load("hmac_sha256_test.json");
        var tally = new Tally();
        IHmacSha256 hmac = Provider(providerName).CreateHmacSha256();
        byte[] mac = new byte[32];
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            int tagBytes = group.GetProperty("tagSize").GetInt32() / 8;
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int id = test.GetProperty("tcId").GetInt32();
                string result = test.GetProperty("result").GetString()!;
                byte[] key = Hex.Parse(test.GetProperty("key").GetString()!);
                byte[] msg = Hex.Parse(test.GetProperty("msg").GetString()!);
                byte[] tag = Hex.Parse(test.GetProperty("tag").GetString()!);
                try
                {
                    hmac.SetKey(key, 0, key.Length);
                    hmac.Update(msg, 0, msg.Length);
                    hmac.Finish(mac, 0);
                    bool match = tag.Length == tagBytes && tagBytes <= 32 && ConstantTime.Equals(mac, 0, tag, 0, tagBytes);
                    if (result == "valid")
                    {
                        tally.Valid++;
                        if (!match)
                        {
                            tally.Failures.Add(id + ": valid tag not reproduced");
                        }
                    }
                    else if (result == "invalid")
                    {
                        tally.Invalid++;
                        if (match)
                        {
                            tally.Failures.Add(id + ": invalid tag accepted");
                        }
                    }
                    else
                    {
                        tally.Acceptable++;
                    }
                }
                catch (Exception e)
                {
                    tally.Failures.Add(id + ": threw " + e.GetType().Name + ": " + e.Message);
                }
            }
        }

        _output.WriteLine("Wycheproof hmac_sha256_test.json [" + providerName + "]: " + tally);
        Assert.Empty(tally.Failures);
        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), tally.Valid + tally.Invalid + tally.Acceptable);
        Assert.Equal(66, tally.Valid);
        Assert.Equal(108, tally.Invalid);
    }
}
