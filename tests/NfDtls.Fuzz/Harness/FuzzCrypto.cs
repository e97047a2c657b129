using NfDtls.Crypto;
using NfDtls.Desktop.Crypto;

namespace NfDtls.Fuzz.Harness;

/// <summary>
/// Fast and deterministic crypto for the engines under fuzz: hashes, HMAC and AES-CCM from the platform; ECDH keys
/// drawn from the engine's seeded DRBG (imported into the platform's ECDH); ECDSA signatures from the portable RFC 6979
/// signer (the platform's are randomised, and a handshake replays only if every byte the engine sends is the same).
/// </summary>
public sealed class FuzzCrypto : ICryptoProvider
{
    public static readonly FuzzCrypto Instance = new();

    public string Name => "fuzz";

    public ISha256 CreateSha256() => DesktopCryptoProvider.Instance.CreateSha256();

    public IHmacSha256 CreateHmacSha256() => DesktopCryptoProvider.Instance.CreateHmacSha256();

    public IAesCcm CreateAesCcm(int tagLength) => DesktopCryptoProvider.Instance.CreateAesCcm(tagLength);

    public IEcdhP256 CreateEcdhP256() => new SeededEcdh();

    public IEcdsaP256 CreateEcdsaP256() => new DeterministicEcdsa();

    private sealed class SeededEcdh : IEcdhP256
    {
        private readonly IEcdhP256 _platform = DesktopCryptoProvider.Instance.CreateEcdhP256();
        private readonly byte[] _scalar = new byte[32];

        public bool GenerateKeyPair(IRandom random)
        {
            for (int i = 0; i < 16; i++)
            {
                random.GetBytes(_scalar, 0, 32);
                if (_platform.ImportPrivateKey(_scalar, 0))
                {
                    return true;
                }
            }
            return false;
        }

        public bool ImportPrivateKey(byte[] scalar, int offset) => _platform.ImportPrivateKey(scalar, offset);

        public bool ExportPublicKey(byte[] output, int offset) => _platform.ExportPublicKey(output, offset);

        public bool DeriveSharedSecret(byte[] peerPublicKey, int offset, int count, byte[] output, int outputOffset) =>
            _platform.DeriveSharedSecret(peerPublicKey, offset, count, output, outputOffset);

        public void Clear() => _platform.Clear();
    }

    private sealed class DeterministicEcdsa : IEcdsaP256
    {
        private readonly IEcdsaP256 _portable = PortableCryptoProvider.Instance.CreateEcdsaP256();
        private readonly IEcdsaP256 _platform = DesktopCryptoProvider.Instance.CreateEcdsaP256();

        public bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset) =>
            _platform.DerivePublicKey(privateKey, privateKeyOffset, publicKey, publicKeyOffset);

        public bool Sign(byte[] privateKey, int privateKeyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset) =>
            _portable.Sign(privateKey, privateKeyOffset, hash, hashOffset, signature, signatureOffset);

        public bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset) =>
            _platform.Verify(publicKey, publicKeyOffset, publicKeyLength, hash, hashOffset, signature, signatureOffset);
    }
}
