namespace NfDtls.Crypto
{
    /// <summary>
    /// The one small crypto interface the protocol code uses. Two implementations: the portable managed one in the
    /// core (<see cref="PortableCryptoProvider"/>, the device's and the reference) and a desktop one on
    /// System.Security.Cryptography (NfDtls.Desktop). Objects are created once (at engine construction) and reused:
    /// every operation works on caller-owned <c>byte[]</c> + offset, and bad input is a <c>false</c>, never a throw.
    /// </summary>
    public interface ICryptoProvider
    {
        string Name { get; }

        ISha256 CreateSha256();

        IHmacSha256 CreateHmacSha256();

        /// <summary>AES-128-CCM with an 8- or 16-byte tag (RFC 3610 / NIST SP 800-38C).</summary>
        IAesCcm CreateAesCcm(int tagLength);

        IEcdhP256 CreateEcdhP256();

        IEcdsaP256 CreateEcdsaP256();
    }

    /// <summary>Incremental SHA-256.</summary>
    public interface ISha256
    {
        void Reset();

        void Update(byte[] data, int offset, int count);

        /// <summary>Writes the 32-byte digest of everything so far and keeps the state (handshake transcripts).</summary>
        void PeekHash(byte[] output, int offset);

        /// <summary>Writes the 32-byte digest and resets.</summary>
        void Finish(byte[] output, int offset);
    }

    /// <summary>Incremental HMAC-SHA256 (RFC 2104).</summary>
    public interface IHmacSha256
    {
        /// <summary>Sets the key and starts a new MAC. Keys longer than 64 bytes are hashed first.</summary>
        void SetKey(byte[] key, int offset, int count);

        void Update(byte[] data, int offset, int count);

        /// <summary>Writes the 32-byte MAC and restarts with the same key.</summary>
        void Finish(byte[] output, int offset);
    }

    /// <summary>
    /// AES-128-CCM. Output may be the very same bytes as the input (in place, as the record layer uses it);
    /// other overlaps are not supported.
    /// </summary>
    public interface IAesCcm
    {
        int TagLength { get; }

        /// <summary>Sets the 16-byte key (key schedule once per key).</summary>
        void SetKey(byte[] key, int offset);

        /// <summary>Encrypts <paramref name="count"/> bytes and writes ciphertext followed by the tag (count + TagLength bytes).</summary>
        bool Seal(byte[] nonce, int nonceOffset, int nonceLength,
                  byte[] aad, int aadOffset, int aadLength,
                  byte[] input, int inputOffset, int count,
                  byte[] output, int outputOffset);

        /// <summary>
        /// Checks and decrypts ciphertext+tag (<paramref name="count"/> includes the tag) and writes count - TagLength bytes.
        /// Returns false on a bad tag or bad lengths, in which case no plaintext is released (output is zeroed).
        /// The tag is compared in constant time.
        /// </summary>
        bool Open(byte[] nonce, int nonceOffset, int nonceLength,
                  byte[] aad, int aadOffset, int aadLength,
                  byte[] input, int inputOffset, int count,
                  byte[] output, int outputOffset);
    }

    /// <summary>
    /// Ephemeral (or imported) P-256 ECDH key. Public keys are SEC 1 uncompressed points (65 bytes, 0x04 || X || Y),
    /// as TLS carries them. The shared secret is the 32-byte X coordinate (RFC 8422 §5.10).
    /// </summary>
    public interface IEcdhP256
    {
        /// <summary>Makes a fresh key pair from <paramref name="random"/>.</summary>
        bool GenerateKeyPair(IRandom random);

        /// <summary>Uses a given private scalar (32 bytes, big-endian); false if 0 or ≥ n.</summary>
        bool ImportPrivateKey(byte[] scalar, int offset);

        /// <summary>Writes the 65-byte uncompressed public point.</summary>
        bool ExportPublicKey(byte[] output, int offset);

        /// <summary>
        /// Validates the peer's point (65-byte uncompressed form, coordinates &lt; p, on the curve, not infinity) and
        /// writes the 32-byte shared secret. False for any invalid point or a result at infinity.
        /// </summary>
        bool DeriveSharedSecret(byte[] peerPublicKey, int offset, int count, byte[] output, int outputOffset);

        /// <summary>Wipes the private key.</summary>
        void Clear();
    }

    /// <summary>ECDSA over P-256 with a caller-supplied SHA-256 digest. Signatures are r || s (64 bytes).</summary>
    public interface IEcdsaP256
    {
        /// <summary>Writes the 65-byte uncompressed public key of a 32-byte private scalar; false if the scalar is 0 or ≥ n.</summary>
        bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset);

        /// <summary>Signs a 32-byte digest (the portable provider uses RFC 6979 deterministic nonces).</summary>
        bool Sign(byte[] privateKey, int privateKeyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset);

        /// <summary>Verifies r || s over a 32-byte digest with a 65-byte uncompressed public key. False for anything invalid.</summary>
        bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset);
    }

    /// <summary>Cryptographically strong random bytes (a DRBG in the core, seeded from an <see cref="IEntropySource"/>).</summary>
    public interface IRandom
    {
        void GetBytes(byte[] buffer, int offset, int count);
    }

    /// <summary>The platform's entropy: RandomNumberGenerator on desktop, the hardware TRNG on boards.</summary>
    public interface IEntropySource
    {
        void GetEntropy(byte[] buffer, int offset, int count);
    }
}
