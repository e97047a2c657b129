using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Provisioning;

/// <summary>The operating system's CSPRNG as the core's <see cref="IRandom"/>: what real provisioning uses.</summary>
public sealed class SystemRandom : IRandom
{
    public static readonly SystemRandom Instance = new();

    public void GetBytes(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
