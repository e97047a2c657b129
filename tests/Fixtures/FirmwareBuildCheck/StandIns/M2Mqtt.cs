// nanoFramework.M2Mqtt 5.1.220 and nanoFramework.M2Mqtt.Core 5.1.220 (../shared/nanoframework-api/
// nanoFramework.M2Mqtt-5.1.txt, nanoFramework.M2Mqtt.Core-5.1.txt): the members the edge gateway's uplink uses.
using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;

namespace nanoFramework.M2Mqtt
{
    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
        TLSv1_3,
    }

    public interface IMqttClient
    {
        delegate void MqttMsgPublishedEventHandler(object sender, Messages.MqttMsgPublishedEventArgs e);

        delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        bool IsConnected { get; }

        event MqttMsgPublishedEventHandler MqttMsgPublished;

        event ConnectionClosedEventHandler ConnectionClosed;

        ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, Messages.MqttQoSLevel qosLevel, bool retain);

        void Disconnect();

        void Close();
    }

    public class MqttClient : IMqttClient, IDisposable
    {
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) => throw new NotSupportedException();

        public bool IsConnected => throw new NotSupportedException();

        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished;

        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed;

        public Messages.MqttReasonCode Connect(string clientId, string username, string password, bool cleanSession, ushort keepAlivePeriod) => throw new NotSupportedException();

        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, Messages.MqttQoSLevel qosLevel, bool retain) => throw new NotSupportedException();

        public void Disconnect() => throw new NotSupportedException();

        public void Close() => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttQoSLevel
    {
        AtMostOnce = 0,
        AtLeastOnce = 1,
        ExactlyOnce = 2,
        GrantedFailure = 0x80,
    }

    public enum MqttReasonCode
    {
        Success = 0,
    }

    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId) => throw new NotSupportedException();

        public ushort MessageId
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public bool IsPublished
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
