using NfDtls.Net;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// Datagrams between endpoints in memory, in virtual time (no sockets, no clock: the same on a board and on
    /// desktop). Endpoint i lives at 10.0.0.(i+1):5684; every datagram is delivered in the order sent. Capacity is
    /// fixed at construction; a datagram that finds the queue full is dropped and counted. <see cref="LoseDatagrams"/>
    /// makes the link lossy: each datagram is then lost with a fixed probability drawn from a seeded generator, so a
    /// run repeats exactly on a board and on desktop.
    /// </summary>
    public sealed class MemoryNetwork
    {
        private const int QueueCapacity = 64;
        private const int MaxDatagram = 1500;
        private readonly IDatagramEndpoint[] _endpoints;
        private readonly PeerAddress[] _addresses;
        private readonly byte[][] _data = new byte[QueueCapacity][];
        private readonly int[] _lengths = new int[QueueCapacity];
        private readonly int[] _from = new int[QueueCapacity];
        private readonly int[] _to = new int[QueueCapacity];
        private int _head;
        private int _count;
        private int _attached;
        private int _lossPercent;
        private uint _lossState;

        public MemoryNetwork(int endpoints)
        {
            _endpoints = new IDatagramEndpoint[endpoints];
            _addresses = new PeerAddress[endpoints];
            for (int i = 0; i < endpoints; i++)
            {
                _addresses[i] = PeerAddress.FromIPv4(10, 0, 0, i + 1, 5684);
            }
            for (int i = 0; i < QueueCapacity; i++)
            {
                _data[i] = new byte[MaxDatagram];
            }
        }

        public long NowMs;
        public int Dropped;
        /// <summary>Datagrams the lossy link threw away (see <see cref="LoseDatagrams"/>).</summary>
        public int Lost;
        /// <summary>Datagrams queued for delivery.</summary>
        public int Sent;

        /// <summary>From now on loses <paramref name="percent"/>% of the datagrams sent, chosen by a generator seeded with <paramref name="seed"/>.</summary>
        public void LoseDatagrams(int percent, uint seed)
        {
            _lossPercent = percent;
            _lossState = seed == 0 ? 1u : seed;
        }

        public PeerAddress AddressOf(int index)
        {
            return _addresses[index];
        }

        /// <summary>The sink endpoint <paramref name="index"/> sends through; call <see cref="Attach"/> once it is built.</summary>
        public IDatagramSink SinkOf(int index)
        {
            return new Sink(this, index);
        }

        public void Attach(int index, IDatagramEndpoint endpoint)
        {
            _endpoints[index] = endpoint;
            _attached++;
        }

        /// <summary>Runs until <paramref name="untilMs"/>: delivers every datagram, then moves time to the next deadline.</summary>
        public void RunUntil(long untilMs)
        {
            for (int guard = 0; guard < 1000000; guard++)
            {
                while (_count > 0)
                {
                    Deliver();
                }
                long next = untilMs;
                for (int i = 0; i < _endpoints.Length; i++)
                {
                    if (_endpoints[i] != null && _endpoints[i].NextDeadline < next)
                    {
                        next = _endpoints[i].NextDeadline;
                    }
                }
                if (next > NowMs)
                {
                    NowMs = next;
                }
                for (int i = 0; i < _endpoints.Length; i++)
                {
                    if (_endpoints[i] != null && _endpoints[i].NextDeadline <= NowMs)
                    {
                        _endpoints[i].Tick(NowMs);
                    }
                }
                if (NowMs >= untilMs && _count == 0)
                {
                    return;
                }
            }
        }

        private void Deliver()
        {
            int i = _head;
            _head = (_head + 1) % QueueCapacity;
            _count--;
            IDatagramEndpoint to = _endpoints[_to[i]];
            if (to != null)
            {
                to.Receive(_data[i], 0, _lengths[i], _addresses[_from[i]], NowMs);
            }
        }

        private void Enqueue(int from, byte[] buffer, int offset, int count, PeerAddress destination)
        {
            int to = -1;
            for (int i = 0; i < _addresses.Length; i++)
            {
                if (_addresses[i].SameAs(destination))
                {
                    to = i;
                }
            }
            if (to < 0 || _count == QueueCapacity || count > MaxDatagram)
            {
                Dropped++;
                return;
            }
            if (_lossPercent > 0 && NextLossDraw() < _lossPercent)
            {
                Lost++;
                return;
            }
            Sent++;
            int slot = (_head + _count) % QueueCapacity;
            System.Array.Copy(buffer, offset, _data[slot], 0, count);
            _lengths[slot] = count;
            _from[slot] = from;
            _to[slot] = to;
            _count++;
        }

        /// <summary>0..99 from xorshift32 (Marsaglia 2003): small, portable and the same everywhere.</summary>
        private int NextLossDraw()
        {
            uint x = _lossState;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _lossState = x;
            return (int)(x % 100);
        }

        private sealed class Sink : IDatagramSink
        {
            private readonly MemoryNetwork _net;
            private readonly int _index;

            public Sink(MemoryNetwork net, int index)
            {
                _net = net;
                _index = index;
            }

            public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
            {
                _net.Enqueue(_index, buffer, offset, count, destination);
            }
        }
    }
}
