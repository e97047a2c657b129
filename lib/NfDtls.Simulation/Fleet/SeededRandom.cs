using NfDtls.Crypto;

namespace NfDtls.Simulation.Fleet;

/// <summary>
/// A deterministic <see cref="IRandom"/> for simulated hosts: the core's HMAC_DRBG instantiated from entropy derived
/// from (seed, stream), so each node boot gets its own reproducible randomness. Never use outside simulation.
/// </summary>
public static class SeededRandom
{
    public static IRandom Create(int seed, long stream) => new HmacDrbg(new SeededEntropy(seed, stream));

    /// <summary>SplitMix64 over (seed, stream): enough to seed a DRBG reproducibly.</summary>
    public sealed class SeededEntropy(int seed, long stream) : IEntropySource
    {
        private ulong _state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xBF58476D1CE4E5B9UL ^ 0x94D049BB133111EBUL;

        public void GetEntropy(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if ((i & 7) == 0)
                {
                    _state += 0x9E3779B97F4A7C15UL;
                }
                ulong z = _state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                buffer[offset + i] = (byte)(z >> ((i & 7) * 8));
            }
        }
    }
}
