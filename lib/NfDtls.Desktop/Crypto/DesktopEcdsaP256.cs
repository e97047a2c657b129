using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

public sealed class DesktopEcdsaP256 : IEcdsaP256
{
    public bool DerivePublicKey(byte[] privateKey, int privateKeyOffset, byte[] publicKey, int publicKeyOffset)
    {
        if (!P256Points.IsValidScalar(privateKey, privateKeyOffset))
        {
            return false;
        }
        try
        {
            using ECDsa key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey.AsSpan(privateKeyOffset, 32).ToArray() });
            return P256Points.WriteUncompressed(key.ExportParameters(false).Q, publicKey, publicKeyOffset);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool Sign(byte[] privateKey, int privateKeyOffset, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
    {
        if (!P256Points.IsValidScalar(privateKey, privateKeyOffset))
        {
            return false;
        }
        try
        {
            using ECDsa key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey.AsSpan(privateKeyOffset, 32).ToArray() });
            return key.TrySignHash(hash.AsSpan(hashOffset, 32), signature.AsSpan(signatureOffset, 64), DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out int written) && written == 64;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool Verify(byte[] publicKey, int publicKeyOffset, int publicKeyLength, byte[] hash, int hashOffset, byte[] signature, int signatureOffset)
    {
        if (!P256Points.TryReadUncompressed(publicKey, publicKeyOffset, publicKeyLength, out ECPoint q))
        {
            return false;
        }
        try
        {
            using ECDsa key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q });
            return key.VerifyHash(hash.AsSpan(hashOffset, 32), signature.AsSpan(signatureOffset, 64), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
