using System.Threading;
using NfDtls.Crypto;
using NfDtls.Gateway;
using NfDtls.Node;

namespace NfDtls.Uplink
{
    /// <summary>
    /// The MQTT uplink of a gateway: <see cref="Accept"/> turns each accepted reading into one message per measurement
    /// (<see cref="ReadingMessage"/>) and queues it, on the gateway's thread and without waiting; <see cref="Pump"/>, on
    /// the publisher's own thread, connects to the broker (again, after a jittered doubling back-off, while it is
    /// away) and publishes the queue in order with QoS 1, one message in flight: the oldest leaves the queue only when
    /// its PUBACK arrives (<see cref="OnPublished"/>), so a message whose acknowledgement was lost is published again
    /// after a reconnect — subscribers may see a duplicate, never a gap while the queue has room. What the queue had
    /// to drop, and readings that cannot be a message at all, are counted.
    /// </summary>
    public sealed class ReadingPublisher : IReadingUplink
    {
        private readonly PublisherConfig _config;
        private readonly IBrokerClient _client;
        private readonly UplinkQueue _queue;
        private readonly ReadingMessage _message = new ReadingMessage();
        private readonly ReconnectBackoff _backoff;
        private readonly object _gate = new object();
        private long _retryAtMs;
        private bool _everConnected;
        private long _inFlightSerial;
        private long _inFlightSinceMs;
        private int _inFlightId = -1;
        // Written by the client's thread (OnPublished), read by Pump: one int each, so no lock is needed.
        private int _ackedId = -1;
        private int _ackedOk;
        // Wall clock: unix ms at the gateway's clock value _clockAtMs.
        private bool _hasClock;
        private long _unixMsAtClock;
        private long _clockAtMs;

        public ReadingPublisher(PublisherConfig config, IBrokerClient client, IRandom random)
        {
            _config = config;
            _client = client;
            _queue = new UplinkQueue(config.QueueCapacity, config.MaxPayload);
            _backoff = new ReconnectBackoff(random, config.RetryBaseMs, config.RetryMaxMs);
        }

        /// <summary>Messages the broker acknowledged.</summary>
        public long Published;
        /// <summary>Readings (or measurements) that cannot be a message: a node id that is not a topic level, NaN or infinity, too large.</summary>
        public long Rejected;
        /// <summary>Successful connections after the first.</summary>
        public long Reconnects;
        /// <summary>Connection attempts that failed.</summary>
        public long ConnectFailures;

        /// <summary>Messages dropped (the oldest) because the queue was full while the broker was away.</summary>
        public long Dropped
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _queue.Dropped;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Messages queued or in flight.</summary>
        public int Pending
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _queue.Count;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        public bool IsConnected { get { return _client.IsConnected; } }

        /// <summary>
        /// Tells the calendar time: <paramref name="unixMs"/> (ms since 1970-01-01Z) at the gateway's clock value
        /// <paramref name="atMs"/>. A board calls it after SNTP; until then messages carry no "t".
        /// </summary>
        public void SetWallClock(long unixMs, long atMs)
        {
            _unixMsAtClock = unixMs;
            _clockAtMs = atMs;
            _hasClock = true;
        }

        // ---------------------------------------------------------------- the gateway's side

        public void Accept(AcceptedReading reading)
        {
            if (!ReadingMessage.IsTopicLevel(reading.NodeId))
            {
                Rejected += reading.Count;
                return;
            }
            string topic = ReadingMessage.Topic(_config.TopicPrefix, reading.NodeId);
            double time = _hasClock ? (_unixMsAtClock + (reading.ReceivedAtMs - _clockAtMs)) / 1000.0 : 0;
            Monitor.Enter(_gate);
            try
            {
                for (int i = 0; i < reading.Count; i++)
                {
                    byte[] slot = _queue.NextPayload;
                    int length = _message.Write(reading.NodeId, reading.Name(i), reading.Unit(i), reading.Value(i), _hasClock, time,
                        slot, 0, slot.Length);
                    if (length < 0)
                    {
                        Rejected++;
                        continue;
                    }
                    _queue.Commit(topic, length);
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        // ---------------------------------------------------------------- the publisher's thread

        /// <summary>
        /// Connects when due and publishes what it can. Returns the gateway-clock time it wants to run again at (sooner
        /// when a message was queued meanwhile: call it then, or when woken). May block in <see cref="IBrokerClient.Connect"/>.
        /// </summary>
        public long Pump(long nowMs)
        {
            if (!_client.IsConnected)
            {
                if (nowMs < _retryAtMs)
                {
                    return _retryAtMs;
                }
                _inFlightId = -1; // what was in flight goes again on the new connection
                if (!_client.Connect())
                {
                    ConnectFailures++;
                    _retryAtMs = nowMs + _backoff.NextDelayMs();
                    return _retryAtMs;
                }
                if (_everConnected)
                {
                    Reconnects++;
                }
                _everConnected = true;
                _backoff.Reset();
            }
            while (true)
            {
                if (_inFlightId >= 0)
                {
                    if (_ackedId != _inFlightId)
                    {
                        if (nowMs - _inFlightSinceMs < _config.AckTimeoutMs)
                        {
                            return _inFlightSinceMs + _config.AckTimeoutMs;
                        }
                        // No PUBACK: the connection is half dead. Reconnect and publish it again.
                        _inFlightId = -1;
                        _client.Disconnect();
                        _retryAtMs = nowMs;
                        return nowMs;
                    }
                    Finish(_ackedOk != 0);
                }
                byte[] payload;
                string topic;
                Monitor.Enter(_gate);
                try
                {
                    if (_queue.Count == 0)
                    {
                        return long.MaxValue;
                    }
                    topic = _queue.OldestTopic;
                    payload = new byte[_queue.OldestLength];
                    System.Array.Copy(_queue.OldestPayload, 0, payload, 0, payload.Length);
                    _inFlightSerial = _queue.OldestSerial;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
                _ackedId = -1;
                int id = _client.Publish(topic, payload);
                if (id < 0)
                {
                    // The connection went away under us: back off, then reconnect and publish it again.
                    _client.Disconnect();
                    _retryAtMs = nowMs + _backoff.NextDelayMs();
                    return _retryAtMs;
                }
                _inFlightId = id;
                _inFlightSinceMs = nowMs;
            }
        }

        /// <summary>The client's report of a publication (M2Mqtt's MqttMsgPublished): any thread.</summary>
        public void OnPublished(int messageId, bool delivered)
        {
            _ackedOk = delivered ? 1 : 0;
            _ackedId = messageId;
        }

        private void Finish(bool delivered)
        {
            _inFlightId = -1;
            Monitor.Enter(_gate);
            try
            {
                // The oldest may have been dropped meanwhile (queue full): only remove the message that was sent.
                if (_queue.Count > 0 && _queue.OldestSerial == _inFlightSerial)
                {
                    _queue.RemoveOldest();
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
            if (delivered)
            {
                Published++;
            }
            else
            {
                Rejected++; // the client gave up on it after its own retries: counted, not silently gone
            }
        }
    }
}
