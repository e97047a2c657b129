using NfDtls.Crypto;
using NfDtls.Gateway;
using NfDtls.Node;
using NfDtls.Pki;

namespace NfDtls.DeviceTests
{
    /// <summary>Keeps what the gateway forwards: node id and sequence number of each reading, in order.</summary>
    public sealed class RecordingUplink : IReadingUplink
    {
        private readonly string[] _nodes = new string[256];
        private readonly long[] _sequences = new long[256];
        public int Count;
        public int Measurements;

        public void Accept(AcceptedReading reading)
        {
            if (Count < _nodes.Length)
            {
                _nodes[Count] = reading.NodeId;
                _sequences[Count] = reading.Sequence;
                Count++;
            }
            Measurements += reading.Count;
        }

        public int CountOf(string node)
        {
            int n = 0;
            for (int i = 0; i < Count; i++)
            {
                if (_nodes[i] == node)
                {
                    n++;
                }
            }
            return n;
        }

        /// <summary>How many times (node, sequence) was forwarded.</summary>
        public int TimesForwarded(string node, long sequence)
        {
            int n = 0;
            for (int i = 0; i < Count; i++)
            {
                if (_nodes[i] == node && _sequences[i] == sequence)
                {
                    n++;
                }
            }
            return n;
        }
    }

    /// <summary>Keeps the gateway's refusals and connections.</summary>
    public sealed class RecordingEvents : IGatewayEvents
    {
        private readonly string[] _refused = new string[64];
        public int RefusedCount;
        public int Connected;

        public void OnNodeConnected(NodeCredential node)
        {
            Connected++;
        }

        public void OnRefused(string why)
        {
            if (RefusedCount < _refused.Length)
            {
                _refused[RefusedCount] = why;
            }
            RefusedCount++;
        }

        public bool Refused(string why)
        {
            for (int i = 0; i < RefusedCount && i < _refused.Length; i++)
            {
                if (_refused[i] == why)
                {
                    return true;
                }
            }
            return false;
        }

        public string First { get { return RefusedCount > 0 ? _refused[0] : "(none)"; } }
    }

    /// <summary>A sensor whose one reading counts up: every sample differs.</summary>
    public sealed class CountingSensor : ISensor
    {
        private int _n;

        public int Read(SensorReading[] into, long nowMs)
        {
            into[0].Name = "count";
            into[0].Unit = "";
            into[0].Value = _n++;
            return 1;
        }
    }

    /// <summary>A fixed calendar time (the gateway's certificate checks).</summary>
    public sealed class FixedWallClock : IWallClock
    {
        public long UnixSeconds { get { return NfDtls.Vectors.GatewayTestCredentials.UnixSeconds; } }
    }

    /// <summary>Deterministic entropy for test DRBGs: never for keys that matter.</summary>
    public sealed class CountingEntropy : IEntropySource
    {
        private int _seed;

        public CountingEntropy(int seed)
        {
            _seed = seed;
        }

        public void GetEntropy(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)(_seed * 31 + i * 7 + 1);
            }
            _seed++;
        }
    }
}
