using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

/// <summary>Entropy from the OS CSPRNG, to seed the core's HMAC-DRBG.</summary>
public sealed class DesktopEntropySource : IEntropySource
{
    public static readonly DesktopEntropySource Instance = new();

    public void GetEntropy(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
