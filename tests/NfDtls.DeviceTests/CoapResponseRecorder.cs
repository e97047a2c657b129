using NfDtls.Coap.Client;
using NfDtls.Coap.Message;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// What a client exchange reported: responses (a notification counts as one) and failures, and the last
    /// response's code, Observe value and payload, copied (the endpoint's buffer is only valid during the call).
    /// </summary>
    public sealed class CoapResponseRecorder : ICoapResponseHandler
    {
        private readonly byte[] _payload = new byte[4096];
        public int Responses;
        public int Failures;
        public int LastFailure;
        public int LastCode;
        public long LastObserve = -1;
        public int LastPayloadLength;

        public void OnResponse(int exchange, CoapMessage response, long nowMs)
        {
            Responses++;
            LastCode = response.Code;
            LastObserve = response.GetUInt(CoapOption.Observe, -1);
            int n = response.PayloadBuffer == null ? 0 : response.PayloadLength;
            LastPayloadLength = n;
            if (n > 0)
            {
                System.Array.Copy(response.PayloadBuffer, response.PayloadOffset, _payload, 0, n < _payload.Length ? n : _payload.Length);
            }
        }

        public void OnFailure(int exchange, int reason, long nowMs)
        {
            Failures++;
            LastFailure = reason;
        }

        public byte PayloadByte(int index)
        {
            return _payload[index];
        }

        /// <summary>The last payload as text (ASCII; allocates: tests only).</summary>
        public string LastText()
        {
            int n = LastPayloadLength < _payload.Length ? LastPayloadLength : _payload.Length;
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = (char)_payload[i];
            }
            return new string(chars);
        }
    }
}
