using NfDtls.Coap.Message;
using NfDtls.Net;

namespace NfDtls.Coap.Server
{
    /// <summary>
    /// What a resource handler sees of a request: the decoded message (read in place, where the datagram or DTLS
    /// record was received), the sender and the body (reassembled when it came block-wise, RFC 7959 §2.5). Reused for
    /// every request: valid only during the handler call.
    /// </summary>
    public sealed class CoapRequest
    {
        public CoapMessage Message;
        /// <summary>Who sent it (the connector's address object: copy it to keep it).</summary>
        public PeerAddress Peer;
        public byte[] Payload;
        public int PayloadOffset;
        public int PayloadLength;
        /// <summary>True when the handler is asked for a representation to notify observers with (RFC 7641 §4.2).</summary>
        public bool IsNotification;
        internal int NotificationAccept = -1;

        internal void SetBody(byte[] buffer, int offset, int length)
        {
            Payload = buffer;
            PayloadOffset = offset;
            PayloadLength = buffer == null ? 0 : length;
        }

        /// <summary>The buffer <see cref="TryGetQuery"/>'s offsets point into (where the request was received).</summary>
        public byte[] QueryBuffer
        {
            get
            {
                int i = Message == null ? -1 : Message.FindOption(CoapOption.UriQuery, 0);
                return i < 0 ? null : Message.OptionBuffer(i);
            }
        }

        public int Method { get { return IsNotification ? CoapCode.Get : Message.Code; } }

        /// <summary>Content-Format of the request body, -1 when absent.</summary>
        public int ContentFormat
        {
            get { return IsNotification ? -1 : (int)Message.GetUInt(CoapOption.ContentFormat, -1); }
        }

        /// <summary>Accept option, -1 when absent.</summary>
        public int Accept
        {
            get { return IsNotification ? NotificationAccept : (int)Message.GetUInt(CoapOption.Accept, -1); }
        }

        /// <summary>Number of Uri-Path segments of the request.</summary>
        public int UriPathCount
        {
            get
            {
                int n = 0;
                for (int i = Message == null ? -1 : Message.FindOption(CoapOption.UriPath, 0); i >= 0; i = Message.FindOption(CoapOption.UriPath, i + 1))
                {
                    n++;
                }
                return n;
            }
        }

        /// <summary>Option index (into Message) of Uri-Path segment <paramref name="segment"/>, -1 if there is none.</summary>
        public int UriPathOption(int segment)
        {
            int i = Message == null ? -1 : Message.FindOption(CoapOption.UriPath, 0);
            for (int k = 0; k < segment && i >= 0; k++)
            {
                i = Message.FindOption(CoapOption.UriPath, i + 1);
            }
            return i;
        }

        /// <summary>Finds Uri-Query "name=value"; gives the value's place in <see cref="QueryBuffer"/>.</summary>
        public bool TryGetQuery(string name, out int offset, out int length)
        {
            offset = 0;
            length = 0;
            if (IsNotification || Message == null)
            {
                return false;
            }
            int n = NfDtls.Text.Utf8Bytes.Count(name);
            for (int i = Message.FindOption(CoapOption.UriQuery, 0); i >= 0; i = Message.FindOption(CoapOption.UriQuery, i + 1))
            {
                byte[] data = Message.OptionBuffer(i);
                int at = Message.OptionOffset(i);
                int len = Message.OptionLength(i);
                if (len > n && data[at + n] == (byte)'=' && NfDtls.Text.Utf8Bytes.Equals(name, data, at, n))
                {
                    offset = at + n + 1;
                    length = len - n - 1;
                    return true;
                }
            }
            return false;
        }
    }
}
