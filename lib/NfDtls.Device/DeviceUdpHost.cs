using System.Net;
using System.Net.Sockets;
using System.Threading;
using NfDtls.Net;

namespace NfDtls.Device
{
    /// <summary>
    /// Binds a sans-IO <see cref="IDatagramEndpoint"/> to a nanoFramework UDP <see cref="Socket"/>: one thread polls the
    /// socket with a timeout equal to the endpoint's next deadline and drives the endpoint; <see cref="Enter"/>/<see cref="Exit"/>
    /// let the application call the endpoint from another thread. Written in the API subset nanoFramework and desktop
    /// .NET share (Socket, not UdpClient; no lock statement), so it also compiles on desktop for the build's check.
    /// </summary>
    public sealed class DeviceUdpHost : IDatagramSink
    {
        private readonly Socket _socket;
        private readonly object _gate = new object();
        private readonly byte[] _receiveBuffer;
        private readonly int _maxDatagram;
        private readonly PeerAddress _from = new PeerAddress();
        private readonly byte[] _addressScratch = new byte[4];
        private IPEndPoint _sendEndPoint;
        private readonly PeerAddress _sendPeer = new PeerAddress();
        private IDatagramEndpoint _endpoint;
        private Thread _thread;
        private bool _stopping;

        /// <param name="localPort">UDP port to bind (0: any).</param>
        /// <param name="maxDatagram">The largest datagram accepted. The buffer is one byte larger so that a datagram that
        /// would not fit is seen and dropped: nanoFramework truncates silently when a datagram exceeds the buffer.</param>
        public DeviceUdpHost(int localPort, int maxDatagram)
        {
            _maxDatagram = maxDatagram;
            _receiveBuffer = new byte[maxDatagram + 1];
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _socket.Bind(new IPEndPoint(IPAddress.Any, localPort));
        }

        /// <summary>Datagrams dropped because they were larger than the configured maximum.</summary>
        public int OversizedDropped { get; private set; }

        public void Start(IDatagramEndpoint endpoint)
        {
            _endpoint = endpoint;
            _thread = new Thread(Loop);
            _thread.Start();
        }

        public void Stop()
        {
            _stopping = true;
            _socket.Close();
        }

        /// <summary>Takes the host's lock before calling the endpoint from application code.</summary>
        public void Enter()
        {
            Monitor.Enter(_gate);
        }

        public void Exit()
        {
            Monitor.Exit(_gate);
        }

        public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
        {
            // Reuse the endpoint object while the destination is unchanged (a node talks to one gateway).
            if (_sendEndPoint == null || !_sendPeer.SameAs(destination))
            {
                byte[] address = new byte[destination.AddressLength];
                destination.CopyAddressTo(address, 0);
                _sendEndPoint = new IPEndPoint(new IPAddress(address), destination.Port);
                _sendPeer.CopyFrom(destination);
            }
            try
            {
                _socket.SendTo(buffer, offset, count, SocketFlags.None, _sendEndPoint);
            }
            catch (SocketException)
            {
                // Lossy by nature: the engines retransmit.
            }
        }

        private void Loop()
        {
            EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
            while (!_stopping)
            {
                long waitMs;
                Monitor.Enter(_gate);
                try
                {
                    long now = DeviceClock.NowMs;
                    long deadline = _endpoint.NextDeadline;
                    if (deadline <= now)
                    {
                        _endpoint.Tick(now);
                        continue;
                    }
                    waitMs = deadline - now;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
                if (waitMs > 100)
                {
                    waitMs = 100; // short polls keep application-queued work moving
                }
                try
                {
                    if (!_socket.Poll((int)waitMs * 1000, SelectMode.SelectRead))
                    {
                        continue;
                    }
                    int n = _socket.ReceiveFrom(_receiveBuffer, 0, _receiveBuffer.Length, SocketFlags.None, ref remote);
                    if (n > _maxDatagram)
                    {
                        OversizedDropped++;
                        continue;
                    }
                    IPEndPoint from = (IPEndPoint)remote;
                    byte[] bytes = from.Address.GetAddressBytes();
                    _from.Set(bytes, 0, bytes.Length, from.Port);
                    Monitor.Enter(_gate);
                    try
                    {
                        _endpoint.Receive(_receiveBuffer, 0, n, _from, DeviceClock.NowMs);
                    }
                    finally
                    {
                        Monitor.Exit(_gate);
                    }
                }
                catch (SocketException)
                {
                    // ErrorCode 10060 is a receive timeout on nanoFramework; anything else: keep serving.
                }
            }
        }
    }
}
