using System.Security.Cryptography;
using System.Text.Json;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace NfDtls.Tests.Crypto.P256;

/// <summary>
/// Project Wycheproof P-256 vectors from ../shared/test-vectors/wycheproof: ECDH with raw points and with
/// SubjectPublicKeyInfo, ECDSA/SHA-256 with DER and with r || s signatures. Every valid case passes, every invalid one
/// is refused, acceptable ones may go either way (counted), nothing throws; the counts are asserted.
/// </summary>
public class P256WycheproofTests
{
    private readonly ITestOutputHelper _output;

    public P256WycheproofTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Providers => new() { "portable", "desktop" };

    private static ICryptoProvider Provider(string name) =>
        name == "portable" ? PortableCryptoProvider.Instance : DesktopCryptoProvider.Instance;

    private sealed class Tally
    {
        public int Valid;
        public int Invalid;
        public int Acceptable;
        public int AcceptableAccepted;
        public readonly List<string> Failures = new();

        public int Total => Valid + Invalid + Acceptable;

        public override string ToString() =>
            $"valid {Valid}, invalid {Invalid}, acceptable {Acceptable} (accepted {AcceptableAccepted}), failures {Failures.Count}";

        public void Record(int id, string result, bool accepted, bool matched)
        {
            switch (result)
            {
                case "valid":
                    Valid++;
                    if (!accepted || !matched)
                    {
                        Failures.Add(id + ": valid case refused or wrong result");
                    }
                    break;
                case "invalid":
                    Invalid++;
                    if (accepted)
                    {
                        Failures.Add(id + ": invalid case accepted");
                    }
                    break;
                default:
                    Acceptable++;
                    if (accepted)
                    {
                        AcceptableAccepted++;
                        if (!matched)
                        {
                            Failures.Add(id + ": acceptable case accepted with a wrong result");
                        }
                    }
                    break;
            }
        }
    }

    private static JsonDocument Load(string file)
    {
        string path = RepoPaths.Wycheproof(file);
        Assert.True(File.Exists(path), "missing Wycheproof file " + path);
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    // Wycheproof writes private keys as positive ASN.1 integers: strip or pad to 32 bytes.
    private static byte[] Scalar32(string hex)
    {
        byte[] v = Hex.Parse(hex);
        byte[] r = new byte[32];
        int skip = 0;
        while (v.Length - skip > 32 && v[skip] == 0)
        {
            skip++;
        }
        Assert.True(v.Length - skip <= 32);
        Array.Copy(v, skip, r, 32 - (v.Length - skip), v.Length - skip);
        return r;
    }

    [Theory]
    [InlineData("portable", "ecdh_secp256r1_ecpoint_test.json", 330, 24, 1)]
    [InlineData("desktop", "ecdh_secp256r1_ecpoint_test.json", 330, 24, 1)]
    [InlineData("portable", "ecdh_secp256r1_test.json", 330, 52, 230)]
    [InlineData("desktop", "ecdh_secp256r1_test.json", 330, 52, 230)]
    public void Ecdh(string providerName, string file, int valid, int invalid, int acceptable)
    {
        using JsonDocument doc = Load(file);
        bool spki = file == "ecdh_secp256r1_test.json";
        IEcdhP256 ecdh = Provider(providerName).CreateEcdhP256();
        var tally = new Tally();
        byte[] shared = new byte[32];
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int id = test.GetProperty("tcId").GetInt32();
                string result = test.GetProperty("result").GetString()!;
                byte[] pub = Hex.Parse(test.GetProperty("public").GetString()!);
                byte[] expected = Hex.Parse(test.GetProperty("shared").GetString()!);
                try
                {
                    int pointOffset = 0;
                    int pointLength = pub.Length;
                    bool accepted;
                    if (spki)
                    {
                        accepted = P256Spki.TryFindPoint(pub, 0, pub.Length, out pointOffset);
                        pointLength = 65;
                    }
                    else
                    {
                        accepted = true;
                    }
                    Array.Clear(shared);
                    accepted = accepted
                               && ecdh.ImportPrivateKey(Scalar32(test.GetProperty("private").GetString()!), 0)
                               && ecdh.DeriveSharedSecret(pub, pointOffset, pointLength, shared, 0);
                    tally.Record(id, result, accepted, expected.Length == 32 && shared.AsSpan().SequenceEqual(expected));
                }
                catch (Exception e)
                {
                    tally.Failures.Add(id + ": threw " + e.GetType().Name + ": " + e.Message);
                }
            }
        }
        _output.WriteLine("Wycheproof " + file + " [" + providerName + "]: " + tally);
        Assert.Empty(tally.Failures);
        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), tally.Total);
        Assert.Equal(valid, tally.Valid);
        Assert.Equal(invalid, tally.Invalid);
        Assert.Equal(acceptable, tally.Acceptable);
    }

    [Theory]
    [InlineData("portable", "ecdsa_secp256r1_sha256_test.json", 174, 310)]
    [InlineData("desktop", "ecdsa_secp256r1_sha256_test.json", 174, 310)]
    [InlineData("portable", "ecdsa_secp256r1_sha256_p1363_test.json", 173, 89)]
    [InlineData("desktop", "ecdsa_secp256r1_sha256_p1363_test.json", 173, 89)]
    public void Ecdsa(string providerName, string file, int valid, int invalid)
    {
        using JsonDocument doc = Load(file);
        bool der = file == "ecdsa_secp256r1_sha256_test.json";
        IEcdsaP256 ecdsa = Provider(providerName).CreateEcdsaP256();
        var tally = new Tally();
        byte[] rs = new byte[64];
        foreach (JsonElement group in doc.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            // The group's key as SPKI DER goes through our SPKI parser too.
            byte[] keyDer = Hex.Parse(group.GetProperty("publicKeyDer").GetString()!);
            Assert.True(P256Spki.TryFindPoint(keyDer, 0, keyDer.Length, out int pointOffset));
            byte[] uncompressed = Hex.Parse(group.GetProperty("publicKey").GetProperty("uncompressed").GetString()!);
            Assert.Equal(Hex.Of(uncompressed), Hex.Of(keyDer, pointOffset, 65));
            foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
            {
                int id = test.GetProperty("tcId").GetInt32();
                string result = test.GetProperty("result").GetString()!;
                byte[] msg = Hex.Parse(test.GetProperty("msg").GetString()!);
                byte[] sig = Hex.Parse(test.GetProperty("sig").GetString()!);
                byte[] hash = SHA256.HashData(msg);
                try
                {
                    bool decoded;
                    if (der)
                    {
                        decoded = EcdsaDer.Decode(sig, 0, sig.Length, rs, 0);
                        if (decoded)
                        {
                            // what decodes re-encodes to the very same bytes (DER is unique)
                            byte[] again = new byte[EcdsaDer.MaxLength];
                            int length = EcdsaDer.Encode(rs, 0, again, 0);
                            if (!again.AsSpan(0, length).SequenceEqual(sig))
                            {
                                tally.Failures.Add(id + ": DER decode/encode not an identity");
                            }
                        }
                    }
                    else
                    {
                        decoded = sig.Length == 64;
                        if (decoded)
                        {
                            Array.Copy(sig, rs, 64);
                        }
                    }
                    bool accepted = decoded && ecdsa.Verify(keyDer, pointOffset, 65, hash, 0, rs, 0);
                    tally.Record(id, result, accepted, true);
                }
                catch (Exception e)
                {
                    tally.Failures.Add(id + ": threw " + e.GetType().Name + ": " + e.Message);
                }
            }
        }
        _output.WriteLine("Wycheproof " + file + " [" + providerName + "]: " + tally);
        Assert.Empty(tally.Failures);
        Assert.Equal(doc.RootElement.GetProperty("numberOfTests").GetInt32(), tally.Total);
        Assert.Equal(valid, tally.Valid);
        Assert.Equal(invalid, tally.Invalid);
        Assert.Equal(0, tally.Acceptable);
    }
}
