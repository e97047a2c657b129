using NfDtls.Crypto;

namespace NfDtls.Fuzz.Harness;

/// <summary>Entropy from a seed (xorshift), so the DRBG of an engine repeats exactly from one execution to the next.</summary>
public sealed class FixedEntropy(uint seed) : IEntropySource
{
    private uint _state = seed == 0 ? 0x9E3779B9u : seed;

    public void GetEntropy(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            buffer[offset + i] = (byte)_state;
        }
    }

    public static IRandom Drbg(uint seed) => new HmacDrbg(new FixedEntropy(seed));
}
