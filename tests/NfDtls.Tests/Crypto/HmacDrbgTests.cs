using NfDtls.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

public class HmacDrbgTests
{
    /// <summary>Hands out fixed bytes in order, as a CAVP test harness feeds EntropyInput || Nonce (then reseeds).</summary>
    private sealed class ScriptedEntropy : IEntropySource
    {
        private readonly byte[] _bytes;
        private int _position;

        public ScriptedEntropy(byte[] bytes) => _bytes = bytes;

        public int Requested { get; private set; }

        public void GetEntropy(byte[] buffer, int offset, int count)
        {
            Requested += count;
            Assert.True(_position + count <= _bytes.Length, "DRBG asked for more entropy than scripted");
            Array.Copy(_bytes, _position, buffer, offset, count);
            _position += count;
        }
    }

    // NIST CAVP drbgtestvectors.zip, drbgvectors_no_reseed/HMAC_DRBG.rsp, [SHA-256], PredictionResistance = False,
    // EntropyInputLen = 256, NonceLen = 128, ReturnedBitsLen = 1024. Procedure: instantiate, generate 128 bytes
    // (discarded), generate 128 bytes = ReturnedBits, with the two AdditionalInput values given to the two generates.
    public static TheoryData<string, string, string, string, string, string, string> Cavp => new()
    {
        { "PersonalizationStringLen = 0, AdditionalInputLen = 0, COUNT = 0",
          "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488", "659ba96c601dc69fc902940805ec0ca8", "", "", "",
          "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8" },
        { "PersonalizationStringLen = 0, AdditionalInputLen = 0, COUNT = 1",
          "79737479ba4e7642a221fcfd1b820b134e9e3540a35bb48ffae29c20f5418ea3", "3593259c092bef4129bc2c6c9e19f343", "", "", "",
          "cf5ad5984f9e43917aa9087380dac46e410ddc8a7731859c84e9d0f31bd43655b924159413e2293b17610f211e09f770f172b8fb693a35b85d3b9e5e63b1dc252ac0e115002e9bedfb4b5b6fd43f33b8e0eafb2d072e1a6fee1f159df9b51e6c8da737e60d5032dd30544ec51558c6f080bdbdab1de8a939e961e06b5f1aca37" },
        { "PersonalizationStringLen = 0, AdditionalInputLen = 256, COUNT = 0",
          "d3cc4d1acf3dde0c4bd2290d262337042dc632948223d3a2eaab87da44295fbd", "0109b0e729f457328aa18569a9224921", "",
          "3c311848183c9a212a26f27f8c6647e40375e466a0857cc39c4e47575d53f1f6",
          "fcb9abd19ccfbccef88c9c39bfb3dd7b1c12266c9808992e305bc3cff566e4e4",
          "9c7b758b212cd0fcecd5daa489821712e3cdea4467b560ef5ddc24ab47749a1f1ffdbbb118f4e62fcfca3371b8fbfc5b0646b83e06bfbbab5fac30ea09ea2bc76f1ea568c9be0444b2cc90517b20ca825f2d0eccd88e7175538b85d90ab390183ca6395535d34473af6b5a5b88f5a59ee7561573337ea819da0dcc3573a22974" },
        { "PersonalizationStringLen = 256, AdditionalInputLen = 0, COUNT = 0",
          "5cacc68165a2e2ee20812f35ec73a79dbf30fd475476ac0c44fc6174cdac2b55", "6f885496c1e63af620becd9e71ecb824",
          "e72dd8590d4ed5295515c35ed6199e9d211b8f069b3058caa6670b96ef1208d0", "", "",
          "f1012cf543f94533df27fedfbf58e5b79a3dc517a9c402bdbfc9a0c0f721f9d53faf4aafdc4b8f7a1b580fcaa52338d4bd95f58966a243cdcd3f446ed4bc546d9f607b190dd69954450d16cd0e2d6437067d8b44d19a6af7a7cfa8794e5fbd728e8fb2f2e8db5dd4ff1aa275f35886098e80ff844886060da8b1e7137846b23b" },
    };

    [Theory]
    [MemberData(nameof(Cavp))]
    public void CavpNoReseedVectors(string name, string entropy, string nonce, string personalization,
                                    string additional1, string additional2, string returnedBits)
    {
        _ = name;
        var source = new ScriptedEntropy(Hex.Parse(entropy + nonce));
        byte[] pers = Hex.Parse(personalization);
        var drbg = pers.Length == 0 ? new HmacDrbg(source) : new HmacDrbg(source, pers, 0, pers.Length);
        Assert.Equal(48, source.Requested);

        byte[] a1 = Hex.Parse(additional1);
        byte[] a2 = Hex.Parse(additional2);
        byte[] output = new byte[128];
        drbg.Generate(output, 0, 128, a1, 0, a1.Length);
        drbg.Generate(output, 0, 128, a2, 0, a2.Length);
        Assert.Equal(returnedBits, Hex.Of(output));
    }

    [Fact]
    public void GetBytesIsGenerateWithoutAdditionalInput()
    {
        byte[] seed = Hex.Parse("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488659ba96c601dc69fc902940805ec0ca8");
        IRandom drbg = new HmacDrbg(new ScriptedEntropy(seed));
        byte[] output = new byte[130];
        drbg.GetBytes(output, 1, 128);
        drbg.GetBytes(output, 1, 128);
        Assert.StartsWith("e528e9abf2dece54", Hex.Of(output, 1, 128));
        Assert.Equal(0, output[0] | output[129]);
    }

    [Fact]
    public void ReseedDrawsFreshEntropyAndChangesTheStream()
    {
        byte[] seed = new byte[48 + 32];
        new Random(7).NextBytes(seed);
        var a = new HmacDrbg(new ScriptedEntropy(seed));
        var b = new HmacDrbg(new ScriptedEntropy(seed));
        byte[] x = new byte[32];
        byte[] y = new byte[32];
        a.GetBytes(x, 0, 32);
        b.GetBytes(y, 0, 32);
        Assert.Equal(x, y); // deterministic from the same seed

        b.Reseed(null, 0, 0);
        a.GetBytes(x, 0, 32);
        b.GetBytes(y, 0, 32);
        Assert.NotEqual(x, y);
    }
}
