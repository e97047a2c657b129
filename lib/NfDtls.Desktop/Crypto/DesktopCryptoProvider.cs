using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

/// <summary>Crypto on System.Security.Cryptography (OpenSSL on Linux): the desktop's fast path.</summary>
public sealed class DesktopCryptoProvider : ICryptoProvider
{
    public static readonly DesktopCryptoProvider Instance = new();

    public string Name => "desktop";

    public ISha256 CreateSha256() => new DesktopSha256();

    public IHmacSha256 CreateHmacSha256() => new DesktopHmacSha256();

    public IAesCcm CreateAesCcm(int tagLength) => new DesktopAesCcm(tagLength);

    public IEcdhP256 CreateEcdhP256() => new DesktopEcdhP256();

    public IEcdsaP256 CreateEcdsaP256() => new DesktopEcdsaP256();
}
