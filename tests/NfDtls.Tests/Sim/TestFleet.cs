using NfDtls.Net;
using NfDtls.Simulation.Fleet;

namespace NfDtls.Tests.Sim;

/// <summary>
/// A trivial plaintext protocol to exercise the fleet harness without DTLS or CoAP: a node takes a reading every
/// period and sends its 8-byte sequence number; with <c>confirmable</c> it resends every second until the gateway
/// echoes the number back. The gateway reports every arrival (no de-duplication, so the harness must count duplicates).
/// </summary>
internal sealed class TestFleet(bool confirmable, long periodMs) : IFleetFactory
{
    public FleetRecorder Recorder = null!;
    public int GatewaysCreated;
    public readonly List<(int Index, int Boot)> NodesCreated = new();

    public IDatagramEndpoint CreateGateway(PeerAddress address, IDatagramSink sink, int incarnation, long nowMs)
    {
        GatewaysCreated++;
        return new Gateway(this, sink);
    }

    public IDatagramEndpoint CreateNode(int index, int boot, PeerAddress address, PeerAddress gateway, IDatagramSink sink, long nowMs)
    {
        NodesCreated.Add((index, boot));
        return new Node(this, index, boot, gateway, sink, nowMs);
    }

    private static void Put(byte[] b, long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[i] = (byte)(v >> (56 - 8 * i));
        }
    }

    private static long Get(byte[] b, int off)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | b[off + i];
        }
        return v;
    }

    private sealed class Gateway(TestFleet fleet, IDatagramSink sink) : IDatagramEndpoint
    {
        private readonly byte[] _ack = new byte[8];

        public long NextDeadline => long.MaxValue;

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            if (count != 12)
            {
                return;
            }
            long seq = Get(buffer, offset + 4);
            int index = (buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];
            fleet.Recorder.ReadingDelivered(index, seq, nowMs);
            Array.Copy(buffer, offset + 4, _ack, 0, 8);
            sink.Send(_ack, 0, 8, from);
        }

        public void Tick(long nowMs)
        {
        }
    }

    private sealed class Node : IDatagramEndpoint
    {
        private readonly TestFleet _fleet;
        private readonly int _index;
        private readonly PeerAddress _gateway;
        private readonly IDatagramSink _sink;
        private readonly byte[] _out = new byte[12];
        private readonly byte[] _seqBytes = new byte[8];
        private long _nextReading;
        private long _seq;
        private readonly Queue<long> _queue = new();
        private long _pending = -1;
        private long _resendAt = long.MaxValue;

        public Node(TestFleet fleet, int index, int boot, PeerAddress gateway, IDatagramSink sink, long nowMs)
        {
            _fleet = fleet;
            _index = index;
            _gateway = gateway;
            _sink = sink;
            _seq = boot * 1_000_000L;
            _nextReading = nowMs;
        }

        public long NextDeadline => Math.Min(_nextReading, _resendAt);

        public void Receive(byte[] buffer, int offset, int count, PeerAddress from, long nowMs)
        {
            if (count == 8 && Get(buffer, offset) == _pending)
            {
                _pending = -1;
                _resendAt = long.MaxValue;
                if (_queue.Count > 0)
                {
                    _pending = _queue.Dequeue();
                    Send(nowMs);
                }
            }
        }

        public void Tick(long nowMs)
        {
            if (nowMs >= _resendAt)
            {
                _fleet.Recorder.Retransmitted(_index);
                Send(nowMs);
            }
            if (nowMs >= _nextReading)
            {
                _nextReading += _fleet.PeriodMs;
                long seq = _seq++;
                _fleet.Recorder.ReadingTaken(_index, seq, nowMs);
                if (!_fleet.Confirmable)
                {
                    _pending = seq;
                    Send(nowMs);
                    _pending = -1;
                    _resendAt = long.MaxValue;
                }
                else if (_pending >= 0)
                {
                    _queue.Enqueue(seq); // one reading in flight at a time; the rest wait their turn
                }
                else
                {
                    _pending = seq;
                    Send(nowMs);
                }
            }
        }

        private void Send(long nowMs)
        {
            // [node index: 4 bytes][sequence: 8 bytes], big-endian.
            Put(_seqBytes, _index);
            Array.Copy(_seqBytes, 4, _out, 0, 4);
            Put(_seqBytes, _pending);
            Array.Copy(_seqBytes, 0, _out, 4, 8);
            _sink.Send(_out, 0, 12, _gateway);
            _resendAt = nowMs + 1000;
        }
    }

    public bool Confirmable => confirmable;
    public long PeriodMs => periodMs;
}
