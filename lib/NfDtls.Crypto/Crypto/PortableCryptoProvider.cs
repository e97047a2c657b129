namespace NfDtls.Crypto
{
    /// <summary>The portable managed crypto: what the boards run, and the reference the desktop provider is checked against.</summary>
    public sealed class PortableCryptoProvider : ICryptoProvider
    {
        public static readonly PortableCryptoProvider Instance = new PortableCryptoProvider();

        public string Name { get { return "portable"; } }

        public ISha256 CreateSha256()
        {
            return new Sha256();
        }

        public IHmacSha256 CreateHmacSha256()
        {
            return new HmacSha256();
        }

        public IAesCcm CreateAesCcm(int tagLength)
        {
            return new Aes128Ccm(tagLength);
        }

        public IEcdhP256 CreateEcdhP256()
        {
            return new P256.P256Ecdh();
        }

        public IEcdsaP256 CreateEcdsaP256()
        {
            return new P256.P256Engine(); // ECDSA that also does ECDH on the same curve workspace
        }
    }
}
