using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

public sealed class DesktopEcdhP256 : IEcdhP256
{
    private ECDiffieHellman? _key;

    public bool GenerateKeyPair(IRandom random)
    {
        // The platform generates its own key (from its CSPRNG); the IRandom is the portable provider's source.
        Clear();
        _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return true;
    }

    public bool ImportPrivateKey(byte[] scalar, int offset)
    {
        Clear();
        if (!P256Points.IsValidScalar(scalar, offset))
        {
            return false;
        }
        try
        {
            var p = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar.AsSpan(offset, 32).ToArray() };
            _key = ECDiffieHellman.Create(p);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool ExportPublicKey(byte[] output, int offset)
    {
        if (_key == null)
        {
            return false;
        }
        ECParameters p = _key.ExportParameters(false);
        return P256Points.WriteUncompressed(p.Q, output, offset);
    }

    public bool DeriveSharedSecret(byte[] peerPublicKey, int offset, int count, byte[] output, int outputOffset)
    {
        if (_key == null || !P256Points.TryReadUncompressed(peerPublicKey, offset, count, out ECPoint q))
        {
            return false;
        }
        try
        {
            using ECDiffieHellman peer = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q });
            byte[] secret = _key.DeriveRawSecretAgreement(peer.PublicKey);
            Array.Copy(secret, 0, output, outputOffset, 32);
            CryptographicOperations.ZeroMemory(secret);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Clear()
    {
        _key?.Dispose();
        _key = null;
    }
}
