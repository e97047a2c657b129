using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace NfDtls.Desktop.Mqtt;

/// <summary>
/// Publishes every reading the gateway accepts to an MQTT broker, QoS 1 (at least once: MQTT 3.1.1 §4.3.2), one topic
/// per node (<see cref="ReadingPayload.Topic"/>). <see cref="Accept"/> only queues, so the gateway's receive path
/// never waits on the broker; a background loop connects, publishes in order and, when the broker goes away,
/// keeps the readings and reconnects with a doubling back-off. A reading whose PUBACK was lost is published again,
/// so subscribers may see a duplicate, never a gap (while the queue has room).
/// </summary>
public sealed class MqttReadingForwarder : IReadingSink, IAsyncDisposable, IDisposable
{
    private readonly MqttForwarderOptions _options;
    private readonly TextWriter? _log;
    private readonly Channel<NodeReading> _queue;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _pending;
    private long _published;
    private long _dropped;
    private long _rejected;
    private long _reconnects;
    private bool _everConnected;

    public MqttReadingForwarder(MqttForwarderOptions options, TextWriter? log = null)
    {
        _options = options;
        _log = log;
        _queue = Channel.CreateBounded<NodeReading>(
            new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Increment(ref _dropped);
                Interlocked.Decrement(ref _pending);
            });
        _client = new MqttClientFactory().CreateMqttClient();
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (options.Username != null)
        {
            b = b.WithCredentials(options.Username, options.Password ?? "");
        }
        _clientOptions = b.Build();
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Readings queued or in flight.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Readings the broker acknowledged (PUBACK).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Readings dropped because the queue was full while the broker was away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Readings refused: not representable (NaN, infinity, a node id that is not a topic level) or refused by the broker.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Successful connections after the first.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Starts the background loop (idempotent).</summary>
    public MqttReadingForwarder Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
        return this;
    }

    public void Accept(NodeReading reading)
    {
        string id = reading.NodeId;
        if (id.Length == 0 || id.IndexOfAny(TopicSpecials) >= 0 || !double.IsFinite(reading.Value))
        {
            // MQTT 3.1.1 §4.7: '/', '+' and '#' would change which subscribers see the reading.
            Interlocked.Increment(ref _rejected);
            return;
        }
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(reading))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _rejected);
        }
    }

    private static readonly char[] TopicSpecials = { '/', '+', '#', '\0' };

    /// <summary>Waits until every accepted reading is published (or dropped); false on timeout.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Pending > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
        return true;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        TimeSpan delay = _options.MinRetryDelay;
        NodeReading? current = null;
        bool reportedDown = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await _client.ConnectAsync(_clientOptions, ct).ConfigureAwait(false);
                    if (_everConnected)
                    {
                        Interlocked.Increment(ref _reconnects);
                    }
                    _everConnected = true;
                    reportedDown = false;
                    delay = _options.MinRetryDelay;
                    _log?.WriteLine("mqtt: connected to " + _options.Host + ":" + _options.Port);
                }
                current ??= await _queue.Reader.ReadAsync(ct).ConfigureAwait(false);
                if (!ReadingPayload.TryEncode(current, _options.Format, out byte[] payload))
                {
                    Interlocked.Increment(ref _rejected);
                    Done(ref current);
                    continue;
                }
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(ReadingPayload.Topic(_options.TopicPrefix, current.NodeId))
                    .WithPayload(payload)
                    .WithContentType(_options.Format == ReadingFormat.SenML ? "application/senml+json" : "application/json")
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                var result = await _client.PublishAsync(message, ct).ConfigureAwait(false);
                if (result.IsSuccess)
                {
                    Interlocked.Increment(ref _published);
                }
                else
                {
                    // The broker answered and said no (e.g. not authorized): retrying would loop forever.
                    Interlocked.Increment(ref _rejected);
                    _log?.WriteLine("mqtt: broker refused a reading of " + current.NodeId + ": " + result.ReasonCode);
                }
                Done(ref current);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (ChannelClosedException)
            {
                break;
            }
            catch (Exception e)
            {
                // Connect failed or the connection broke mid-publish: keep `current` and try again after a pause.
                if (!reportedDown)
                {
                    _log?.WriteLine("mqtt: " + _options.Host + ":" + _options.Port + " unavailable (" + e.Message + "); retrying");
                    reportedDown = true;
                }
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = delay + delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay + delay;
            }
        }
    }

    private void Done(ref NodeReading? current)
    {
        current = null;
        Interlocked.Decrement(ref _pending);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop != null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already gone: nothing to tidy.
            }
        }
        _client.Dispose();
        _stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
