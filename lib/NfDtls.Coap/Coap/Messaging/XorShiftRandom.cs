using NfDtls.Crypto;

namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// A seeded xorshift generator for message IDs and tokens when no DRBG is given (simulations, tests).
    /// Not for secrets: over plain UDP, RFC 7252 §5.3.1 wants unpredictable tokens, so real nodes pass the DRBG.
    /// </summary>
    public sealed class XorShiftRandom : IRandom
    {
        private uint _state;

        public XorShiftRandom(int seed)
        {
            _state = (uint)seed * 2654435761u + 0x9E3779B9u;
            if (_state == 0)
            {
                _state = 1;
            }
        }

        public uint NextUInt()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        public void GetBytes(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)(NextUInt() >> 24);
            }
        }
    }
}
