using NfDtls.Crypto;

namespace NfDtls.Tests.Provisioning;

/// <summary>A repeatable IRandom for tests (System.Random with a seed): never for real keys.</summary>
internal sealed class SeededTestRandom(int seed) : IRandom
{
    private readonly Random _r = new(seed);

    public void GetBytes(byte[] buffer, int offset, int count) => _r.NextBytes(buffer.AsSpan(offset, count));
}
