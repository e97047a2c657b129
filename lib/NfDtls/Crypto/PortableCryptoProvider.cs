namespace NfDtls.Crypto
{
    /// <summary>The portable managed crypto: what the boards run, and the reference the desktop provider is checked against.</summary>
    public sealed class PortableCryptoProvider : ICryptoProvider
    {
        public static readonly PortableCryptoProvider Instance = new PortableCryptoProvider();

        public string Name { get { return "portable"; } }

        public ISha256 CreateSha256()
        {
            throw new System.NotImplementedException("new Sha256(): not yet written");
        }

        public IHmacSha256 CreateHmacSha256()
        {
            throw new System.NotImplementedException("new HmacSha256(): not yet written");
        }

        public IAesCcm CreateAesCcm(int tagLength)
        {
            throw new System.NotImplementedException("new Aes128Ccm(tagLength): not yet written");
        }

        public IEcdhP256 CreateEcdhP256()
        {
            throw new System.NotImplementedException("new P256Ecdh(): not yet written");
        }

        public IEcdsaP256 CreateEcdsaP256()
        {
            throw new System.NotImplementedException("new P256Ecdsa(): not yet written");
        }
    }
}
