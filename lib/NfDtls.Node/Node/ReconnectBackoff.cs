using NfDtls.Crypto;

namespace NfDtls.Node
{
    /// <summary>
    /// How long a node waits before trying the gateway again: exponential from <see cref="BaseMs"/> up to
    /// <see cref="MaxMs"/>, each wait drawn uniformly from its upper half so a fleet that lost the gateway at the same
    /// moment does not come back in lockstep ("decorrelated" retries; the same reason RFC 7252 §4.2 randomises
    /// ACK_TIMEOUT). Allocation-free.
    /// </summary>
    public sealed class ReconnectBackoff
    {
        private readonly IRandom _random;
        private readonly byte[] _draw = new byte[4];
        private int _failures;

        public ReconnectBackoff(IRandom random, int baseMs, int maxMs)
        {
            _random = random;
            BaseMs = baseMs < 1 ? 1 : baseMs;
            MaxMs = maxMs < BaseMs ? BaseMs : maxMs;
        }

        public int BaseMs { get; private set; }
        public int MaxMs { get; private set; }

        /// <summary>Failures in a row so far.</summary>
        public int Failures { get { return _failures; } }

        /// <summary>The next attempt succeeded: start from <see cref="BaseMs"/> again.</summary>
        public void Reset()
        {
            _failures = 0;
        }

        /// <summary>An attempt failed: returns the wait before the next one, in ms.</summary>
        public long NextDelayMs()
        {
            long ceiling = BaseMs;
            for (int i = 0; i < _failures && ceiling < MaxMs; i++)
            {
                ceiling *= 2;
            }
            if (ceiling > MaxMs)
            {
                ceiling = MaxMs;
            }
            if (_failures < 30)
            {
                _failures++;
            }
            _random.GetBytes(_draw, 0, 4);
            uint r = ((uint)_draw[0] << 24) | ((uint)_draw[1] << 16) | ((uint)_draw[2] << 8) | _draw[3];
            long half = ceiling / 2;
            return half + (long)(r % (ulong)(ceiling - half + 1));
        }
    }
}
