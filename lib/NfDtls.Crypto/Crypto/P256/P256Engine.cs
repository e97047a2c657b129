namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// ECDSA and ECDH over one P-256 curve workspace (<see cref="P256Curve"/>: the window table and point scratch of a
    /// scalar multiplication), which is only in use during one operation. What the portable provider hands out for
    /// <see cref="ICryptoProvider.CreateEcdsaP256"/>: a DTLS engine's ECDHE key exchange, its signatures and its
    /// certificate chain verifiers then share one workspace instead of holding one each. Keys stay apart: the ECDH key
    /// pair lives in its own object and is cleared by its user after each exchange. Not thread-safe.
    /// </summary>
    public sealed class P256Engine : IEcdsaP256, IEcdhP256
    {
        private readonly P256Ecdsa _ecdsa;
        private readonly P256Ecdh _ecdh;

        public P256Engine()
        {
            P256Curve curve = new P256Curve();
            _ecdsa = new P256Ecdsa(curve);
            _ecdh = new P256Ecdh(curve);
        }

        public bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset)
        {
            return _ecdsa.DerivePublicKey(privateKey, privateKeyOffset, publicKey, publicKeyOffset);
        }

        public bool Sign(byte[] privateKey, int privateKeyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
        {
            return _ecdsa.Sign(privateKey, privateKeyOffset, hash, hashOffset, signature, signatureOffset);
        }

        public bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
        {
            return _ecdsa.Verify(publicKey, publicKeyOffset, publicKeyLength, hash, hashOffset, signature, signatureOffset);
        }

        public bool GenerateKeyPair(IRandom random)
        {
            return _ecdh.GenerateKeyPair(random);
        }

        public bool ImportPrivateKey(byte[] scalar, int offset)
        {
            return _ecdh.ImportPrivateKey(scalar, offset);
        }

        public bool ExportPublicKey(byte[] output, int offset)
        {
            return _ecdh.ExportPublicKey(output, offset);
        }

        public bool DeriveSharedSecret(byte[] peerPublicKey, int offset, int count, byte[] output, int outputOffset)
        {
            return _ecdh.DeriveSharedSecret(peerPublicKey, offset, count, output, outputOffset);
        }

        public void Clear()
        {
            _ecdh.Clear();
        }
    }
}
