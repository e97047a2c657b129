using System;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using NfDtls.Uplink;

namespace NfDtls.Firmware.EdgeGateway
{
    /// <summary>
    /// The portable publisher's <see cref="IBrokerClient"/> over nanoFramework.M2Mqtt 5.1: plain MQTT over TCP, clean
    /// session, QoS 1. A new <see cref="MqttClient"/> per connection (its socket does not outlive a broken connection);
    /// each PUBACK (M2Mqtt's MqttMsgPublished, raised on its receive thread) goes to <see cref="ReadingPublisher.OnPublished"/>.
    /// </summary>
    public sealed class M2MqttBrokerClient : IBrokerClient
    {
        private const ushort KeepAliveSeconds = 60;
        private readonly string _host;
        private readonly int _port;
        private readonly string _clientId;
        private readonly string _username;
        private readonly string _password;
        private MqttClient _client;
        private ReadingPublisher _publisher;

        public M2MqttBrokerClient(string host, int port, string clientId, string username, string password)
        {
            _host = host;
            _port = port;
            _clientId = clientId;
            _username = username;
            _password = password;
        }

        /// <summary>Where acknowledgements go (the publisher is built with this client, so it is set after).</summary>
        public void ReportTo(ReadingPublisher publisher)
        {
            _publisher = publisher;
        }

        public bool IsConnected
        {
            get { return _client != null && _client.IsConnected; }
        }

        public bool Connect()
        {
            Disconnect();
            try
            {
                MqttClient client = new MqttClient(_host, _port, false, null, null, MqttSslProtocols.None);
                client.MqttMsgPublished += OnPublished;
                MqttReasonCode code = client.Connect(_clientId, _username, _password, true, KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    client.Close();
                    return false;
                }
                _client = client;
                return true;
            }
            catch (Exception)
            {
                // Broker unreachable, refused or the network is down: the publisher backs off and tries again.
                return false;
            }
        }

        public int Publish(string topic, byte[] payload)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return -1;
            }
            try
            {
                return client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, false);
            }
            catch (Exception)
            {
                return -1;
            }
        }

        public void Disconnect()
        {
            MqttClient client = _client;
            _client = null;
            if (client == null)
            {
                return;
            }
            try
            {
                client.MqttMsgPublished -= OnPublished;
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
                client.Close();
            }
            catch (Exception)
            {
                // Already gone: nothing to tidy.
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            ReadingPublisher publisher = _publisher;
            if (publisher != null)
            {
                publisher.OnPublished(e.MessageId, e.IsPublished);
            }
        }
    }
}
