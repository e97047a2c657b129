using System.Threading;
using NfDtls.Device;
using NfDtls.Uplink;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>
    /// Runs the publisher on its own thread, so a broker that is slow or away (a TCP connect can block for seconds)
    /// never holds up the DTLS handshakes and readings on the UDP thread: it pumps when the publisher asks to, and at
    /// least every <see cref="PollMs"/> to pick up what the gateway queued meanwhile.
    /// </summary>
    public sealed class PublisherThread
    {
        private const int PollMs = 50;
        private readonly ReadingPublisher _publisher;
        private Thread _thread;

        public PublisherThread(ReadingPublisher publisher)
        {
            _publisher = publisher;
        }

        public void Start()
        {
            _thread = new Thread(Run);
            _thread.Start();
        }

        private void Run()
        {
            while (true)
            {
                long now = DeviceClock.NowMs;
                long next = _publisher.Pump(now);
                long wait = next - DeviceClock.NowMs;
                Thread.Sleep(wait < 1 ? 1 : wait > PollMs ? PollMs : (int)wait);
            }
        }
    }
}
